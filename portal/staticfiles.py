"""Static files compressed once, with gzip and brotli, for every browser.

Flask streams static files, and Flask-Compress compresses a streamed answer only with
``COMPRESS_ALGORITHM_STREAMING``, which leaves gzip out. Old iPads' Safari has no brotli, and
browsers offer brotli only over https, so without nginx in front (``make run``, gunicorn
alone) they got portal.css and htmx uncompressed: 16.6 and 52.2 KB instead of 4.5 and 17.4.

This module takes over Flask's ``static`` view for text files (the types in
``COMPRESS_MIMETYPES``): the first request for a file reads it and compresses it once with
brotli (quality 11) and gzip (level 9); later requests get those bytes from the worker's
memory, kept per file and checked against its size and modification time on every request, so
a changed file is read and compressed again. Each answer carries the body the browser accepts
best (brotli before gzip at the same quality), ``Content-Encoding``, ``Vary: Accept-Encoding``,
an ETag of the content hash and the encoding, and the caching of any static file (a year,
``immutable`` for versioned ``?v=`` URLs, see ``portal/web.py``). Images and other files go to
Flask's own view unchanged. Measured gain and guard: benchmarks/README.md ("Framework
overrides"), ``tests/test_framework_overrides.py``.
"""

import gzip
import hashlib
import mimetypes
import os
import threading
from dataclasses import dataclass

import brotli
from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

BROTLI_QUALITY = 11
GZIP_LEVEL = 9


@dataclass(frozen=True)
class Compressed:
    """One static file as read once: its bodies per encoding ("" is the file itself)."""

    stamp: tuple[int, int]  # size and modification time (ns) when it was read
    digest: str
    mimetype: str
    mtime: float
    bodies: dict[str, bytes]


class StaticFiles:
    """The compressed static files of one worker; safe for threaded servers."""

    def __init__(self, folder: str, types: set[str]):
        self.folder = folder
        self.types = types  # the mimetypes worth compressing
        self._files: dict[str, Compressed] = {}
        self._lock = threading.Lock()

    def get(self, filename: str) -> Compressed | None:
        """The file, compressed; None when it is missing or not a text type worth it."""
        path = safe_join(self.folder, filename)
        mimetype = mimetypes.guess_type(filename)[0] if path else None
        if mimetype not in self.types or not os.path.isfile(path):
            return None
        status = os.stat(path)
        stamp = (status.st_size, status.st_mtime_ns)
        known = self._files.get(filename)
        if known is not None and known.stamp == stamp:
            return known
        with self._lock:
            known = self._files.get(filename)
            if known is None or known.stamp != stamp:
                known = self._files[filename] = _compress(path, stamp, mimetype, status.st_mtime)
        return known


def _compress(path: str, stamp: tuple[int, int], mimetype: str, mtime: float) -> Compressed:
    with open(path, "rb") as file:
        data = file.read()
    bodies = {
        "": data,
        "br": brotli.compress(data, quality=BROTLI_QUALITY),
        "gzip": gzip.compress(data, GZIP_LEVEL, mtime=0),
    }
    return Compressed(stamp, hashlib.sha256(data).hexdigest()[:16], mimetype, mtime, bodies)


def best_encoding(file: Compressed, accept_encodings) -> str:
    """The encoding the browser accepts with the highest quality, the smaller body first at the
    same quality; "" (the file as it is) when it accepts neither, or when that is smaller."""
    choices = [(accept_encodings.quality(coding), -len(file.bodies[coding]), coding)
               for coding in ("br", "gzip")]
    quality, minus_size, coding = max(choices)
    return coding if quality > 0 and -minus_size < len(file.bodies[""]) else ""


def init_app(app: Flask) -> None:
    files = StaticFiles(app.static_folder, set(app.config["COMPRESS_MIMETYPES"]))
    flask_view = app.view_functions["static"]

    def static(filename: str):
        file = files.get(filename)
        if file is None:
            return flask_view(filename=filename)  # images, fonts, a missing file (404)
        coding = best_encoding(file, request.accept_encodings)
        response = Response(file.bodies[coding], mimetype=file.mimetype)
        if coding:
            response.headers["Content-Encoding"] = coding
        response.vary.add("Accept-Encoding")
        response.set_etag(f"{file.digest}-{coding or 'identity'}")
        response.last_modified = file.mtime
        response.cache_control.public = True
        response.cache_control.max_age = current_app.get_send_file_max_age(filename)
        return response.make_conditional(request)

    app.view_functions["static"] = static
    app.extensions["static_files"] = files

