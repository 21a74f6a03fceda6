"""Article ingest: drafts found in the seed article and in another layout, reviewed and accepted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from service.data.sessions import get_session
from service.demo.load import load_story
from service.demo.story import STATEMENTS
from service.values.examples import seed_id_text
from tests.helpers import assert_problem

CONTRACT = Path(__file__).resolve().parents[1] / "openapi" / "openapi.json"

SEED = (Path(__file__).resolve().parent.parent / "service" / "demo" / "seed_article.txt").read_text(
    encoding="utf-8"
)
ARTICLE = {
    "title": "Trump's pivot",
    "url": "https://example.com/a",
    "published_at": "2025-09-24",
    "language": "en",
}
DEMO = {record.key: record.payload for record in STATEMENTS}

# Another layout: straight quotes, "said ... that", "told reporters", a speaker's colon in
# running text, and a post signed without a picture link.
SECOND = """Kyiv, 2 October 2025.

Volodymyr Zelensky said on Tuesday that "Ukraine will never trade land for peace."

"We are ready to talk, but not to surrender," Zelensky told reporters in Kyiv.

Jane Doe: Sanctions have to bite harder before Moscow listens.

Europe must act now. — Kaja Kallas (@kajakallas) October 1, 2025
"""


def _ingest(client: FlaskClient, text: str, **fields: Any) -> dict[str, Any]:
    response = client.post("/api/v1/articles", json={**ARTICLE, **fields, "text": text})
    assert response.status_code == 201, response.get_json()
    return dict(response.get_json())


def _by(drafts: list[dict[str, Any]], rule: str, speaker: str | None) -> dict[str, Any]:
    found = [d for d in drafts if d["rule"] == rule and (d["speaker"] or {}).get("slug") == speaker]
    assert len(found) == 1, [(d["rule"], d["speaker"], d["text"][:40]) for d in drafts]
    return found[0]


def test_the_seed_article_yields_its_posts_and_quotes_with_exact_spans(demo: FlaskClient) -> None:
    article = _ingest(demo, SEED)
    drafts = article["drafts"]

    assert article["text"] == SEED
    for draft in drafts:
        assert SEED[draft["span_start"] : draft["span_end"]] == draft["text"]
        assert 0 < draft["confidence"] <= 1
    posts = {d["speaker"]["slug"]: d for d in drafts if d["rule"] == "embedded-post"}
    assert {slug: post["said_at"][:10] for slug, post in posts.items()} == {
        "jurgen-nauditt": "2025-08-17",
        "acyn": "2025-09-23",
        "jake-broe": "2025-09-16",
    }
    assert posts["jake-broe"]["text"].startswith("Trump’s Alaska summit with Putin")
    assert posts["jake-broe"]["text"].endswith("– launched drones into…")
    repost = _by(drafts, "quote-then-speaker", "donald-trump")
    assert (repost["kind"], repost["relayed_by"]["slug"], repost["said_at"][:10]) == (
        "repost",
        "jurgen-nauditt",
        "2025-08-17",
    )
    assert repost["text"] == DEMO["trump-repost-2025-08-17"]["text"]
    post = _by(drafts, "relayed-colon", "donald-trump")
    assert (post["kind"], post["relayed_by"]["slug"], post["said_at"][:10]) == ("post", "acyn", "2025-09-23")
    assert post["text"] == DEMO["trump-post-2025-09-23"]["text"]
    assert post["source_url"] == "https://pic.twitter.com/8eUCfuiYFr"
    tiger = next(d for d in drafts if d["text"] == "look like a paper tiger")
    assert (tiger["speaker"]["slug"], tiger["kind"], tiger["rule"]) == (
        "donald-trump",
        "quote",
        "quoted-phrase-near-speaker",
    )
    changer = next(d for d in drafts if d["text"] == "game changer")
    assert changer["speaker"]["slug"] == "volodymyr-zelensky"


def _review(client: FlaskClient, draft: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    url = f"/api/v1/articles/{draft['article_id']}/drafts/{draft['id']}"
    etag = client.get(url).headers["ETag"]
    response = client.patch(url, json=changes, headers={"If-Match": etag})
    assert response.status_code == 200, response.get_json()
    return dict(response.get_json())


def _accept(client: FlaskClient, draft: dict[str, Any]) -> Any:
    return client.post(f"/api/v1/articles/{draft['article_id']}/drafts/{draft['id']}/accept")


def test_reviewed_drafts_become_the_statements_the_demo_data_holds(demo: FlaskClient) -> None:
    article = _ingest(demo, SEED)
    drafts = article["drafts"]
    unga = seed_id_text("events", "unga-80-general-debate")
    reviews = {
        "trump-repost-2025-08-17": (_by(drafts, "quote-then-speaker", "donald-trump"), {}),
        "trump-post-2025-09-23": (_by(drafts, "relayed-colon", "donald-trump"), {}),
        "trump-paper-tiger-2025-09-23": (
            next(d for d in drafts if d["text"] == "look like a paper tiger"),
            {"said_at": "2025-09-23", "event": unga, "mentions": ["russia"]},
        ),
        "zelensky-game-changer-2025-09-24": (
            next(d for d in drafts if d["text"] == "game changer"),
            {"mentions": ["donald-trump"]},
        ),
    }
    for key, (draft, changes) in reviews.items():
        expected = DEMO[key]
        positions = expected.get("positions", [])
        reviewed = _review(demo, draft, {**changes, "positions": positions})
        accepted = _accept(demo, reviewed)
        assert accepted.status_code == 201, accepted.get_json()
        statement = accepted.get_json()
        assert accepted.headers["Location"] == f"/api/v1/statements/{statement['id']}"

        assert statement["actor"]["slug"] == expected["actor"]
        assert statement["kind"] == expected["kind"]
        assert statement["text"] == expected["text"]
        assert statement["said_at"][:10] == expected["said_at"]
        assert statement["said_at_precision"] == "day"
        assert sorted(m["slug"] for m in statement["mentions"]) == sorted(expected["mentions"])
        assert [(p["topic"]["slug"], p["value"], p["confidence"]) for p in statement["positions"]] == [
            (p["topic"], p["value"], p["confidence"]) for p in positions
        ]
        assert (statement["event"] or {}).get("id") == (unga if "event" in expected else None)
        assert statement["article"] == {
            "id": article["id"],
            "span_start": draft["span_start"],
            "span_end": draft["span_end"],
        }
        assert statement["source"]["title"] == ARTICLE["title"]
        assert demo.get(f"/api/v1/statements/{statement['id']}").get_json()["article"]["id"] == article["id"]


def test_accepting_twice_makes_one_statement(demo: FlaskClient) -> None:
    draft = next(d for d in _ingest(demo, SEED)["drafts"] if d["text"] == "game changer")
    first = _accept(demo, draft)

    again = _accept(demo, draft)

    body = assert_problem(again, 409, "conflict")
    assert body["statement_id"] == first.get_json()["id"]
    documented = json.loads(CONTRACT.read_text())["components"]["schemas"]["Problem"]["properties"]
    assert set(body) <= set(documented)  # the Problem schema refuses other members
    said = demo.get("/api/v1/statements?actor=volodymyr-zelensky&limit=200").get_json()["items"]
    assert [s["text"] for s in said].count("game changer") == 2  # the demo's and this one
    current = demo.get(f"/api/v1/articles/{draft['article_id']}/drafts/{draft['id']}").get_json()
    assert (current["status"], current["statement_id"]) == ("accepted", first.get_json()["id"])


def test_another_layout_is_handled_and_unknown_speakers_are_proposed(demo: FlaskClient) -> None:
    article = _ingest(demo, SECOND, published_at="2025-10-02")
    drafts = article["drafts"]
    texts = {d["text"]: d for d in drafts}

    said = texts["Ukraine will never trade land for peace"]
    assert (said["rule"], said["speaker"]["slug"], said["kind"]) == (
        "quoted-phrase-near-speaker",
        "volodymyr-zelensky",
        "quote",
    )
    told = texts["We are ready to talk, but not to surrender"]
    assert (told["rule"], told["speaker"]["slug"]) == ("quote-then-speaker", "volodymyr-zelensky")
    assert told["said_at"][:10] == "2025-10-02"
    doe = texts["Sanctions have to bite harder before Moscow listens."]
    assert (doe["rule"], doe["speaker"], doe["proposed_speaker"]) == (
        "speaker-colon",
        None,
        {"name": "Jane Doe", "handle": None},
    )
    kallas = texts["Europe must act now."]
    assert (kallas["rule"], kallas["speaker"]) == ("embedded-post", None)
    assert kallas["proposed_speaker"] == {"name": "Kaja Kallas", "handle": "@kajakallas"}
    assert kallas["said_at"][:10] == "2025-10-01"

    refused = _accept(demo, doe)
    body = assert_problem(refused, 422, "validation-error")
    assert "Jane Doe" in body["errors"]["speaker"][0]
    demo.post("/api/v1/actors", json={"name": "Jane Doe", "kind": "person"})
    reviewed = _review(demo, doe, {"speaker": "jane-doe"})
    assert _accept(demo, reviewed).status_code == 201


def test_moving_the_span_moves_the_text_and_a_span_outside_is_refused(demo: FlaskClient) -> None:
    draft = next(d for d in _ingest(demo, SECOND)["drafts"] if d["rule"] == "speaker-colon")
    start = SECOND.index("Sanctions")

    moved = _review(
        demo, draft, {"span_start": start, "span_end": start + len("Sanctions have to bite harder")}
    )
    assert moved["text"] == "Sanctions have to bite harder"

    url = f"/api/v1/articles/{draft['article_id']}/drafts/{draft['id']}"
    outside = demo.patch(url, json={"span_end": len(SECOND) + 1})
    assert "span_end" in assert_problem(outside, 422, "validation-error")["errors"]
    backwards = demo.patch(url, json={"span_start": start + 5, "span_end": start + 2})
    assert_problem(backwards, 422, "validation-error")
    assert demo.get(url).get_json()["text"] == "Sanctions have to bite harder"


def test_a_rejected_draft_keeps_its_reason_and_changes_no_more(demo: FlaskClient) -> None:
    draft = next(d for d in _ingest(demo, SEED)["drafts"] if d["rule"] == "embedded-post")
    url = f"/api/v1/articles/{draft['article_id']}/drafts/{draft['id']}"

    rejected = demo.post(f"{url}/reject", json={"reason": "Commentary, not a statement."})

    assert rejected.status_code == 200
    assert (rejected.get_json()["status"], rejected.get_json()["rejection_reason"]) == (
        "rejected",
        "Commentary, not a statement.",
    )
    assert_problem(demo.patch(url, json={"kind": "quote"}), 409, "conflict")
    assert_problem(_accept(demo, draft), 409, "conflict")
    pending = demo.get(f"/api/v1/articles/{draft['article_id']}/drafts?status=pending").get_json()["items"]
    assert draft["id"] not in [d["id"] for d in pending]


def test_the_text_is_kept_exactly_as_sent(client: FlaskClient) -> None:
    text = "  Line one\r\nLine two\twith tab  \n\n“Quoted” — ünïcödé 🇺🇦\u00a0end  "

    article = _ingest(client, text)

    assert article["text"] == text
    assert client.get(f"/api/v1/articles/{article['id']}").get_json()["text"] == text
    assert client.get("/api/v1/articles").get_json()["items"][0]["draft_count"] == len(article["drafts"])


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_text_is_refused(client: FlaskClient, text: str) -> None:
    response = client.post("/api/v1/articles", json={**ARTICLE, "text": text})

    assert "text" in assert_problem(response, 422, "validation-error")["errors"]
    assert client.get("/api/v1/articles").get_json()["items"] == []


def test_a_text_over_the_size_limit_is_refused(client: FlaskClient) -> None:
    response = client.post("/api/v1/articles", json={**ARTICLE, "text": "word " * 20_000})

    assert_problem(response, 413)
    assert client.get("/api/v1/articles").get_json()["items"] == []


def test_a_body_that_is_not_utf8_is_refused(client: FlaskClient) -> None:
    body = '{"title": "x", "text": "caf\xe9"}'.encode("latin-1")

    response = client.post("/api/v1/articles", data=body, content_type="application/json")

    assert_problem(response, 400, "malformed-json")


def test_the_cli_ingests_a_file_and_prints_the_drafts(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    with app.app_context():
        load_story(get_session())
    file = tmp_path / "seed.txt"
    file.write_text(SEED, encoding="utf-8")

    result = app.test_cli_runner().invoke(
        args=["articles", "ingest", str(file), "--title", "Seed", "--published-at", "2025-09-24"]
    )

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("8 drafts.")
    assert lines[1].split() == [
        "#",
        "rule",
        "conf",
        "kind",
        "speaker",
        "relayed",
        "by",
        "said",
        "span",
        "excerpt",
    ]
    assert any("relayed-colon" in line and "Donald Trump" in line and "Acyn" in line for line in lines)
    assert any("look like a paper tiger" in line for line in lines)


def test_a_filter_with_a_nul_character_is_refused_not_a_server_error(client: FlaskClient) -> None:
    response = client.get("/api/v1/articles", query_string={"publisher": "Example\x00News"})

    assert "publisher" in assert_problem(response, 422, "validation-error")["errors"]


def test_he_said_is_read_as_the_person_named_before(demo: FlaskClient) -> None:
    text = 'Zelensky spoke in Kyiv. He said "we will not give up land" on Tuesday.'

    drafts = _ingest(demo, text)["drafts"]

    assert [(d["text"], d["speaker"]["slug"]) for d in drafts] == [
        ("we will not give up land", "volodymyr-zelensky")
    ]


def test_a_text_with_more_drafts_than_anyone_can_review_is_refused_quickly(client: FlaskClient) -> None:
    client.post("/api/v1/actors", json={"name": "Jane Roe", "kind": "person"})
    text = 'Jane Roe said "yes" and "no". ' * 600

    response = client.post("/api/v1/articles", json={**ARTICLE, "text": text})

    assert "text" in assert_problem(response, 422, "validation-error")["errors"]
    assert client.get("/api/v1/articles").get_json()["items"] == []


# Constructions of real news (issue 25): each draft is checked for its words, kind and speaker.


def _drafts(client: FlaskClient, text: str, **fields: Any) -> list[dict[str, Any]]:
    drafts = _ingest(client, text, **fields)["drafts"]
    for draft in drafts:
        assert text[draft["span_start"] : draft["span_end"]] == draft["text"]
    return drafts


def _who(draft: dict[str, Any]) -> str | None:
    if draft["speaker"]:
        return str(draft["speaker"]["slug"])
    proposed = draft["proposed_speaker"] or {}
    return proposed.get("name") or f"unnamed: {proposed.get('description')}"


def _actor(client: FlaskClient, name: str, kind: str = "person", aliases: list[str] | None = None) -> None:
    response = client.post("/api/v1/actors", json={"name": name, "kind": kind, "aliases": aliases or []})
    assert response.status_code == 201, response.get_json()


def test_he_said_after_a_quote_is_the_person_the_sentence_before_is_about(client: FlaskClient) -> None:
    _actor(client, "Boris Johnson")
    text = (
        "Boris Johnson refused to resign on Wednesday. After the meeting, Sajid Javid called on "
        "other ministers to resign. “The problem starts at the top,” he said."
    )

    drafts = _drafts(client, text)

    quote = next(d for d in drafts if d["text"] == "The problem starts at the top")
    assert (quote["rule"], _who(quote)) == ("quote-then-speaker", "Sajid Javid")


def test_the_verb_before_the_name_and_titles_stripped_from_proposed_names(client: FlaskClient) -> None:
    text = (
        "“We will act very soon,” said Canadian Foreign Minister Melanie Joly on Monday. "
        "“More sanctions will come,” the minister added."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("We will act very soon", "Melanie Joly"),
        ("More sanctions will come", "Melanie Joly"),
    ]


def test_a_surname_and_a_title_are_matched_to_actors(client: FlaskClient) -> None:
    _actor(client, "Melanie Joly")
    _actor(client, "Keir Starmer", aliases=["Prime Minister"])
    text = (
        "“There will be more sanctions announced very soon,” Joly told a news conference. "
        "Earlier, “we stand with Ukraine for as long as it takes,” the Prime Minister said."
    )

    drafts = _drafts(client, text)

    assert {d["text"]: _who(d) for d in drafts} == {
        "There will be more sanctions announced very soon": "melanie-joly",
        "we stand with Ukraine for as long as it takes": "keir-starmer",
    }


def test_institutions_and_unnamed_sources_are_proposed_as_such(client: FlaskClient) -> None:
    text = (
        "“We reject these claims entirely,” Netanyahu's office said in a statement. "
        "“Senior officials promised us nothing at all,” a senior Taliban commander said."
    )

    drafts = _drafts(client, text)

    office, commander = drafts
    assert office["proposed_speaker"] == {
        "name": "Netanyahu's office",
        "handle": None,
        "kind": "organization",
    }
    assert commander["proposed_speaker"]["name"] is None
    assert commander["proposed_speaker"]["description"] == "a senior Taliban commander"


def test_a_quote_over_several_paragraphs_is_one_draft(client: FlaskClient) -> None:
    text = (
        "In a statement to MPs, Sir Lindsay Hoyle said: “Yes absolutely, resign.\n\n"
        "“Members are elected to this House to represent their constituents.\n\n"
        "“It is not acceptable, and it will not happen.”\n\nThe session went on."
    )

    drafts = _drafts(client, text)

    assert len(drafts) == 1
    assert drafts[0]["text"].startswith("Yes absolutely, resign.")
    assert drafts[0]["text"].endswith("it will not happen")
    assert _who(drafts[0]) == "Lindsay Hoyle"


def test_indirect_speech_is_drafted_as_a_paraphrase(client: FlaskClient) -> None:
    _actor(client, "Boris Johnson")
    _actor(client, "Anne-Claire Legendre")
    text = (
        "Boris Johnson said he did not know about the parties in Downing Street. "
        "Anne-Claire Legendre denied France would send troops to Ukraine, saying Paris would "
        "support Kyiv only through sanctions. "
        "Violence in eastern Ukraine has fallen sharply since the ceasefire, the Foreign Ministry said."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["kind"], _who(d)) for d in drafts] == [
        ("he did not know about the parties in Downing Street", "paraphrase", "boris-johnson"),
        ("France would send troops to Ukraine", "paraphrase", "anne-claire-legendre"),
        ("Paris would support Kyiv only through sanctions", "paraphrase", "anne-claire-legendre"),
        (
            "Violence in eastern Ukraine has fallen sharply since the ceasefire",
            "paraphrase",
            "Foreign Ministry",
        ),
    ]


def test_a_quoted_phrase_in_a_reporting_sentence_is_its_speakers(client: FlaskClient) -> None:
    _actor(client, "Jean-Yves Le Drian")
    _actor(client, "Sergey Lavrov")
    text = (
        "Foreign Minister Jean-Yves Le Drian held a call with his Russian counterpart, Sergey Lavrov, "
        "warning him of the “consequences” of an attack."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        ("consequences", "quoted-phrase-near-speaker", "jean-yves-le-drian")
    ]


def test_scare_quotes_and_titles_of_works_are_not_drafted(demo: FlaskClient) -> None:
    text = (
        "Zelensky arrived for what organisers dubbed the “peace week” in Geneva. "
        "Trump later appeared on the “Media Buzz” programme. The so-called “coalition of the willing” met."
    )

    assert _drafts(demo, text) == []


def test_said_at_is_the_weekday_or_date_the_sentence_gives(client: FlaskClient) -> None:
    text = (
        "“We will not give up any land,” Zelensky told reporters on Tuesday.\n\n"
        "“The talks are over for now,” Zelensky said on 12 December 2024.\n\n"
        "“We are ready to talk again,” Zelensky said."
    )

    drafts = _drafts(client, text, published_at="2025-10-02")  # a Thursday

    assert [d["said_at"][:10] for d in drafts] == ["2025-09-30", "2024-12-12", "2025-10-02"]


def test_a_known_event_the_sentence_names_is_proposed(demo: FlaskClient) -> None:
    text = "At the Trump–Putin summit in Alaska, Trump said: “We had a very productive meeting.”"

    drafts = _drafts(demo, text)

    assert [(d["speaker"]["slug"], d["event"]) for d in drafts] == [
        ("donald-trump", seed_id_text("events", "alaska-summit"))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The parliament met on Tuesday and adjourned without a vote.",
        "« Nous ne céderons pas un mètre », a déclaré le ministre devant les députés.",
        "وقال الوزير إن العقوبات ستبقى حتى الالتزام الكامل بالاتفاقية.",
    ],
    ids=["no quotes", "French", "Arabic"],
)
def test_an_article_without_english_statements_yields_no_drafts(client: FlaskClient, text: str) -> None:
    assert _drafts(client, text) == []


@pytest.mark.parametrize(
    "text",
    [
        'He said: “We will win.\n\nThe end” came and "then a stray mark and “another',
        '”“”""“ ” " “',
        "“Unclosed at the very end, said the minister",
    ],
    ids=["unclosed and stray", "marks only", "unclosed to the end"],
)
def test_mismatched_quote_marks_give_exact_spans_or_none(client: FlaskClient, text: str) -> None:
    for draft in _drafts(client, text):
        assert draft["text"].strip()


def test_a_one_megabyte_article_is_refused_as_too_large(client: FlaskClient) -> None:
    response = client.post("/api/v1/articles", json={**ARTICLE, "text": "“Words,” he said. " * 60_000})

    assert_problem(response, 413)
    assert client.get("/api/v1/articles").get_json()["items"] == []


# Rules written for faults the held-out articles showed; each holds beyond the article it came from.


def test_a_name_may_end_with_a_particle_joined_to_it(client: FlaskClient) -> None:
    text = (
        "Foreign Minister Dr Khalid bin Mohamed al-Attiyah said that the siege on Gaza had to end. "
        "“There can be no ceasefire without it,” al-Attiyah told reporters."
    )

    drafts = _drafts(client, text)

    assert [(d["kind"], _who(d)) for d in drafts] == [
        ("paraphrase", "Khalid bin Mohamed al-Attiyah"),
        ("quote", "Khalid bin Mohamed al-Attiyah"),
    ]


def test_a_demonym_before_a_noun_describes_the_speaker_and_does_not_name_them(client: FlaskClient) -> None:
    text = (
        "Matti Friedman said the bureau slanted its coverage. In an interview this week, the "
        "Canadian-Israeli journalist recalled that he had been thrilled to join the agency."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the bureau slanted its coverage", "Matti Friedman"),
        ("he had been thrilled to join the agency", "Matti Friedman"),
    ]


def test_a_name_before_an_apposition_that_opens_with_a_possessive_is_the_speaker(client: FlaskClient) -> None:
    text = "Josef Federman, AP's bureau chief, said that the claims against the agency were unfounded."

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the claims against the agency were unfounded", "Josef Federman")
    ]


def test_he_is_the_person_just_introduced_and_not_one_named_in_a_possessive(client: FlaskClient) -> None:
    _actor(client, "Matti Friedman")
    _actor(client, "Paul Colford")
    text = (
        "Matti Friedman said the bureau was biased. AP answered Mr Friedman's articles with a "
        "statement by its media relations director, Paul Colford, on Tuesday. He claimed that the "
        "agency had always tried to be fair."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the bureau was biased", "matti-friedman"),
        ("the agency had always tried to be fair", "paul-colford"),
    ]


def test_a_full_stop_ends_a_name_unless_it_ends_an_initial_or_an_abbreviation(client: FlaskClient) -> None:
    _actor(client, "Matt Lee")
    text = (
        "The talks ended in Geneva. Lee said that the story went out when it was ready. "
        "J. D. Vance said that the talks had gone well."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the story went out when it was ready", "matt-lee"),
        ("the talks had gone well", "J. D. Vance"),
    ]


def test_a_question_mark_inside_a_quote_does_not_end_the_sentence_that_attributes_it(
    client: FlaskClient,
) -> None:
    _actor(client, "Jo Swinson")
    text = (
        "Jo Swinson accused the government of breaking its word. "
        "“Just how low will your government stoop?” she raged on Twitter."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        ("Just how low will your government stoop?", "quote-then-speaker", "jo-swinson")
    ]


def test_a_sentence_broken_across_lines_is_read_as_one(client: FlaskClient) -> None:
    text = (
        "Khalid al-Attiyah said that the siege left Gaza no option but to fight for a\n"
        "better life.\n\nThe talks go on."
    )

    drafts = _drafts(client, text)

    assert [d["text"] for d in drafts] == ["the siege left Gaza no option but to fight for a\nbetter life"]


def test_a_source_described_first_and_named_soon_after_is_that_person(client: FlaskClient) -> None:
    text = (
        "An Afghan government spokesman said that all allies were insisting on a ceasefire. "
        "The talks resumed in Doha. Addressing reporters on Saturday, spokesman Sediq Sediqqi said "
        "the talks were underway. A senior official said that nothing had been agreed."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("all allies were insisting on a ceasefire", "Sediq Sediqqi"),
        ("the talks were underway", "Sediq Sediqqi"),
        ("nothing had been agreed", "unnamed: A senior official"),
    ]


@pytest.mark.parametrize(
    ("published_at", "leader"), [("2024-06-05", "justin-trudeau"), ("2025-06-05", "mark-carney")]
)
def test_a_leaders_title_is_whoever_the_recorded_relations_say_led_the_state_then(
    client: FlaskClient, published_at: str, leader: str
) -> None:
    _actor(client, "Canada", kind="state")
    _actor(client, "Justin Trudeau")
    _actor(client, "Mark Carney")
    for subject, since, until in (
        ("justin-trudeau", "2015-11-04", "2025-03-13"),
        ("mark-carney", "2025-03-14", None),
    ):
        relation = {
            "subject": subject,
            "object": "canada",
            "kind": "leader_of",
            "valid_from": since,
            "valid_until": until,
        }
        assert client.post("/api/v1/relations", json=relation).status_code == 201
    text = "Canada will send more aid to Ukraine this winter, the prime minister said on Monday."

    drafts = _drafts(client, text, published_at=published_at)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("Canada will send more aid to Ukraine this winter", leader)
    ]


def test_the_subject_of_a_subordinate_clause_is_the_reporting_verbs(client: FlaskClient) -> None:
    _actor(client, "Laura Rozen")
    _actor(client, "Matt Lee")
    text = (
        "On Sunday, reporter Laura Rozen, who broke the story minutes ahead of the agency, sparred "
        "with Lee when she tweeted that both she and the AP reporters had been asked to wait."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("both she and the AP reporters had been asked to wait", "laura-rozen")
    ]


def test_was_quoted_as_saying_attributes_the_quote_before_it(client: FlaskClient) -> None:
    text = (
        "Iran criticised the new sanctions. “Such a move raises doubts about America's intentions,” "
        "foreign ministry spokeswoman Marzieh Afkham was quoted as saying by the state news agency."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        ("Such a move raises doubts about America's intentions", "quote-then-speaker", "Marzieh Afkham")
    ]


def test_a_question_closing_a_quote_goes_on_into_a_named_attribution(client: FlaskClient) -> None:
    _actor(client, "Christopher Pyne")
    text = "“Why should the Australian people trust him on election day?” Mr Pyne said. The House rose."

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        (
            "Why should the Australian people trust him on election day?",
            "quote-then-speaker",
            "christopher-pyne",
        )
    ]


def test_an_adverbial_between_commas_before_the_verb_is_not_the_subject(client: FlaskClient) -> None:
    text = (
        "In response, party chairman Bilawal Bhutto Zardari, in a tweet, said: “Your coup attempt "
        "will not succeed.” Imran Khan, in an interview, said that the vote had been rigged."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("Your coup attempt will not succeed", "Bilawal Bhutto Zardari"),
        ("the vote had been rigged", "Imran Khan"),
    ]


def test_a_first_name_alone_is_the_one_person_named_so_before(client: FlaskClient) -> None:
    text = (
        "Party chairman Bilawal Bhutto Zardari said that the assemblies could not be dissolved. "
        "“Today you proved you are nothing but a tiny little dictator,” Bilawal tweeted."
    )

    drafts = _drafts(client, text)

    assert [(d["kind"], _who(d)) for d in drafts] == [
        ("paraphrase", "Bilawal Bhutto Zardari"),
        ("post", "Bilawal Bhutto Zardari"),
    ]


def test_a_known_name_at_the_end_of_a_longer_run_is_that_actor(client: FlaskClient) -> None:
    _actor(client, "David Cohen")
    text = (
        "Treasury Undersecretary for Terrorism and Financial Intelligence David Cohen said the move "
        "was part of efforts to enforce the existing sanctions."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the move was part of efforts to enforce the existing sanctions", "david-cohen")
    ]


def test_a_semicolon_ends_the_reported_clause(client: FlaskClient) -> None:
    text = "Iran says its programme is peaceful; the West fears it may lead to nuclear weapons."

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [("its programme is peaceful", "Iran")]


def test_a_quote_after_a_participle_is_the_sentence_subjects(client: FlaskClient) -> None:
    _actor(client, "Scott Morrison")
    text = (
        "Morrison dismissed the criticism on Sunday, saying “We do this after every budget,” "
        "and defended his right to call the election."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        ("We do this after every budget", "speaker-then-quote", "scott-morrison")
    ]


def test_a_dateline_is_nobodys_name(client: FlaskClient) -> None:
    text = "CANBERRA, April 7 (Xinhua) -- The opposition leader said the election date was a game."

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the election date was a game", "unnamed: The opposition leader")
    ]


def test_a_demonym_after_the_article_that_opens_a_sentence_describes_the_speaker(client: FlaskClient) -> None:
    text = (
        "Hussein Amir-Abdollahian told Josep Borrell that the new demands had no justification. "
        "The Iranian foreign minister also said: “The main issues should not be influenced by them.”"
    )

    drafts = _drafts(client, text)

    assert [(d["kind"], _who(d)) for d in drafts] == [
        ("paraphrase", "Hussein Amir-Abdollahian"),
        ("quote", "Hussein Amir-Abdollahian"),
    ]


def test_a_surname_without_its_joined_article_is_the_person_named_with_it(client: FlaskClient) -> None:
    text = (
        "Syrian President Bashar al-Assad said on Friday that he would not negotiate. "
        "“They want us to talk to terrorists,” Assad said."
    )

    drafts = _drafts(client, text)

    assert [(d["kind"], _who(d)) for d in drafts] == [
        ("paraphrase", "Bashar al-Assad"),
        ("quote", "Bashar al-Assad"),
    ]


def test_a_known_surname_without_its_joined_article_is_that_actor(client: FlaskClient) -> None:
    _actor(client, "Bashar al-Assad")
    text = "“They want us to talk to terrorists,” Assad said."

    drafts = _drafts(client, text)

    assert [_who(d) for d in drafts] == ["bashar-al-assad"]


def test_a_label_before_a_colon_is_not_the_speaker_of_the_quote_the_paragraph_reports(
    client: FlaskClient,
) -> None:
    text = (
        "Iran Press News: Attending his weekly press conference on Wednesday, Saeed Khatibzadeh "
        "highlighted: “There won’t be any talks between Iran and the US.\n\n"
        "World Desk: Regarding the talks, the envoy said: “We are not in a hurry.”\n"
    )

    drafts = _drafts(client, text)

    assert [(d["text"], d["rule"], _who(d)) for d in drafts] == [
        ("There won’t be any talks between Iran and the US", "speaker-then-quote", "Saeed Khatibzadeh"),
        ("We are not in a hurry", "speaker-then-quote", "Saeed Khatibzadeh"),
    ]


def test_an_organisations_spokesman_is_the_person_named_after_without_the_title(client: FlaskClient) -> None:
    text = (
        "Iranian Foreign Ministry spokesman stressed that there would not be any talks with the US.\n\n"
        "At his weekly press conference, Saeed Khatibzadeh said the sanctions had to be lifted first."
    )
    unnamed = "Kremlin spokesman insisted that the talks had been useful. The weather was fine."

    assert [_who(d) for d in _drafts(client, text)] == ["Saeed Khatibzadeh", "Saeed Khatibzadeh"]
    assert [_who(d) for d in _drafts(client, unnamed)] == ["unnamed: Kremlin spokesman"]


def test_a_title_is_not_the_last_speaker_who_holds_another_post(client: FlaskClient) -> None:
    text = (
        "US State Department spokesman Ned Price said that the negotiations were complicated. "
        "The talks were postponed after Hussein Amir-Abdollahian phoned Josep Borrell. "
        "The Iranian foreign minister also said: “There is no logical justification for new demands.”"
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the negotiations were complicated", "Ned Price"),
        ("There is no logical justification for new demands", "Hussein Amir-Abdollahian"),
    ]


def test_told_a_named_person_in_an_interview_that_reports_the_clause(client: FlaskClient) -> None:
    text = (
        "The talks were postponed after Hussein Amir-Abdollahian told Josep Borrell in a telephone "
        "interview on Thursday that the new demands had no rational justification."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("the new demands had no rational justification", "Hussein Amir-Abdollahian")
    ]


def test_a_participle_after_told_and_its_audience_is_no_reported_clause(client: FlaskClient) -> None:
    text = (
        "“It is regrettable that AP is being accused of falsehoods,” the AP’s director of media "
        "relations, Paul Colford, told the Washington Examiner, referring to a report published last week."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("It is regrettable that AP is being accused of falsehoods", "Paul Colford")
    ]


def test_an_html_entity_left_in_a_name_is_part_of_the_name(client: FlaskClient) -> None:
    text = (
        "Prime Minister Peter O&rsquo;Neill says there is no truth in the opposition’s allegations.\n\n"
        "He said the demise of the opposition should be blamed on its leader."
    )

    drafts = _drafts(client, text)

    assert [_who(d) for d in drafts] == ["Peter O&rsquo;Neill", "Peter O&rsquo;Neill"]


def test_but_denied_that_is_a_second_statement_of_the_same_speaker(client: FlaskClient) -> None:
    text = (
        "A US official confirmed that Washington was in contact with Iran late Monday, but denied "
        "that discussions on an interim agreement were taking place, Reuters news agency reported. "
        "The remarks came after Iran appeared to acknowledge reports that talks were taking place. "
        "The White House denied making progress on a new deal."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("Washington was in contact with Iran late Monday", "unnamed: A US official"),
        ("discussions on an interim agreement were taking place", "unnamed: A US official"),
    ]


def test_a_post_described_first_is_the_one_person_given_it_paragraphs_later(client: FlaskClient) -> None:
    text = (
        'Australia\'s opposition leader has accused the prime minister of "playing games".\n\n'
        "The budget was delivered on Tuesday night.\n\n"
        "Taxpayer funds cannot be used for political advertising.\n\n"
        "The campaign has not formally begun.\n\n"
        "ALP leader Bill Shorten said he was ready to enter the campaign mode."
    )

    drafts = _drafts(client, text)

    assert [(d["text"], _who(d)) for d in drafts] == [
        ("playing games", "Bill Shorten"),
        ("he was ready to enter the campaign mode", "Bill Shorten"),
    ]
