"""A throwaway PostgreSQL cluster for the tests and the benchmarks: initdb in a temporary folder,
started on a free loopback port with its unix socket in that folder, stopped and removed afterwards.

PostgreSQL refuses to run as root, so when this process is root the server binaries run as the
`postgres` system user (created by Debian's postgresql package) through `runuser`. The binaries are
Debian's (/usr/lib/postgresql/<version>/bin, or $SITREP_PG_BIN); `make postgres` installs them. A
missing installation raises PostgresUnavailable: the PostgreSQL tests fail loudly, never skip.
fsync is off: the cluster is thrown away, and durability is PostgreSQL's own business, not ours.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries, or the cluster would not start."""


def server_bin() -> Path:
    """The folder of initdb and pg_ctl: $SITREP_PG_BIN, else the newest /usr/lib/postgresql/N/bin."""
    given = os.environ.get("SITREP_PG_BIN")
    if given:
        return Path(given)
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    if not versions:
        raise PostgresUnavailable(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run `make postgres` "
            "(apt-get install -y postgresql) or set SITREP_PG_BIN")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Cluster:
    """A running throwaway cluster; `url(db)` is a libpq URL sitrep's open_store takes."""

    folder: Path
    port: int
    user: str
    _bin: Path
    _as: list[str] = field(default_factory=list)
    running: bool = False

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, prefix: str = "t") -> str:
        """A new empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, check=False)

    def stop(self) -> None:
        """Stop the server (immediate: nothing in it is kept) and remove the folder; idempotent."""
        if self.running:
            self._run(str(self._bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
            self.running = False
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(settings: str = "") -> Cluster:
    """initdb + pg_ctl start in a new temporary folder; the caller must `stop()` it (an atexit
    hook stops it too, should the caller die before its finalizer runs). `settings`: more server
    options ("-c shared_buffers=1GB ..."), for the benchmarks."""
    bin_dir = server_bin()
    folder = Path(tempfile.mkdtemp(prefix="sitrep-pg-"))
    run_as: list[str] = []
    user = "postgres"
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise PostgresUnavailable("running as root without runuser: cannot start PostgreSQL as `postgres`")
        run_as = [runuser, "-u", "postgres", "--"]
        shutil.chown(folder, "postgres")
    folder.chmod(0o700)
    sock = folder / "socket"
    sock.mkdir()
    if run_as:
        shutil.chown(sock, "postgres")
    cluster = Cluster(folder=folder, port=_free_port(), user=user, _bin=bin_dir, _as=run_as)
    atexit.register(cluster.stop)
    done = cluster._run(str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", user, "-A", "trust",
                        "-E", "UTF8", "--no-sync", "--locale=C")
    if done.returncode != 0:
        cluster.stop()
        raise PostgresUnavailable(f"initdb failed:\n{done.stdout}\n{done.stderr}")
    options = (f"-p {cluster.port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off "
               "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 " + settings).strip()
    done = cluster._run(str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-o", options,
                        "-l", str(folder / "server.log"), "-w", "-t", "60", "start")
    if done.returncode != 0:
        log = (folder / "server.log").read_text(errors="replace") if (folder / "server.log").exists() else ""
        cluster.stop()
        raise PostgresUnavailable(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log}")
    cluster.running = True
    return cluster
