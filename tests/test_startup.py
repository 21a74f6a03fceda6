"""The container's start-up (docker/entrypoint.sh: migrate, then exec gunicorn), run for real
outside docker against the database under test, and answered over real HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import inspect

from service.config import DEVELOPMENT_SECRET
from service.data.engine import make_engine
from tests.conftest import empty_database
from tests.image import image_environment
from tests.test_limits import REDIS_URL, reachable_redis

ROOT = Path(__file__).resolve().parent.parent
OPERATOR_SECRET = "an-operator-set-secret-of-forty-three-chars"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get_json(url: str) -> tuple[int, dict[str, object]]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, json.loads(response.read())


def _container_environment(database_url: str, port: int, tmp_path: Path) -> dict[str, str]:
    """The api container's environment (tests/image.py), but for what differs on this machine:
    where the database, Redis and the virtual environment are, the port, and the metrics folder:
    one of the test's own that does not exist yet, as /tmp/stanceline-metrics in a new container."""
    reachable_redis()
    return {
        **image_environment({"SECRET_KEY": OPERATOR_SECRET}),
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "STANCELINE_BIND": f"127.0.0.1:{port}",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "stanceline-metrics"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
    }


def test_entrypoint_migrates_then_serves_under_gunicorn(backend: str, tmp_path: Path) -> None:
    """Started as docker-compose starts the image: the Dockerfile's and docker-compose.yml's
    environment, the entrypoint, then /readyz green."""
    port = _free_port()
    with empty_database(backend, tmp_path) as database_url:
        env = _container_environment(database_url, port, tmp_path)
        server = subprocess.Popen(
            ["sh", str(ROOT / "docker" / "entrypoint.sh")],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    status, body = _get_json(f"http://127.0.0.1:{port}/readyz")
                    break
                except OSError:
                    assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
                    assert time.monotonic() < deadline, "the server did not become ready"
                    time.sleep(0.2)
            assert (status, body) == (200, {"status": "ok", "checks": {"database": "ok", "redis": "ok"}})
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/api/v1/actors", headers={"X-Request-ID": "startup-check"}
            )
            with urllib.request.urlopen(request, timeout=5) as response:
                assert response.status == 200
                assert response.headers["X-Request-ID"] == "startup-check"
                assert json.loads(response.read())["next_cursor"] is None
            for _ in range(4):  # spread over both workers
                _get_json(f"http://127.0.0.1:{port}/api/v1/actors")
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
                metrics = response.read().decode()
        finally:
            server.send_signal(signal.SIGTERM)
            output = server.communicate(timeout=30)[0].decode()
        assert server.returncode == 0, output
        assert "Running upgrade" in output or "Database at revision head" in output
        # The workers' samples are added up, whichever worker answers /metrics.
        assert (
            'stanceline_http_requests_total{method="GET",route="/api/v1/actors",status="200"} 5.0' in metrics
        )
        # Logs are JSON lines; the access log carries the request id.
        logged = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
        access = [line for line in logged if line["logger"] == "gunicorn.access"]
        assert any(line["request_id"] == "startup-check" and line["status"] == 200 for line in access)
        assert all(line["request_id"] for line in access)


@pytest.mark.parametrize("secret", ["", DEVELOPMENT_SECRET])
def test_the_image_refuses_to_start_without_a_secret_of_its_own(
    backend: str, tmp_path: Path, secret: str
) -> None:
    """In production (the image), a missing or development SECRET_KEY stops the entrypoint
    before it migrates, with a message that says what to set."""
    with empty_database(backend, tmp_path) as database_url:
        env = {**_container_environment(database_url, _free_port(), tmp_path), "SECRET_KEY": secret}
        started = subprocess.run(
            ["sh", str(ROOT / "docker" / "entrypoint.sh")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert started.returncode != 0
        assert "Set SECRET_KEY to a long random value" in started.stderr, started.stderr
        engine = make_engine(database_url)
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []  # nothing migrated
        engine.dispose()
