"""The seed story (an article of 2025-09-24 on Trump's shifting stance on the Russia-Ukraine war)
as API request bodies, in the order they must be recorded.

Statement texts are verbatim from the article. Where the article gives no day, the date has
the precision it does give (a month). Events and statements have no slug, so they carry a
`key` here; an `event` or `parent` value names another record's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

TERRITORY = "ukraine-territorial-integrity"
ARTICLE_SOURCE = {
    "title": "Article of 2025-09-24 on Trump's shifting stance on the Russia-Ukraine war",
    "published_at": "2025-09-24",
}


@dataclass(frozen=True)
class SeedRecord:
    resource: str  # actors, topics, events or statements
    key: str  # the slug of an actor or topic; a stable name for an event or statement
    payload: dict[str, Any]


def _actor(slug: str, **payload: Any) -> SeedRecord:
    return SeedRecord("actors", slug, {"slug": slug, **payload})


ACTORS = [
    _actor(
        "donald-trump",
        name="Donald Trump",
        kind="person",
        country_code="US",
        wikidata_id="Q22686",
        aliases=["Trump", "@realDonaldTrump"],
        description="President of the United States.",
    ),
    _actor(
        "vladimir-putin",
        name="Vladimir Putin",
        kind="person",
        country_code="RU",
        wikidata_id="Q7747",
        aliases=["Putin"],
        description="President of Russia.",
    ),
    _actor(
        "volodymyr-zelensky",
        name="Volodymyr Zelensky",
        kind="person",
        country_code="UA",
        wikidata_id="Q3874799",
        aliases=["Zelensky", "Zelenskyy"],
        description="President of Ukraine.",
    ),
    _actor(
        "united-states",
        name="United States",
        kind="state",
        country_code="US",
        wikidata_id="Q30",
        aliases=["US", "USA", "Washington"],
    ),
    _actor(
        "russia",
        name="Russia",
        kind="state",
        country_code="RU",
        wikidata_id="Q159",
        aliases=["Russian Federation", "Kremlin", "Moscow"],
    ),
    _actor(
        "ukraine",
        name="Ukraine",
        kind="state",
        country_code="UA",
        wikidata_id="Q212",
        aliases=["Kyiv"],
    ),
    _actor(
        "european-union",
        name="European Union",
        kind="organization",
        wikidata_id="Q458",
        aliases=["EU"],
    ),
    _actor(
        "nato",
        name="NATO",
        kind="organization",
        wikidata_id="Q7184",
        aliases=["North Atlantic Treaty Organization"],
    ),
    _actor(
        "united-nations",
        name="United Nations",
        kind="organization",
        wikidata_id="Q1065",
        aliases=["UN", "U.N."],
    ),
    _actor(
        "jurgen-nauditt",
        name="Jürgen Nauditt",
        kind="person",
        country_code="DE",
        aliases=["@jurgen_nauditt"],
        description="Commentator on X.",
        links=["https://x.com/jurgen_nauditt"],
    ),
    _actor(
        "acyn",
        name="Acyn",
        kind="person",
        country_code="US",
        aliases=["@Acyn"],
        description="Commentator on X.",
        links=["https://x.com/Acyn"],
    ),
    _actor(
        "jake-broe",
        name="Jake Broe",
        kind="person",
        country_code="US",
        aliases=["@RealJakeBroe"],
        description="Commentator on X.",
        links=["https://x.com/RealJakeBroe"],
    ),
]

TOPICS = [
    SeedRecord(
        "topics",
        TERRITORY,
        {
            "slug": TERRITORY,
            "name": "Ukraine's territorial integrity",
            "description": "Whether Ukraine should recover all the territory Russia occupies, "
            "Crimea and Donbas included.",
            "negative_pole": "Ukraine should cede occupied territory",
            "positive_pole": "Ukraine should regain all its territory",
        },
    )
]

KYIV = {"name": "Kyiv", "country_code": "UA", "lat": 50.45, "lon": 30.52}
NEW_YORK = {
    "name": "United Nations Headquarters, New York",
    "country_code": "US",
    "lat": 40.749,
    "lon": -73.968,
}

EVENTS = [
    SeedRecord(
        "events",
        "crimea-annexation",
        {
            "title": "Russian annexation of Crimea",
            "kind": "annexation",
            "description": "Russia annexed Crimea, then advanced in Donbas.",
            "start": "2014-03-18",
            "location": {"name": "Crimea", "country_code": "UA", "lat": 45.0, "lon": 34.1},
            "participants": [
                {"actor": "russia", "role": "initiator"},
                {"actor": "ukraine", "role": "target"},
            ],
            "topics": [TERRITORY],
        },
    ),
    SeedRecord(
        "events",
        "alaska-summit",
        {
            "title": "Trump–Putin summit in Alaska",
            "kind": "summit",
            "description": "Trump met Putin in Alaska, expected to persuade him to sit down with Zelensky.",
            "start": "2025-08-15",
            "location": {
                "name": "Anchorage, Alaska",
                "country_code": "US",
                "lat": 61.25,
                "lon": -149.8,
            },
            "participants": [
                {"actor": "donald-trump", "role": "host"},
                {"actor": "vladimir-putin", "role": "participant"},
                {"actor": "united-states", "role": "host"},
                {"actor": "russia", "role": "participant"},
            ],
            "topics": [TERRITORY],
        },
    ),
    SeedRecord(
        "events",
        "american-factory-strike",
        {
            "title": "Russian strike destroys an American-owned factory in Ukraine",
            "kind": "attack",
            "start": "2025-08-01",
            "start_precision": "month",
            "location": {"name": "Ukraine", "country_code": "UA"},
            "participants": [
                {"actor": "russia", "role": "initiator"},
                {"actor": "ukraine", "role": "target"},
            ],
        },
    ),
    SeedRecord(
        "events",
        "eu-delegation-strike",
        {
            "title": "Russian bombing of the EU Delegation building in Kyiv",
            "kind": "attack",
            "start": "2025-08-01",
            "start_precision": "month",
            "location": KYIV,
            "participants": [
                {"actor": "russia", "role": "initiator"},
                {"actor": "european-union", "role": "target"},
                {"actor": "ukraine", "role": "target"},
            ],
        },
    ),
    SeedRecord(
        "events",
        "cabinet-of-ministers-attack",
        {
            "title": "Russian attack on Ukraine's cabinet of ministers building",
            "kind": "attack",
            "start": "2025-09-01",
            "start_precision": "month",
            "location": KYIV,
            "participants": [
                {"actor": "russia", "role": "initiator"},
                {"actor": "ukraine", "role": "target"},
            ],
        },
    ),
    SeedRecord(
        "events",
        "unga-80-general-debate",
        {
            "title": "General debate of the 80th UN General Assembly",
            "kind": "meeting",
            "start": "2025-09-23",
            "end": "2025-09-29",
            "location": NEW_YORK,
            "participants": [
                {"actor": "united-nations", "role": "host"},
                {"actor": "donald-trump", "role": "participant"},
                {"actor": "volodymyr-zelensky", "role": "participant"},
            ],
        },
    ),
    SeedRecord(
        "events",
        "trump-zelensky-unga-meeting",
        {
            "title": "Trump–Zelensky meeting at the UN General Assembly",
            "kind": "meeting",
            "description": "A high-profile meeting, after which Trump wrote that Ukraine "
            "can win all its land back.",
            "start": "2025-09-23",
            "location": NEW_YORK,
            "participants": [
                {"actor": "donald-trump", "role": "participant"},
                {"actor": "volodymyr-zelensky", "role": "participant"},
            ],
            "topics": [TERRITORY],
            "parent": "unga-80-general-debate",
        },
    ),
]

STATEMENTS = [
    SeedRecord(
        "statements",
        "trump-repost-2025-08-17",
        {
            "actor": "donald-trump",
            "kind": "repost",
            "text": "Ukraine must be prepared to lose territory to russia. Otherwise, the longer the war "
            "lasts, the more land it will lose",
            "said_at": "2025-08-17",
            "language": "en",
            "source": {
                "url": "https://pic.twitter.com/eo1hNrVmD8",
                "title": "Post by Jürgen Nauditt on Trump's repost",
                "publisher": "X",
                "author": "Jürgen Nauditt (@jurgen_nauditt)",
                "published_at": "2025-08-17",
            },
            "positions": [{"topic": TERRITORY, "value": -0.8, "confidence": 0.8}],
            "mentions": ["ukraine", "russia"],
        },
    ),
    SeedRecord(
        "statements",
        "zelensky-refusal-2025-08",
        {
            "actor": "volodymyr-zelensky",
            "kind": "paraphrase",
            "text": "this option was not on the table",
            "said_at": "2025-08-01",
            "said_at_precision": "month",
            "language": "en",
            "source": ARTICLE_SOURCE,
            "positions": [{"topic": TERRITORY, "value": 1.0, "confidence": 0.8}],
            "mentions": ["donald-trump", "russia"],
        },
    ),
    SeedRecord(
        "statements",
        "russia-donbas-demand-2025-09",
        {
            "actor": "russia",
            "kind": "paraphrase",
            "text": "its demand to keep control of the Donetsk and Luhansk regions",
            "said_at": "2025-09-01",
            "said_at_precision": "month",
            "language": "en",
            "source": ARTICLE_SOURCE,
            "positions": [{"topic": TERRITORY, "value": -1.0, "confidence": 0.9}],
            "mentions": ["ukraine"],
        },
    ),
    SeedRecord(
        "statements",
        "trump-post-2025-09-23",
        {
            "actor": "donald-trump",
            "kind": "post",
            "text": "I think Ukraine, with the support of the European Union, is in a position to fight "
            "and WIN all of Ukraine back in its original form…. Ukraine would be able to take back their "
            "Country in its original form and, who knows, maybe even go further than that!",
            "said_at": "2025-09-23",
            "language": "en",
            "source": {
                "url": "https://pic.twitter.com/8eUCfuiYFr",
                "title": "Post by Acyn quoting Donald Trump",
                "publisher": "X",
                "author": "Acyn (@Acyn)",
                "published_at": "2025-09-23",
            },
            "positions": [{"topic": TERRITORY, "value": 0.9, "confidence": 0.9}],
            "mentions": ["ukraine", "european-union"],
        },
    ),
    SeedRecord(
        "statements",
        "trump-paper-tiger-2025-09-23",
        {
            "actor": "donald-trump",
            "kind": "quote",
            "text": "look like a paper tiger",
            "said_at": "2025-09-23",
            "language": "en",
            "source": ARTICLE_SOURCE,
            "event": "unga-80-general-debate",
            "mentions": ["russia"],
        },
    ),
    SeedRecord(
        "statements",
        "zelensky-game-changer-2025-09-24",
        {
            "actor": "volodymyr-zelensky",
            "kind": "quote",
            "text": "game changer",
            "said_at": "2025-09-24",
            "language": "en",
            "source": ARTICLE_SOURCE,
            "mentions": ["donald-trump"],
        },
    ),
]


def _relation(subject: str, kind: str, object_: str, valid_from: str | None = None) -> SeedRecord:
    key = f"{subject}-{kind.replace('_', '-')}-{object_}"
    payload = {"subject": subject, "kind": kind, "object": object_, "valid_from": valid_from}
    return SeedRecord("relations", key, payload)


# What the story implies: the leaders it names, and the war.
RELATIONS = [
    _relation("donald-trump", "leader_of", "united-states", "2025-01-20"),
    _relation("vladimir-putin", "leader_of", "russia"),
    _relation("volodymyr-zelensky", "leader_of", "ukraine", "2019-05-20"),
    _relation("ukraine", "adversary", "russia", "2014-02-20"),
]

STORY: list[SeedRecord] = [*ACTORS, *TOPICS, *EVENTS, *STATEMENTS, *RELATIONS]
