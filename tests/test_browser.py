"""Swagger UI in a real browser (headless Chromium, driven by Playwright): the page loads with
nothing fetched from outside, a key is entered with Authorize, and "Try it out" records a
statement (201) and finds Trump's shift (200). A screenshot is kept in test-artifacts/.

The browser is Debian's chromium; the test installs it with apt-get when it is missing, and is
skipped, saying why, only where it cannot be installed (under CI that is a failure).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from service.app import create_app
from service.config import Settings
from service.data.sessions import get_database, get_session
from service.demo.load import load_story
from tests.conftest import empty_database
from tests.faults import Gunicorn, prepare_database

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "chromium"], capture_output=True, check=False, timeout=600
        )
        found = shutil.which("chromium")
    if found is None:
        reason = "Chromium is not installed and could not be (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


@pytest.fixture
def served(backend: str, tmp_path: Path) -> Iterator[tuple[Gunicorn, str]]:
    """The real server under gunicorn, with the demo data and an editor key."""
    with empty_database(backend, tmp_path) as url:
        key = prepare_database(url)["Authorization"].removeprefix("Bearer ")
        app = create_app(Settings(database_url=url))
        with app.app_context():
            load_story(get_session())
        get_database(app).engine.dispose()
        server = Gunicorn(url, tmp_path / "gunicorn.log", WEB_CONCURRENCY="2")
        try:
            yield server, key
        finally:
            server.kill()


STATUS = ".live-responses-table tr.response td.response-col_status"


def _open_operation(page: Page, tag: str, operation_id: str) -> None:
    operation = page.locator(f"#operations-{tag}-{operation_id}")
    operation.locator(".opblock-summary").click()
    operation.locator(".try-out__btn").click()


def test_swagger_ui_works_offline_with_a_key_and_try_it_out(served: tuple[Gunicorn, str]) -> None:
    server, key = served
    chromium = _chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    requested: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("request", lambda request: requested.append(request.url))
            page.goto(f"{server.url}/docs/")
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("Stanceline API", timeout=30_000)

            page.locator("button.authorize").first.click()
            page.locator(".modal-ux input[type=text], .modal-ux input[type=password]").first.fill(key)
            page.locator(".modal-ux .auth-btn-wrapper button.authorize").click()
            page.locator(".modal-ux button.btn-done").click()

            _open_operation(page, "statements", "create_statement")
            create = page.locator("#operations-statements-create_statement")
            create.locator("button.execute").click()
            status = create.locator(STATUS).first
            expect(status).to_have_text("201", timeout=30_000)
            expect(create.locator(".live-responses-table .microlight").first).to_contain_text("donald-trump")

            _open_operation(page, "analysis", "get_actor_shifts")
            shifts = page.locator("#operations-analysis-get_actor_shifts")
            shifts.locator("tr[data-param-name='actor'] input").fill("donald-trump")
            shifts.locator("tr[data-param-name='topic'] input").fill("ukraine-territorial-integrity")
            shifts.locator("button.execute").click()
            expect(shifts.locator(STATUS).first).to_have_text("200", timeout=30_000)
            body = shifts.locator(".live-responses-table .microlight").first
            expect(body).to_contain_text("toward_positive")
            body.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "swagger-ui-try-it-out.png"), full_page=False)
        finally:
            browser.close()

    outside = [url for url in requested if not url.startswith((server.url, "data:", "blob:"))]
    assert outside == [], f"the page fetched from outside: {outside}"
    assert any(url.endswith("/openapi.json") for url in requested)
