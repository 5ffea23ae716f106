"""A byte stream that first replays what was read to sniff it, and counts what it delivered."""

from __future__ import annotations

import io
from typing import IO, Any


class Replay(io.RawIOBase):
    """`head` (bytes already read from `rest`), then the rest of the stream."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest
        self.delivered = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
        else:
            data = self._rest.read(len(buffer))
            n = len(data)
            buffer[:n] = data
        self.delivered += n
        return n
