"""One read-only store shared by the server's requests, released when the server is idle.

Opening a DuckDB file costs 40-60 ms (a new database instance each time), more than a filtered
query on a million events, so opening per request would double every answer's time. Holding it
for the server's lifetime would instead lock `sitrep ingest` out for good: DuckDB lets no writer
in while any process has the file open. So the store is opened on the first request, shared by
concurrent ones (each query runs on its own cursor), and closed once no request has used it for
`idle_seconds`; an ingest can then write, and the next request reopens and sees the new events.

A request that writes (an analyst's correction) takes the store for itself: `write()` waits until
no read runs, closes the read-only store (DuckDB does not let one process hold a file read-only and
read-write at once), opens it read-write for that one change and closes it; reads wait meanwhile,
then reopen. When another process (`sitrep ingest`) is writing, opening fails with a StoreError.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sitrep.store import Store, open_store
from sitrep.store.base import store_exists


class StoreHolder:
    """Lends the shared read-only `Store`; `StoreError` from opening propagates to the caller."""

    def __init__(self, path: Path | str, *, idle_seconds: float = 3.0) -> None:
        self.path = path
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)  # notified when a read or the write ends
        self._writing = False
        self._store: Store | None = None
        self._active = 0
        self._last_used = 0.0
        self._timer: threading.Timer | None = None

    @contextmanager
    def use(self) -> Iterator[Store]:
        with self._lock:
            while self._writing:
                self._idle.wait()
            if self._store is None:
                self._store = open_store(self.path, read_only=True)
            store = self._store
            self._active += 1
        try:
            yield store
        finally:
            with self._lock:
                self._active -= 1
                self._last_used = time.monotonic()
                self._schedule()
                self._idle.notify_all()

    @contextmanager
    def write(self, *, timeout: float = 10.0) -> Iterator[Store]:
        """The store opened read-write for one change, once no read runs (see the module docstring).
        StoreError when reads do not end within `timeout` seconds or the file cannot be opened."""
        from sitrep.store import StoreError

        with self._lock:
            while self._writing:
                self._idle.wait()
            self._writing = True
            try:
                if not self._idle.wait_for(lambda: self._active == 0, timeout=timeout):
                    raise StoreError(f"{self.path} is busy with reads; try again")
                if self._store is not None:
                    self._store.close()
                    self._store = None
            except BaseException:
                self._writing = False
                self._idle.notify_all()
                raise
        try:
            if not store_exists(self.path):  # read-write would create an empty store
                raise StoreError(f"no store at {self.path}; create it with `sitrep ingest` first")
            with open_store(self.path) as store:
                yield store
        finally:
            with self._lock:
                self._writing = False
                self._idle.notify_all()

    def _schedule(self) -> None:
        """Arm the idle timer (under the lock) unless one is already waiting."""
        if self._timer is None and self._store is not None:
            self._timer = threading.Timer(self.idle_seconds, self._close_if_idle)
            self._timer.daemon = True
            self._timer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            self._timer = None
            if self._store is None:
                return
            idle_for = time.monotonic() - self._last_used
            if self._active == 0 and idle_for >= self.idle_seconds:
                self._store.close()
                self._store = None
            else:
                self._timer = threading.Timer(max(0.05, self.idle_seconds - idle_for), self._close_if_idle)
                self._timer.daemon = True
                self._timer.start()

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def close(self) -> None:
        """Close now (server shutdown); a later `use` reopens."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._store is not None and self._active == 0:
                self._store.close()
                self._store = None
