"""The floor for benchmarks/load.py: the smallest Flask page, served the same way."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "<!doctype html><title>Hallo</title><p>Hallo buurt</p>"
