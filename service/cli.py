"""Flask CLI commands: `flask --app service.app db upgrade`, and more as resources grow."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from marshmallow import ValidationError

from service.data import migrate
from service.data.sessions import get_database, get_session
from service.demo.load import load_story
from service.resources.articles.schemas import ArticleCreateSchema
from service.resources.articles.service import drafts_table, ingest_article
from service.resources.auth.service import create_key
from service.resources.bulk.records import BY_PLURAL
from service.resources.bulk.service import export_lines, import_csv, import_lines
from service.values.dates import WorldDate, range_start
from service.web.openapi import check_breaking_command, write_openapi_command
from service.web.roles import Role

db_cli = AppGroup("db", help="Database schema commands.")


@db_cli.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade_command(revision: str) -> None:
    """Apply Alembic migrations to DATABASE_URL (the SQLite file is made if missing)."""
    database_url = get_database().database_url
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(database_url, revision)
    click.echo(f"Database at revision {revision}.")


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("load")
def load_demo_command() -> None:
    """Load the seed story (actors, topic, events, statements); running it again changes nothing."""
    added = load_story(get_session())
    summary = ", ".join(f"{count} {resource}" for resource, count in added.items()) or "nothing new"
    click.echo(f"Demo data loaded: {summary}.")


keys_cli = AppGroup("keys", help="API keys.")


@keys_cli.command("create")
@click.option("--name", required=True, help="Who or what uses the key.")
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default=Role.admin.value, show_default=True
)
def create_key_command(name: str, role: str) -> None:
    """Make an API key (the first admin key, typically) and print its secret, shown only now."""
    key, secret = create_key(get_session(), name, Role(role))
    click.echo(f"Made {role} key {key.id} for {name!r}. Its secret, shown only this once:")
    click.echo(secret)


articles_cli = AppGroup("articles", help="News articles and their drafts.")


@articles_cli.command("ingest")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--title", help="The headline (default: the file's name).")
@click.option("--url", help="Where it was published.")
@click.option("--publisher")
@click.option("--author")
@click.option("--published-at", help="A date (2025-09-24) or an RFC 3339 date-time.")
@click.option("--language", default="en", show_default=True)
def ingest_article_command(
    file: Path,
    title: str | None,
    url: str | None,
    publisher: str | None,
    author: str | None,
    published_at: str | None,
    language: str,
) -> None:
    """Ingest an article from a UTF-8 text file and print the drafts found in it."""
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{file} is not UTF-8 text: {exc}") from exc
    body = {
        "title": title or file.stem,
        "url": url,
        "publisher": publisher,
        "author": author,
        "published_at": published_at,
        "language": language,
        "text": text,
    }
    try:
        data = ArticleCreateSchema().load(body)
    except ValidationError as exc:
        raise click.ClickException(f"The article is not valid: {exc.messages}") from exc
    article = ingest_article(get_session(), data)
    click.echo(f"Article {article.id}: {len(article.drafts)} drafts.")
    click.echo(drafts_table(article))


@click.command("import")
@with_appcontext
@click.argument("file", type=click.File("rb"))
@click.option("--mode", type=click.Choice(["all", "continue"]), default="all", show_default=True)
@click.option("--csv", "csv_type", type=click.Choice(sorted(BY_PLURAL)), help="FILE is CSV of this resource.")
def import_command(file: Any, mode: str, csv_type: str | None) -> None:
    """Import NDJSON records (or CSV rows of one resource) from FILE, of any size: it is read as
    it goes, with a progress bar."""
    size = os.fstat(file.fileno()).st_size if file.seekable() else None

    def lines_read(progress: Any) -> Iterator[bytes]:
        for line in file:
            progress.update(len(line))
            yield line

    bar: Any = click.progressbar(length=size, label="Importing", show_pos=size is None)
    with bar as progress:
        if csv_type is None:
            report = import_lines(get_database(), lines_read(progress), mode, keep_accepted=False)
        else:
            rows = (line.decode("utf-8") for line in lines_read(progress))
            report = import_csv(get_database(), rows, csv_type, mode, keep_accepted=False)
    for result in report.results:
        for field, messages in result.errors.items():
            click.echo(f"line {result.line} {field}: {'; '.join(messages)}", err=True)
    if not report.written:
        raise click.ClickException(f"{report.failed} line(s) refused; nothing was written.")
    click.echo(f"Imported {report.created} record(s); {report.failed} line(s) refused.")


@click.command("export")
@with_appcontext
@click.argument("kind", type=click.Choice(sorted(BY_PLURAL)))
@click.option("--since", help="Only records changed at or after this date or instant.")
@click.option("--output", type=click.File("w", encoding="utf-8"), default="-", show_default=True)
def export_command(kind: str, since: str | None, output: Any) -> None:
    """Write every record of KIND as NDJSON lines."""
    start = range_start(WorldDate().deserialize(since)) if since else None
    for line in export_lines(get_session(), kind, start):
        output.write(line)


def init_app(app: Flask) -> None:
    app.cli.add_command(db_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(keys_cli)
    app.cli.add_command(articles_cli)
    app.cli.add_command(import_command)
    app.cli.add_command(export_command)
    app.cli.add_command(write_openapi_command)
    app.cli.add_command(check_breaking_command)
