"""HTTP routes for articles and the review of their drafts."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView

from service.data.pagination import Page, PageRequest
from service.data.sessions import get_session
from service.resources.articles import service
from service.resources.articles.models import Article, ArticleDraft
from service.resources.articles.schemas import (
    ARTICLE_CREATE_EXAMPLE,
    ARTICLE_ID,
    DRAFT_ID,
    ArticleCreateSchema,
    ArticleQuerySchema,
    ArticleSchema,
    ArticleSummarySchema,
    DraftPatchSchema,
    DraftQuerySchema,
    DraftSchema,
    RejectionSchema,
)
from service.resources.statements.models import Statement
from service.resources.statements.schemas import StatementSchema
from service.web.blueprint import LOCATION_HEADER, Blueprint, id_parameter

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/api/v1/articles",
    description="News articles and the draft statements found in them, for editors to review: "
    "correct a draft, then accept it (it becomes a statement sourced to the article) or reject it.",
)

ARTICLE_PARAMETER = id_parameter("article", ARTICLE_ID)
DRAFT_PARAMETER = id_parameter("draft", DRAFT_ID)


@blp.route("")
class ArticleCollection(MethodView):
    @blp.doc(operationId="list_articles", summary="List articles", description="Oldest ingested first.")
    @blp.arguments(ArticleQuerySchema, location="query")
    @blp.paginated(ArticleSummarySchema)
    def get(self, args: dict[str, Any], page: PageRequest) -> Page[Article]:
        return service.list_articles(get_session(), args, page)

    @blp.doc(
        operationId="ingest_article",
        summary="Ingest an article",
        description="Keeps the article exactly as sent and answers with the drafts its text yields: "
        "embedded social posts, direct quotes (attributed before, after or in the sentences before; "
        "over several paragraphs), quoted phrases in sentences that report speech, and indirect "
        "speech (kind paraphrase). Each draft says the rule that found it, its confidence and where "
        "its words stand (character offsets). Speakers are matched to actors by handle, name, alias, "
        "surname, first name, the title the article gave them, or, for a leader's title, the "
        "`leader_of` relation valid on `published_at` for the state or organisation named last; "
        "others are proposed by name (titles stripped), as an organisation, or as an unnamed "
        "source. `said_at` is the date or weekday the sentence "
        "gives, counted from `published_at`, else `published_at`; `event` is a known event the "
        "sentence names.",
    )
    @blp.arguments(ArticleCreateSchema, example=ARTICLE_CREATE_EXAMPLE)
    @blp.response(201, ArticleSchema, headers={"Location": LOCATION_HEADER})
    def post(self, data: dict[str, Any]) -> tuple[Article, int, dict[str, str]]:
        article = service.ingest_article(get_session(), data)
        return article, 201, {"Location": url_for("articles.ArticleItem", article=str(article.id))}


@blp.route("/<article>", parameters=[ARTICLE_PARAMETER])
class ArticleItem(MethodView):
    @blp.doc(operationId="get_article", summary="Get an article", description="With its text and drafts.")
    @blp.response(200, ArticleSchema)
    @blp.problems(404)
    def get(self, article: str) -> Article:
        return service.get_article(get_session(), article)


@blp.route("/<article>/drafts", parameters=[ARTICLE_PARAMETER])
class DraftCollection(MethodView):
    @blp.doc(operationId="list_drafts", summary="List an article's drafts", description="In text order.")
    @blp.arguments(DraftQuerySchema, location="query")
    @blp.paginated(DraftSchema)
    @blp.problems(404)
    def get(self, args: dict[str, Any], article: str, page: PageRequest) -> Page[ArticleDraft]:
        session = get_session()
        found = service.get_article(session, article)
        return service.list_drafts(session, found, args, page)


@blp.route("/<article>/drafts/<draft>", parameters=[ARTICLE_PARAMETER, DRAFT_PARAMETER])
@blp.etag
class DraftItem(MethodView):
    @blp.doc(
        operationId="get_draft",
        summary="Get a draft",
        description="With its ETag, for a conditional correction.",
    )
    @blp.response(200, DraftSchema)
    @blp.problems(404)
    def get(self, article: str, draft: str) -> ArticleDraft:
        return service.get_draft(get_session(), article, draft)

    @blp.doc(
        operationId="update_draft",
        summary="Correct a draft",
        description="Set the speaker, move the span (the text follows it), change the kind, date, "
        "event, positions or mentions. Only pending drafts change (409 otherwise).",
    )
    @blp.arguments(DraftPatchSchema)
    @blp.response(200, DraftSchema)
    @blp.problems(404, 409, 412)
    def patch(self, changes: dict[str, Any], article: str, draft: str) -> ArticleDraft:
        session = get_session()
        current = service.get_draft(session, article, draft, for_update=True)
        blp.check_etag(current, DraftSchema)
        return service.update_draft(session, current, changes)


@blp.route("/<article>/drafts/<draft>/accept", parameters=[ARTICLE_PARAMETER, DRAFT_PARAMETER])
class DraftAcceptance(MethodView):
    @blp.doc(
        operationId="accept_draft",
        summary="Accept a draft",
        description="Records the statement, sourced to the article and linked to the span, in one "
        "transaction with the draft's new state. 422 says what is still missing (an unknown speaker, "
        "no date); accepting again answers 409 with the statement's id.",
    )
    @blp.response(201, StatementSchema, headers={"Location": LOCATION_HEADER})
    @blp.problems(404, 409)
    def post(self, article: str, draft: str) -> tuple[Statement, int, dict[str, str]]:
        session = get_session()
        statement = service.accept_draft(session, service.get_draft(session, article, draft, for_update=True))
        return statement, 201, {"Location": url_for("statements.StatementItem", statement=str(statement.id))}


@blp.route("/<article>/drafts/<draft>/reject", parameters=[ARTICLE_PARAMETER, DRAFT_PARAMETER])
class DraftRejection(MethodView):
    @blp.doc(
        operationId="reject_draft", summary="Reject a draft", description="It stays listed, with the reason."
    )
    @blp.arguments(RejectionSchema, example=RejectionSchema.Meta.example)
    @blp.response(200, DraftSchema)
    @blp.problems(404, 409)
    def post(self, data: dict[str, Any], article: str, draft: str) -> ArticleDraft:
        session = get_session()
        return service.reject_draft(
            session, service.get_draft(session, article, draft, for_update=True), data["reason"]
        )
