"""Full-text search on statements and events: the same answers on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.helpers import assert_problem


def _texts(client: FlaskClient, **query: Any) -> list[str]:
    response = client.get("/api/v1/statements", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["text"] for item in response.get_json()["items"]]


def _titles(client: FlaskClient, **query: Any) -> list[str]:
    response = client.get("/api/v1/events", query_string=query)
    assert response.status_code == 200, response.get_json()
    return [item["title"] for item in response.get_json()["items"]]


def test_words_find_statements_by_their_text_and_stem(demo: FlaskClient) -> None:
    assert _texts(demo, q="territory") == [
        "Ukraine must be prepared to lose territory to russia. Otherwise, the longer the war lasts, "
        "the more land it will lose"
    ]
    assert _texts(demo, q="LOSING land")[0].startswith("Ukraine must be prepared")  # stemmed, any case
    assert _texts(demo, q='"paper tiger"') == ["look like a paper tiger"]
    assert _texts(demo, q="nothing-like-this-anywhere") == []


def test_the_source_title_is_searched_too(demo: FlaskClient) -> None:
    texts = _texts(demo, q="Acyn quoting")

    assert texts == [t for t in texts if t.startswith("I think Ukraine")]
    assert len(texts) == 1


def test_words_find_events_by_title_and_description(demo: FlaskClient) -> None:
    assert any("Alaska" in title for title in _titles(demo, q="summits"))
    assert all("strike" in title.lower() or "attack" in title.lower() for title in _titles(demo, q="strike"))
    assert _titles(demo, q="strike")


def test_the_best_match_comes_first_and_pages_follow_it(client: FlaskClient) -> None:
    client.post("/api/v1/actors", json={"name": "Donald Trump", "kind": "person"})
    texts = [
        "Ukraine will win. Ukraine will take back Ukraine.",
        "Ukraine can win.",
        "Peace talks in Istanbul, with Ukraine present.",
        "Nothing about the war at all.",
    ]
    for day, text in enumerate(texts, start=1):
        body = {"actor": "donald-trump", "kind": "quote", "text": text, "said_at": f"2025-09-0{day}"}
        assert client.post("/api/v1/statements", json=body).status_code == 201

    first = client.get("/api/v1/statements", query_string={"q": "Ukraine", "limit": 2}).get_json()
    second = client.get(
        "/api/v1/statements", query_string={"q": "Ukraine", "limit": 2, "cursor": first["next_cursor"]}
    ).get_json()

    found = [item["text"] for item in first["items"] + second["items"]]
    assert found[0] == texts[0]  # three mentions beat one
    assert sorted(found) == sorted(texts[:3])
    assert second["next_cursor"] is None
    by_date = _texts(client, q="Ukraine", sort="said_at")
    assert by_date == texts[:3]


def test_search_combines_with_the_other_filters(demo: FlaskClient) -> None:
    assert _texts(demo, q="territory", actor="volodymyr-zelensky") == []
    trump = _texts(demo, q="Ukraine", actor="donald-trump")
    assert any(text.startswith("Ukraine must be prepared") for text in trump)
    since_september = _texts(demo, q="Ukraine", actor="donald-trump", since="2025-09-01")
    assert since_september
    assert not any(text.startswith("Ukraine must be prepared") for text in since_september)
    assert set(since_september) < set(trump)


@pytest.mark.parametrize("q", ['"unclosed', "a OR", "-", "NEAR(x y)", "x AND (y", "*", "col:value", "ü'ö\""])
def test_any_text_is_words_not_query_syntax_errors(demo: FlaskClient, q: str) -> None:
    response = demo.get("/api/v1/statements", query_string={"q": q})

    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert_problem(response, 422, "validation-error")


def test_quotes_and_backslashes_in_the_words_are_searched_as_written(client: FlaskClient) -> None:
    # On PostgreSQL the words are written into the SQL (escaped), not sent as a parameter.
    client.post("/api/v1/actors", json={"name": "Anna Keller", "kind": "person"})
    text = "The mayor's plan stays, back\\slash and all"
    body = {"actor": "anna-keller", "kind": "quote", "text": text, "said_at": "2024-01-10"}
    assert client.post("/api/v1/statements", json=body).status_code == 201

    assert _texts(client, q="mayor's") == [text]
    assert _texts(client, q="x'); DELETE FROM statements; --") == []
    assert _texts(client, q="\\' OR 1=1 --") == []
    assert _texts(client, q="plan") == [text]  # nothing was deleted


def test_bad_search_requests_are_refused(demo: FlaskClient) -> None:
    assert "q" in assert_problem(demo.get("/api/v1/statements?q=!!!"), 422, "validation-error")["errors"]
    nul = demo.get("/api/v1/events", query_string={"q": "x\x00y"})
    assert "q" in assert_problem(nul, 422, "validation-error")["errors"]
    no_words = demo.get("/api/v1/statements?sort=relevance")
    assert "sort" in assert_problem(no_words, 422, "validation-error")["errors"]
    too_long = demo.get("/api/v1/events", query_string={"q": "w" * 201})
    assert "q" in assert_problem(too_long, 422, "validation-error")["errors"]


def test_deleted_and_changed_statements_leave_the_index(demo: FlaskClient) -> None:
    tiger = _texts(demo, q="tiger")
    assert tiger == ["look like a paper tiger"]
    statement = demo.get("/api/v1/statements", query_string={"q": "tiger"}).get_json()["items"][0]

    demo.patch(f"/api/v1/statements/{statement['id']}", json={"text": "look like a paper bear"})
    assert _texts(demo, q="tiger") == []
    assert _texts(demo, q="bear") == ["look like a paper bear"]
    demo.delete(f"/api/v1/statements/{statement['id']}")
    assert _texts(demo, q="bear") == []
