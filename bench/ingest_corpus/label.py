"""Build a corpus article (JSON) from its text and a label list, finding each span in the text.

    .venv/bin/python bench/ingest_corpus/label.py ARTICLE.txt ARTICLE.labels OUT.json

The label list is plain lines (see README.md beside this file):

    url: https://...            publisher: ...    title: ...    published: 2022-07-06 (or empty)
    split: dev | holdout | holdout-2 | holdout-3 | holdout-4
    @person Boris Johnson       @org Associated Press = AP      (the speakers, with aliases)
    ignore: words [~~ end words] [| occurrence]                 (not scored: headlines, boilerplate)
    direct | Boris Johnson | the quoted words [~~ end words] [| occurrence]

A span is the words as they stand in the text; `a ~~ b` runs from the start of `a` to the end
of the first `b` after it (quotes across paragraphs). Words found more than once need their
occurrence (1 for the first). Anything not found, or ambiguous, stops the build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

KINDS = ("direct", "mixed", "indirect")


def locate(text: str, words: str, occurrence: int | None, where: str) -> tuple[int, int]:
    first, _, last = (part.strip() for part in words.partition("~~"))
    starts = []
    at = text.find(first)
    while at >= 0:
        starts.append(at)
        at = text.find(first, at + 1)
    if not starts:
        raise SystemExit(f"{where}: not in the text: {first!r}")
    if occurrence is None and len(starts) > 1:
        raise SystemExit(f"{where}: {len(starts)} occurrences of {first!r}: give one")
    if len(starts) < (occurrence or 1):
        raise IndexError(f"{where}: fewer than {occurrence} occurrences of {first!r}")
    start = starts[(occurrence or 1) - 1]
    if not last:
        return start, start + len(first)
    end = text.find(last, start + len(first))
    if end < 0:
        raise SystemExit(f"{where}: no {last!r} after {first!r}")
    return start, end + len(last)


def build(text: str, lines: list[str], name: str) -> dict[str, Any]:
    article: dict[str, Any] = {"speakers": [], "ignore": [], "labels": []}
    known: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\n")
        where = f"{name}:{number}"
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@"):
            kind, _, rest = line[1:].partition(" ")
            speaker, _, aliases = rest.partition("=")
            entry = {"name": speaker.strip(), "kind": {"person": "person", "org": "organization"}[kind]}
            entry["aliases"] = [alias.strip() for alias in aliases.split(",") if alias.strip()]
            article["speakers"].append(entry)
            known.add(entry["name"])
        elif line.startswith("ignore:"):
            words, _, occurrence = line[len("ignore:") :].strip().partition(" | ")
            if occurrence:  # that occurrence only: a standfirst the body repeats
                article["ignore"].append(list(locate(text, words, int(occurrence), where)))
                continue
            at = 1
            while True:  # every occurrence: a headline repeated in the page is ignored twice
                try:
                    start, end = locate(text, words, at, where)
                except IndexError:
                    break
                article["ignore"].append([start, end])
                at += 1
        elif "|" in line:
            parts = [part.strip() for part in line.split("|")]
            kind, speaker, words = parts[:3]
            occurrence = int(parts[3]) if len(parts) > 3 else None
            if kind not in KINDS:
                raise SystemExit(f"{where}: kind {kind!r} is not one of {KINDS}")
            if speaker != "unnamed" and speaker not in known:
                raise SystemExit(f"{where}: speaker {speaker!r} is not declared with @person or @org")
            start, end = locate(text, words, occurrence, where)
            article["labels"].append(
                {"kind": kind, "speaker": speaker, "start": start, "end": end, "words": text[start:end]}
            )
        else:
            key, _, value = line.partition(":")
            article[key.strip()] = value.strip() or None
    for required in ("url", "publisher", "title", "split"):
        if not article.get(required):
            raise SystemExit(f"{name}: no {required}")
    article["labels"].sort(key=lambda label: (label["start"], label["kind"]))
    ordered = {key: article.get(key) for key in ("url", "publisher", "title", "published", "split")}
    return {**ordered, "text": text, **{k: article[k] for k in ("speakers", "ignore", "labels")}}


def main() -> None:
    text_file, labels_file, out = (Path(arg) for arg in sys.argv[1:4])
    text = text_file.read_text(encoding="utf-8")
    article = build(text, labels_file.read_text(encoding="utf-8").splitlines(), labels_file.name)
    for label in article["labels"]:
        assert text[label["start"] : label["end"]] == label["words"]
    out.write_text(json.dumps(article, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out.name}: {len(article['labels'])} labels")


if __name__ == "__main__":
    main()
