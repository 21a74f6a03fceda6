"""A URL too long is a 414 problem+json, under the real server (gunicorn.conf.py) as well."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from flask.testing import FlaskClient

from service.data import migrate
from service.web.inputs import MAX_URL_BYTES
from tests.conftest import empty_database
from tests.helpers import assert_problem
from tests.test_startup import ROOT, _free_port


def _fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_a_url_over_the_limit_is_414_problem_json(client: FlaskClient) -> None:
    problem = assert_problem(client.get("/api/v1/actors?q=" + "a" * MAX_URL_BYTES), 414, "uri-too-long")
    assert str(MAX_URL_BYTES) in problem["detail"]


def test_gunicorn_answers_long_urls_as_problem_json(backend: str, tmp_path: Path) -> None:
    port = _free_port()
    with empty_database(backend, tmp_path) as database_url:
        migrate.upgrade(database_url)
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "STANCELINE_BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        }
        env.pop("REDIS_URL", None)
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-c",
                "gunicorn.conf.py",
                "service.app:create_app()",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2).close()
                    break
                except OSError:
                    assert server.poll() is None, server.stdout.read().decode()  # type: ignore[union-attr]
                    assert time.monotonic() < deadline, "the server did not start"
                    time.sleep(0.2)
            # Over gunicorn's default of 4,094 bytes, under the service's limit: answered by the app.
            status, _, _ = _fetch(f"{base}/api/v1/actors/" + "a" * 5000)
            assert status == 404
            status, content_type, body = _fetch(f"{base}/api/v1/actors/" + "a" * (MAX_URL_BYTES + 10))
            assert status == 414
            assert content_type == "application/problem+json"
            assert json.loads(body)["type"] == "urn:stanceline:problem:uri-too-long"
        finally:
            server.terminate()
            server.communicate(timeout=30)
