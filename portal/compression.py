"""Answers are compressed by Flask-Compress, with zlib-ng's gzip (``gzip_ng``) in place of
Python's ``gzip``.

Gzip at level 6 took a sixth of a signed-in page's time: zlib-ng makes the same bytes (within
half a percent) two to three times as fast. Every page is sent as gzip, also to browsers that
accept brotli (``COMPRESS_ALGORITHM`` in portal/config.py): brotli at Flask-Compress's quality
4 takes nearly twice as long as zlib-ng for about 1 % fewer bytes. Static files are
compressed once, with brotli too (``portal/staticfiles.py``), and kept visitors' pages once
(``portal/precompressed.py``).

What is compressed per answer (a signed-in page, an htmx fragment) is compressed at level 1
(``COMPRESS_LEVEL``): a signed-in board of 21 KB takes 63 µs in a worker instead of 165 µs
at level 6, and becomes 6.4 KB instead of 4.7 KB. Both fit in the ten packets (about 14 KB)
a server may send on a new connection before it waits for an answer, so on a slow line the
page still arrives in the first round trip; the extra 1.7 KB cost some 15 ms at 1 Mbit/s.

Flask-Compress has no setting for the gzip it uses: it calls ``compression.gzip.compress``
through a module-level ``compression`` (Python 3.14's package, a stand-in before). That name
is the one thing replaced here. Measured reason: benchmarks/README.md ("Framework overrides");
``tests/test_framework_overrides.py`` fails when Flask-Compress stops compressing through it.
"""

import types

import flask_compress.flask_compress as flask_compress_module
from zlib_ng import gzip_ng


def use_zlib_ng() -> None:
    """Let Flask-Compress gzip with zlib-ng (once per process; idempotent)."""
    current = flask_compress_module.compression
    if getattr(current, "gzip", None) is gzip_ng:
        return
    flask_compress_module.compression = types.SimpleNamespace(
        gzip=gzip_ng, zlib=current.zlib, zstd=current.zstd)
