"""The environment the image's processes start with, read from the Dockerfile and docker-compose.yml,
so that the tests start them as the container does."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?::(?P<kind>[-?])(?P<text>[^}]*))?\}")


def dockerfile_environment() -> dict[str, str]:
    """Every ENV of the Dockerfile's final stage, as NAME=value pairs."""
    final_stage = (ROOT / "Dockerfile").read_text().split("\nFROM ")[-1]
    joined = final_stage.replace("\\\n", " ")
    environment: dict[str, str] = {}
    for line in joined.splitlines():
        if line.startswith("ENV "):
            environment.update(pair.split("=", 1) for pair in line.split()[1:])  # type: ignore[misc]
    return environment


def compose_environment(service: str, given: dict[str, str]) -> dict[str, str]:
    """The environment docker-compose gives `service`, its ${NAME:-default} and ${NAME:?message}
    read as docker-compose reads them with only `given` set (a missing mandatory one raises)."""

    def resolve(match: re.Match[str]) -> str:
        name, kind, text = match["name"], match["kind"], match["text"]
        if given.get(name):
            return given[name]
        if kind == "?":
            raise KeyError(f"{name}: {text}")
        return text or ""

    declared = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service]["environment"]
    return {name: _VARIABLE.sub(resolve, str(value)) for name, value in declared.items()}


def image_environment(operator: dict[str, str]) -> dict[str, str]:
    """The api container's environment: the Dockerfile's, then docker-compose's for the api
    service, with what the operator sets (`operator`, e.g. SECRET_KEY)."""
    return {**dockerfile_environment(), **compose_environment("api", operator)}
