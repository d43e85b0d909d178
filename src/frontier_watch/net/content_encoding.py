"""Undoing a response's Content-Encoding in bounded steps, so no layer can explode.

httpx decompresses each chunk in one call, with no limit on what comes out: "gzip, gzip"
around a gigabyte of zeros is under two kilobytes on the wire and a gigabyte in memory
before any size check can see it. Here every layer is decompressed at most ``step`` bytes
at a time, and the caller counts what comes out of the last one, so the body cap holds in
every layer. At most two layers are accepted; a stack of more is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator

MAX_LAYERS = 2
STEP = 256 * 1024  # bytes of output per decompression call
_GZIP_WBITS = zlib.MAX_WBITS | 16
_ZLIB_WBITS = zlib.MAX_WBITS
_RAW_DEFLATE_WBITS = -zlib.MAX_WBITS


class EncodingError(ValueError):
    """The body's encoding is unknown, stacked too deep, or the data is not what it claims."""


def encodings_of(header: str | None) -> list[str]:
    """The Content-Encoding layers in the order they were applied, identity dropped."""
    layers = [part.strip().lower() for part in (header or "").split(",") if part.strip()]
    layers = [layer for layer in layers if layer != "identity"]
    unknown = [layer for layer in layers if layer not in ("gzip", "x-gzip", "deflate")]
    if unknown:
        raise EncodingError(f"unsupported content encoding {', '.join(unknown)}")
    if len(layers) > MAX_LAYERS:
        raise EncodingError(
            f"{len(layers)} content encodings stacked ({', '.join(layers)}); at most {MAX_LAYERS}"
        )
    return layers


def decoded(chunks: Iterable[bytes], layers: list[str], step: int = STEP) -> Iterator[bytes]:
    """The body with every layer undone (the last applied first), a bounded piece at a time."""
    stream: Iterable[bytes] = chunks
    for layer in reversed(layers):
        stream = _undo(stream, layer, step)
    return iter(stream)


def _undo(chunks: Iterable[bytes], layer: str, step: int) -> Iterator[bytes]:
    wbits = _GZIP_WBITS if layer in ("gzip", "x-gzip") else _ZLIB_WBITS
    decompressor = zlib.decompressobj(wbits)
    started = False
    try:
        for chunk in chunks:
            data = chunk
            while data:
                if decompressor.eof:  # gzip allows several members one after another
                    if wbits != _GZIP_WBITS or not data.strip(b"\0"):
                        break
                    decompressor = zlib.decompressobj(wbits)
                try:
                    out = decompressor.decompress(data, step)
                except zlib.error:
                    if started or wbits != _ZLIB_WBITS:
                        raise
                    # "deflate" is sometimes sent raw, without the zlib wrapper.
                    wbits = _RAW_DEFLATE_WBITS
                    decompressor = zlib.decompressobj(wbits)
                    continue
                started = True
                if out:
                    yield out
                data = decompressor.unconsumed_tail or (decompressor.unused_data if decompressor.eof else b"")
        while True:  # what is left inside the decompressor, still in bounded pieces
            out = decompressor.decompress(decompressor.unconsumed_tail, step) if not decompressor.eof else b""
            if not out:
                break
            yield out
        tail = decompressor.flush()
        if tail:
            yield tail
    except zlib.error as exc:
        raise EncodingError(f"could not decode the response body ({layer}): {exc}") from None
