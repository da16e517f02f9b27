"""Answers are compressed by Flask-Compress, with ISA-L's gzip (``isal.igzip``, Intel's
Intelligent Storage Acceleration Library) in place of Python's ``gzip``.

What is compressed per answer (a signed-in page, an htmx fragment) is compressed at ISA-L's
level 1 (``COMPRESS_LEVEL``, which goes from 0 to 3 here). Measured on a signed-in board of
21 KB, with the caches as cold as in a worker (benchmarks/README.md, "Gzip with ISA-L"):

- Python's gzip at level 6: about 230 µs, 4.7 KB;
- zlib-ng at level 6: 126 µs, 4.7 KB (what the portal used before);
- zlib-ng at level 1: 52 µs, 6.4 KB;
- ISA-L at level 1: 39 µs, 5.3 KB.

A page stays far below the ten packets (about 14 KB) a server may send on a new connection
before it waits for an answer, so on a slow line it still arrives in the first round trip.
Every page is sent as gzip, also to browsers that accept brotli (``COMPRESS_ALGORITHM`` in
portal/config.py): brotli at Flask-Compress's quality 4 takes four times as long. Static
files are compressed once, with brotli too (``portal/staticfiles.py``), and kept visitors'
pages once (``portal/precompressed.py``), both at higher levels.

Flask-Compress has no setting for the gzip it uses: it calls ``compression.gzip.compress``
through a module-level ``compression`` (Python 3.14's package, a stand-in before). That name
is the one thing replaced here. Measured reason: benchmarks/README.md ("Framework overrides");
``tests/test_framework_overrides.py`` fails when Flask-Compress stops compressing through it.
"""

import types

import flask_compress.flask_compress as flask_compress_module
from isal import igzip


def use_isal() -> None:
    """Let Flask-Compress gzip with ISA-L (once per process; idempotent)."""
    current = flask_compress_module.compression
    if getattr(current, "gzip", None) is igzip:
        return
    flask_compress_module.compression = types.SimpleNamespace(
        gzip=igzip, zlib=current.zlib, zstd=current.zstd)
