"""A private PostgreSQL server for tests: initdb in a temporary folder, pg_ctl on a free local port.

No system service is needed. As root (CI) the server runs as the ``postgres`` user (PostgreSQL refuses
root); otherwise as the current user. ``start()`` returns None when PostgreSQL is not installed
(``apt-get install postgresql``, done by scripts/setup.sh).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PASSWORD = "s3cret-Pw-never-shown"


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    folder: Path
    port: int
    bindir: Path
    user: str | None  # run as this user (root runs postgres as "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://cxzy:{PASSWORD}@127.0.0.1:{self.port}/cxzy"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def psql(self, sql: str) -> str:
        proc = self._run(
            "psql",
            "-h",
            str(self.folder),
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-d",
            "postgres",
            "-v",
            "ON_ERROR_STOP=1",
            "-Atc",
            sql,
        )
        if proc.returncode:
            raise RuntimeError(proc.stderr)
        return proc.stdout

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start() -> PgServer | None:
    bindir = _bin()
    if bindir is None:
        return None
    user = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="cxzy-pg-"))
    if user:
        import pwd

        pw = pwd.getpwnam(user)
        os.chown(folder, pw.pw_uid, pw.pw_gid)
    server = PgServer(folder, _free_port(), bindir, user)
    pwfile = folder / "pw"
    pwfile.write_text("postgres-admin\n")
    if user:
        os.chown(pwfile, pw.pw_uid, pw.pw_gid)
    proc = server._run(
        "initdb",
        "-D",
        str(folder / "data"),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-locale",
        "--no-sync",
    )
    if proc.returncode:
        raise RuntimeError(f"initdb failed: {proc.stderr[-2000:]}")
    # local socket: trust (the tests' own psql); TCP: passwords only, as a shared office store would
    (folder / "data" / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n"
    )
    proc = server._run(
        "pg_ctl",
        "-D",
        str(folder / "data"),
        "-w",
        "-t",
        "60",
        "-l",
        str(folder / "log"),
        "-o",
        f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50",
        "start",
    )
    if proc.returncode:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        raise RuntimeError(f"pg_ctl start failed: {proc.stderr[-1000:]} {log[-2000:]}")
    server.psql(f"CREATE ROLE cxzy LOGIN PASSWORD '{PASSWORD}'")
    server.psql("CREATE DATABASE cxzy OWNER cxzy")
    return server
