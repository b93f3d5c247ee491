"""A throwaway Virtuoso (Debian's ``virtuoso-opensource``) on 127.0.0.1, for tests and benchmarks.

:class:`LocalVirtuoso` writes a ``virtuoso.ini`` into a fresh database directory, starts
``virtuoso-t`` in the foreground on two chosen (or free) loopback ports (ISQL and HTTP), waits
until ``/sparql`` answers, sets a random ``dba`` password through ``isql-vt`` (never logged),
and stops the server on :meth:`stop`. It is a context manager::

    with LocalVirtuoso(db_dir) as v:
        store = v.store(base_iri="http://127.0.0.1:8000/")

``python -m kb.store.virtuoso_local --dir DIR --port 8890`` (or ``scripts/virtuoso.sh``) runs one
until Ctrl-C and prints the endpoint; the password is written to ``DIR/dba-password`` (mode 600).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

SERVER_BINARIES = ("virtuoso-t", "virtuoso")
ISQL_BINARIES = ("isql-vt", "isql")
VAD_DIR = "/usr/share/virtuoso-opensource-7/vad"

_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
MaxCheckpointRemap = 2000
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {d}/virtuoso-temp.db
TransactionFile    = {d}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{isql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 20
CheckpointInterval       = 60
CaseMode                 = 2
DirsAllowed              = ., {d}, {vad}
VADInstallDir            = {vad}/
MaxQueryMem              = 1G
ThreadsPerQuery          = 2
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty}

[HTTPServer]
ServerPort                  = 127.0.0.1:{http_port}
ServerRoot                  = {d}
MaxClientConnections        = 20
ServerThreads               = 20
MaxKeepAlives               = 20
KeepAliveTimeout            = 10
HTTPThreadSize              = 280000
HttpPrintWarningsInOutput   = 0
Charset                     = UTF-8
EnabledGzipContent          = 0

[SPARQL]
ResultSetMaxRows           = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime      = 0
DefaultQuery               = select distinct ?Concept where {{[] a ?Concept}} LIMIT 100
"""


class VirtuosoUnavailable(RuntimeError):
    """Virtuoso is not installed (or does not start) on this machine."""


