"""gunicorn settings for one app server of the Buurtportaal (``gunicorn -c deploy/gunicorn.conf.py``).

Every app server runs the same code against the same PostgreSQL and Redis; nginx spreads the
requests over them. Settings that differ per server can be overridden in the environment
(``GUNICORN_BIND``, ``GUNICORN_WORKERS``).
"""

import multiprocessing
import os

wsgi_app = "wsgi:app"

# Listen on the private network (nginx on another machine) or on loopback (nginx here).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: each handles one request at a time; the portal's pages are short. Two per core
# plus one is gunicorn's advice; every worker holds its own small database pool (5 connections),
# so keep workers x servers x 5 below PostgreSQL's max_connections (default 100).
workers = int(os.environ.get("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 9)))
worker_class = "sync"
timeout = 30            # a request that takes longer is stuck: restart that worker
graceful_timeout = 20   # on deploy (SIGHUP/SIGTERM), let running requests finish
keepalive = 5           # nginx keeps connections to the app servers open

# Recycle workers now and then, so a slow leak never grows.
max_requests = 2000
max_requests_jitter = 200

# Trust X-Forwarded-* only from nginx; the app itself uses PROXY_FIX for the same headers.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Recent gunicorn (27) opens a control socket in $HOME by default; systemd gives us no home to write
# (ProtectHome) and we manage the workers through systemd (reload = HUP), so switch it off.
control_socket_disable = True

# Logs to stdout/stderr: systemd's journal keeps them (journalctl -u buurtportaal).
accesslog = "-"
errorlog = "-"
loglevel = "info"
# No IP addresses in the access log: the portal keeps as little about people as it can.
access_log_format = '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'
