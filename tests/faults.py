"""Real parts for the fault tests: a PostgreSQL server of the test's own, and gunicorn serving
the app against it. The machine's shared PostgreSQL is never stopped."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from service.app import create_app
from service.config import Settings
from service.data import migrate
from service.data.sessions import get_database
from service.resources.auth.service import create_key
from service.web.roles import Role

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def postgres_bin() -> Path | None:
    """The folder of initdb and pg_ctl (Debian keeps them out of PATH)."""
    pg_config = shutil.which("pg_config")
    if pg_config:
        folder = Path(subprocess.run([pg_config, "--bindir"], capture_output=True, text=True).stdout.strip())
        if (folder / "initdb").exists():
            return folder
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


class PrivatePostgres:
    """initdb into a temporary folder, on a port of its own; start and stop only this one."""

    def __init__(self, bin_folder: Path) -> None:
        self.bin = bin_folder
        # Not under pytest's folders: they are private to root, and the server may run as postgres.
        base = Path(tempfile.mkdtemp(prefix="stanceline-postgres-"))
        self.base = base
        self.data = base / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        # initdb refuses to run as root: run the server as the postgres user then.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_user:
            shutil.chown(base, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([*self._as_user, str(self.bin / program), *args], check=True, capture_output=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.base / "log"), "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def remove(self) -> None:
        if self.is_running():
            self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


class Gunicorn:
    """`gunicorn --config gunicorn.conf.py`, as docker/entrypoint.sh starts it."""

    def __init__(self, database_url: str, log: Path, **environment: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "STANCELINE_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": "2",
            "PROMETHEUS_MULTIPROC_DIR": str(log.parent / f"metrics-{self.port}"),
            **environment,
        }
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "service.app:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_serving()
        except BaseException:
            self.kill()  # closes the log too, which would otherwise fail a later test as unraisable
            raise

    def _wait_until_serving(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"gunicorn did not start:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def output(self) -> str:
        self._log_file.flush()
        return self.log.read_text(errors="replace")

    def terminate(self) -> int:
        """SIGTERM, then wait for the graceful shutdown; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=60)
        finally:
            self._log_file.close()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self._log_file.close()


def prepare_database(database_url: str) -> dict[str, str]:
    """Migrate, and make an editor key; the Authorization header for it."""
    migrate.upgrade(database_url)
    app = create_app(Settings(database_url=database_url))
    try:
        with app.app_context(), get_database(app).new_session() as session:
            secret = create_key(session, "fault tests", Role.editor)[1]
    finally:
        get_database(app).engine.dispose()
    return {"Authorization": f"Bearer {secret}"}


def problem_of(response: Any) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/problem+json"), response.text
    body: dict[str, Any] = response.json()
    return body