def find_binary(names: tuple[str, ...]) -> str | None:
    """The first of ``names`` on PATH (or in /usr/bin), else None."""
    for n in names:
        found = shutil.which(n) or (f"/usr/bin/{n}" if Path(f"/usr/bin/{n}").exists() else None)
        if found:
            return found
    return None


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalVirtuoso:
    """A Virtuoso server on 127.0.0.1 with its database in ``directory`` (see the module doc).

    ``memory_mb`` sizes Virtuoso's page buffers (8 KB each; two thirds may be dirty).
    An existing database in ``directory`` is reused (its password file too).
    """

    def __init__(self, directory: str | os.PathLike[str], http_port: int | None = None,
                 isql_port: int | None = None, memory_mb: int = 512):
        self.directory = Path(directory).resolve()
        self.http_port = http_port or free_port()
        self.isql_port = isql_port or free_port()
        self.memory_mb = memory_mb
        self.proc: subprocess.Popen[bytes] | None = None
        self.user = "dba"
        self.password = ""

    @property
    def endpoint(self) -> str:
        """The SPARQL query endpoint (anonymous, read-only)."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_endpoint(self) -> str:
        """The authenticated SPARQL endpoint (HTTP digest) that accepts updates."""
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    def start(self, wait: float = 120.0) -> "LocalVirtuoso":
        """Start the server and wait until /sparql answers; sets :attr:`password`."""
        server = find_binary(SERVER_BINARIES)
        if not server or not find_binary(ISQL_BINARIES):
            raise VirtuosoUnavailable("virtuoso-t / isql-vt not found: apt-get install virtuoso-opensource")
        self.directory.mkdir(parents=True, exist_ok=True)
        fresh = not (self.directory / "virtuoso.db").exists()
        buffers = max(2000, self.memory_mb * 1024 // 8)
        (self.directory / "virtuoso.ini").write_text(_INI.format(
            d=self.directory, isql_port=self.isql_port, http_port=self.http_port, vad=VAD_DIR,
            buffers=buffers, dirty=buffers * 2 // 3))
        self.proc = subprocess.Popen([server, "+foreground", "+configfile", "virtuoso.ini"], cwd=self.directory,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + wait
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise VirtuosoUnavailable(f"virtuoso-t exited ({self.proc.returncode}): {self.log_tail()}")
            try:
                if httpx.get(self.endpoint, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        else:
            self.stop()
            raise VirtuosoUnavailable(f"Virtuoso did not answer within {wait:.0f} s: {self.log_tail()}")
        pw_file = self.directory / "dba-password"
        if fresh or not pw_file.exists():
            self.password = secrets.token_urlsafe(18)
            self.isql(f"user_set_password('dba', '{self.password}')", password="dba")
            pw_file.write_text(self.password)
            pw_file.chmod(0o600)
        else:
            self.password = pw_file.read_text().strip()
        return self

    def isql(self, sql: str, password: str | None = None, timeout: float = 3600) -> str:
        """Run SQL (Virtuoso/PL statements separated by ';') through isql-vt as dba; its output.

        The password goes to isql on its command line inside this process tree only, never to a log.
        """
        isql = find_binary(ISQL_BINARIES)
        assert isql
        r = subprocess.run([isql, f"127.0.0.1:{self.isql_port}", self.user, password or self.password,
                            "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ERRORS=STDOUT", f"EXEC={sql}"],
                           capture_output=True, text=True, timeout=timeout)
        out = r.stdout + r.stderr
        if r.returncode != 0 or "*** Error" in out:
            raise RuntimeError(f"isql failed: {out[-1500:].replace(password or self.password, '***')}")
        return out

    def bulk_load(self, directory: Path, pattern: str = "*.nq", graph: str = "urn:quoth:bulk-default") -> None:
        """Virtuoso's own bulk loader (``ld_dir`` + ``rdf_loader_run``) over files in ``directory``
        (a path this server may read: under its database directory). N-Quads keep their graphs."""
        self.isql(f"ld_dir('{Path(directory).resolve()}', '{pattern}', '{graph}'); rdf_loader_run(); checkpoint;")
        out = self.isql("SELECT COUNT(*) FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
        errors = [ln for ln in out.split() if ln.strip().isdigit()]
        if errors and errors[-1] != "0":
            detail = self.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;")
            raise RuntimeError(f"Virtuoso bulk load failed: {detail[-1500:]}")

    def store(self, **kwargs: Any):
        """A :class:`kb.store.remote.RemoteStore` on this server (updates through /sparql-auth)."""
        from .remote import RemoteStore

        return RemoteStore(self.endpoint, update_endpoint=self.update_endpoint, user=self.user,
                           password=self.password, dialect="virtuoso", **kwargs)

    def log_tail(self, chars: int = 1500) -> str:
        log = self.directory / "virtuoso.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else "(no log)"

    def stop(self) -> None:
        """Stop the server (a checkpoint first when it still answers)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.isql("checkpoint; shutdown;", timeout=120)
        except Exception:  # noqa: BLE001 - stopping anyway
            pass
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)

    def __enter__(self) -> "LocalVirtuoso":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def main() -> None:
    """Run a local Virtuoso until Ctrl-C (``scripts/virtuoso.sh``)."""
    import argparse
    import tempfile

    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--dir", help="database directory (default: a new temporary one)")
    p.add_argument("--port", type=int, default=None, help="HTTP port (default: a free one)")
    p.add_argument("--isql-port", type=int, default=None)
    p.add_argument("--memory-mb", type=int, default=512)
    a = p.parse_args()
    directory = a.dir or tempfile.mkdtemp(prefix="quoth-virtuoso-")
    with LocalVirtuoso(directory, a.port, a.isql_port, a.memory_mb) as v:
        print(f"Virtuoso on {v.endpoint} (updates: {v.update_endpoint}, user dba, password in "
              f"{v.directory / 'dba-password'}); Ctrl-C stops it", flush=True)
        print(f"  QUOTH_SPARQL_ENDPOINT={v.endpoint} QUOTH_SPARQL_UPDATE_ENDPOINT={v.update_endpoint} "
              f"QUOTH_SPARQL_USER=dba QUOTH_SPARQL_PASSWORD=$(cat {v.directory / 'dba-password'})", flush=True)
        try:
            v.proc.wait()  # type: ignore[union-attr]
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
