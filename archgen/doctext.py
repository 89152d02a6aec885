"""The graph document's bytes: held in chunks, or produced chunk by chunk as a file is written.

A run that writes the document only to a file (`--json FILE`, no site, no standard output, no
`--since`) never needs its text: `GraphText.later` keeps the way to make the chunks (`document`'s
encoder as a generator) and `write_to` writes each chunk into the temporary file as it is made, so
each is freed (and its memory reused by the next) before the next is encoded, and the 65 MB document
(100,000 rows) is never held whole. Anything that asks for the text or the chunks (the site, standard
output, `--since`, `report`, the tests) gets them made on first use and kept, as before.

The encoder writes what orjson and msgspec cannot (integers beyond 64 bits, lone surrogates, NaN) by
giving up on the whole document for the reference writer (`document.dumps_data_stdlib`). When that
happens in the middle of a streamed write, the file is emptied (`seek(0)`, `truncate()`) and the
reference text written instead: the same bytes, or the same error, as writing the held document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import BinaryIO

import msgspec
import orjson

# What sends the whole document to the reference writer. NaN and Infinity are not JSON for msgspec.
UNWRITABLE = (orjson.JSONEncodeError, msgspec.DecodeError)

Produce = Callable[[], Iterable[bytes]]  # the document's chunks, in order (raises UNWRITABLE to fall back)
Fallback = Callable[[], str]  # the reference writer's text of the same document


class GraphText:
    """The graph document: its UTF-8 bytes in chunks (written to a file as they are: no 65 MB copies at
    100,000 rows), or its text, decoded from them on first use (the site, standard output, `--since`);
    or, made by `later`, the chunks produced as they are written (`write_to`)."""

    __slots__ = ("_chunks", "_fallback", "_produce", "_text")

    def __init__(self, chunks: list[bytes] | None = None, text: str | None = None) -> None:
        self._chunks = chunks
        self._text = text
        self._produce: Produce | None = None
        self._fallback: Fallback | None = None

    @classmethod
    def later(cls, produce: Produce, fallback: Fallback) -> GraphText:
        """The document made when it is first used: streamed by `write_to`, or made and kept by `chunks` or
        `text`. `produce` and `fallback` must give the same document each time they are called (a
        streamed write keeps nothing, and a later `text` encodes the document again)."""
        made = cls()
        made._produce, made._fallback = produce, fallback
        return made

    def _made(self) -> None:
        """Make and keep the chunks (or the reference text) of a document made `later`."""
        produce, fallback = self._produce, self._fallback
        if produce is None or fallback is None:
            return
        self._produce = self._fallback = None
        try:
            self._chunks = list(produce())
        except UNWRITABLE:
            self._text = fallback()

    @property
    def chunks(self) -> list[bytes]:
        self._made()
        if self._chunks is not None:
            return self._chunks
        return [self.text.encode("utf-8")]

    @property
    def text(self) -> str:
        self._made()
        if self._text is None:
            joined = b"".join(self._chunks or ())
            self._chunks = None  # two copies held at most (the chunks and their join, then it and the text)
            self._text = joined.decode("utf-8")
        return self._text

    def write_to(self, handle: BinaryIO) -> None:
        """Write the document's bytes to `handle` (a new file, seekable): a document made `later` is
        encoded chunk by chunk into it and not kept."""
        produce, fallback = self._produce, self._fallback
        if produce is None or fallback is None:
            handle.writelines(self.chunks)
            return
        try:
            for chunk in produce():
                handle.write(chunk)
                del chunk  # freed before the next is made, whose memory it then is
        except UNWRITABLE:  # what was written goes: the reference writer's text instead, as `_made` does
            handle.seek(0)
            handle.truncate()
            handle.write(fallback().encode("utf-8"))
