"""The OpenAPI document as the code defines it, written to openapi/openapi.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app

from service.data.migrate import PROJECT_ROOT
from service.web.contract_diff import breaking_changes

COMMITTED_PATH = PROJECT_ROOT / "openapi" / "openapi.json"


def generate_openapi(app: Flask) -> dict[str, Any]:
    api = app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    # A round trip through JSON gives plain types, as a client reading the file sees them.
    spec: dict[str, Any] = json.loads(json.dumps(api.spec.to_dict()))
    return spec


def render(spec: dict[str, Any]) -> str:
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


@click.command("write-openapi")
@click.option("--check", is_flag=True, help="Fail if the committed file is out of date.")
@click.argument("path", type=click.Path(path_type=Path), default=COMMITTED_PATH)
def write_openapi_command(path: Path, check: bool) -> None:
    """Write the OpenAPI document to openapi/openapi.json (or check it is current)."""
    text = render(generate_openapi(current_app))
    if check:
        if not path.exists() or path.read_text() != text:
            raise click.ClickException(f"{path} is out of date: run `make openapi` and commit it.")
        click.echo(f"{path} is current.")
        return
    path.write_text(text)
    click.echo(f"Wrote {path}.")


RELEASED_DIR = PROJECT_ROOT / "openapi" / "released"


def latest_release() -> Path | None:
    """The contract of the newest release: openapi/released/<version>.json."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in path.stem.split("."))

    releases = sorted(RELEASED_DIR.glob("*.json"), key=version)
    return releases[-1] if releases else None


@click.command("check-breaking")
@click.option(
    "--against",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The released contract to compare with (default: the newest in openapi/released/).",
)
def check_breaking_command(against: Path | None) -> None:
    """Fail if the contract the code generates would break clients of the last release."""
    baseline = against or latest_release()
    if baseline is None:
        raise click.ClickException("No released contract in openapi/released/ to compare with.")
    problems = breaking_changes(json.loads(baseline.read_text()), generate_openapi(current_app))
    if problems:
        listed = "\n".join(f"  - {problem}" for problem in problems)
        raise click.ClickException(
            f"{len(problems)} breaking change(s) against {baseline.name}:\n{listed}\n"
            "Keep /api/v1 compatible (README, Versioning): add instead of changing, deprecate first."
        )
    click.echo(f"No breaking change against the released contract {baseline.name}.")
