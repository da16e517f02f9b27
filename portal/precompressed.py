"""Gzip a kept page whose few secrets change with every answer, without compressing it again.

A deflate stream (RFC 1951) may be cut into pieces that each end on a byte boundary (a *full
flush*); pieces compressed on their own then join into one valid stream. So the long, fixed
parts of a page are compressed once, when it is kept, and each answer compresses only its
secrets (a 22-character CSP nonce) and computes the checksum of the gzip wrapper (RFC 1952).
"""

import struct
import zlib

GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, no name, no time, any OS
LEVEL = 6  # as Flask-Compress


def _deflate(data: bytes, last: bool) -> bytes:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)  # raw deflate
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


class PrecompressedPage:
    """A page as fixed ``parts`` with a hole between each two, filled per answer."""

    def __init__(self, parts: list[bytes]):
        self.parts = parts
        self._deflated = [_deflate(part, last=i == len(parts) - 1) for i, part in enumerate(parts)]

    def text(self, fillings: list[bytes]) -> bytes:
        return b"".join(self._in_order(self.parts, fillings))

    def gzip(self, fillings: list[bytes]) -> bytes:
        """The gzip member of ``text(fillings)``, from the parts compressed beforehand."""
        crc, size = 0, 0
        for piece in self._in_order(self.parts, fillings):
            crc, size = zlib.crc32(piece, crc), size + len(piece)
        deflated = [_deflate(filling, last=False) for filling in fillings]
        stream = b"".join(self._in_order(self._deflated, deflated))
        return GZIP_HEADER + stream + struct.pack("<II", crc, size & 0xFFFFFFFF)

    def _in_order(self, parts: list[bytes], fillings: list[bytes]):
        if len(fillings) != len(parts) - 1:
            raise ValueError(f"{len(parts) - 1} holes, {len(fillings)} fillings")
        for part, filling in zip(parts, fillings, strict=False):
            yield part
            yield filling
        yield parts[-1]
