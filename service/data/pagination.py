"""Keyset (cursor) pagination: one mechanism for every list.

A cursor is the sort key of the last row served, signed so that a client can neither forge one
nor use one from another list, another sort, or the same list with other filters. Pages are
fetched with a row-value comparison against an index, so the 10,000th page costs what the
first does: no OFFSET, no COUNT.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, Protocol, TypeVar, runtime_checkable

import orjson
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import Integer, Select, Subquery, bindparam, tuple_
from sqlalchemy.orm import Session

from service.data.rows import plain_rows
from service.problems import InvalidCursor

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
_CURSOR_SALT = "stanceline.cursor"
_LIMIT = "page_limit"  # the bound parameter of a page query's length


@runtime_checkable
class PageRows(Protocol):
    """A page query built once that runs itself (service/fast/driver.py's ReadQuery)."""

    def rows(self, session: Session, parameters: Mapping[str, Any]) -> list[Any]: ...


@dataclass(frozen=True)
class SortOrder:
    """A total order for a list: its name as a client gives it, and its key columns.

    The last column must be unique (the id) so that no two rows tie.
    """

    list_name: str
    name: str
    columns: tuple[Any, ...]  # mapped attributes, or columns of a subquery
    descending: bool = False

    @property
    def cursor_key(self) -> str:
        return f"{self.list_name}:{self.name}"

    def order_by(self) -> list[Any]:
        return [column.desc() if self.descending else column.asc() for column in self.columns]

    def after(self) -> Any:
        """Rows after the key bound as `after_parameters` (each with its column's type)."""
        key = tuple_(*self.columns)
        pairs = zip(self._after_names, self.columns, strict=True)
        bound = tuple_(*(bindparam(name, type_=column.type) for name, column in pairs))
        return key < bound if self.descending else key > bound

    def after_parameters(self, values: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(self._after_names, values, strict=True))

    @property
    def _after_names(self) -> list[str]:
        return [f"page_after_{index}" for index in range(len(self.columns))]


#: The sorts a named list offers (`sort=`): by slug, and by name or creation, either way.
SORTS = ("slug", "name", "-name", "created_at", "-created_at")


def named_sorts(list_name: str, model: Any) -> dict[str, SortOrder]:
    """A list's sort orders by the name a client gives: `slug`, and `name` or `created_at`,
    `-` first for descending; ties on name or instant are broken by the id, so that keyset
    pages neither skip nor repeat a row."""
    orders = {"slug": SortOrder(list_name, "slug", (model.slug,))}
    for column in ("name", "created_at"):
        key = (getattr(model, column), model.id)
        orders[column] = SortOrder(list_name, column, key)
        orders[f"-{column}"] = SortOrder(list_name, f"-{column}", key, descending=True)
    return orders


@dataclass(frozen=True)
class PageRequest:
    """What a client asks of a list: how many items, and after which (its cursor). List routes
    get theirs from `Blueprint.paginated`."""

    limit: int = DEFAULT_LIMIT
    cursor: str | None = None
    #: A digest of the list's filters: its cursors serve only the same filters.
    scope: str = ""

    @classmethod
    def from_args(cls, args: dict[str, Any]) -> PageRequest:
        """Take limit and cursor out of parsed query arguments, leaving the filters (and the
        sort), which the page's cursors are then bound to."""
        limit, cursor = args.pop("limit", DEFAULT_LIMIT), args.pop("cursor", None)
        return cls(limit=limit, cursor=cursor, scope=filters_scope(args))

    def after(self, order: SortOrder) -> tuple[Any, ...] | None:
        """The sort key in `order` the page starts after (None for the first page); 400 for a
        cursor of another list, sort or filters, or one that was altered."""
        return tuple(decode_cursor(order, self.cursor, self.scope)) if self.cursor else None

    def parameters(self, order: SortOrder) -> dict[str, Any]:
        """The values a `page_query` in `order` runs with for this page: one row more than its
        length (to know whether another page follows) and the key it starts after."""
        parameters: dict[str, Any] = {_LIMIT: self.limit + 1}
        after = self.after(order)
        if after is not None:
            parameters.update(order.after_parameters(after))
        return parameters


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None


def filters_scope(filters: Mapping[str, Any]) -> str:
    """A short digest of a list's parsed filters, the same whatever their order in the URL."""
    if not filters:
        return ""
    encoded = orjson.dumps(dict(filters), default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    return hashlib.sha256(encoded).hexdigest()[:16]


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_CURSOR_SALT)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _decode_value(raw: Any, python_type: type[Any]) -> Any:
    if python_type is datetime:
        return datetime.fromisoformat(raw)
    if python_type is uuid.UUID:
        return uuid.UUID(raw)
    if not isinstance(raw, python_type):
        raise TypeError(f"expected {python_type.__name__}")
    return raw


def encode_cursor(order: SortOrder, values: Sequence[Any], scope: str = "") -> str:
    payload: list[Any] = [order.cursor_key, [_encode_value(v) for v in values]]
    if scope:
        payload.append(scope)
    return str(_serializer().dumps(payload))


def decode_cursor(order: SortOrder, cursor: str, scope: str = "") -> list[Any]:
    try:
        cursor_key, raw_values, *rest = _serializer().loads(cursor)
    except (BadData, ValueError, TypeError) as exc:
        raise InvalidCursor("The cursor is malformed or has been altered.") from exc
    if cursor_key != order.cursor_key:
        raise InvalidCursor(f"The cursor belongs to another list or sort order, not to '{order.name}'.")
    if (rest[0] if rest else "") != scope:
        raise InvalidCursor(
            "The cursor belongs to the same list with other filters: send the filters of the page "
            "it came from, or leave out the cursor to start again."
        )
    try:
        if len(raw_values) != len(order.columns):
            raise ValueError("wrong number of key values")
        return [
            _decode_value(raw, column.type.python_type)
            for raw, column in zip(raw_values, order.columns, strict=True)
        ]
    except (ValueError, TypeError) as exc:  # signed, but not by this version's key layout
        raise InvalidCursor("The cursor is malformed or has been altered.") from exc


def page_query(
    statement: Select[Any],
    order: SortOrder,
    *,
    after_cursor: bool,
    around: Callable[[Subquery], Select[Any]] | None = None,
) -> Select[Any]:
    """`statement` cut to one page in `order` (after a cursor's key if `after_cursor`), its
    length and key bound when it runs (by `fetch_page`), so one query serves every page.

    `around` makes the select to run from the page as a subquery (to join what its rows refer
    to once the page is cut, whatever the plan for finding it); it is ordered again by the
    subquery's columns of the same names.
    """
    if after_cursor:
        statement = statement.where(order.after())
    statement = statement.order_by(*order.order_by()).limit(bindparam(_LIMIT, type_=Integer))
    if around is not None:
        cut = statement.subquery("page")
        columns = tuple(cut.c[column.key] for column in order.columns)
        again = SortOrder(order.list_name, order.name, columns, order.descending)
        statement = around(cut).order_by(*again.order_by())
    return statement


def fetch_page(
    session: Session,
    source: Select[Any] | PageRows | Sequence[Any],
    order: SortOrder,
    page: PageRequest,
    *,
    parameters: Mapping[str, Any] | None = None,
    key_of: Callable[[Any], Sequence[Any]] | None = None,
) -> Page[Any]:
    """One page in `order`, starting after the page's cursor: every list is paged here.

    `source` is a select (its records when it selects one model, else its rows as `plain_rows`
    gives them: unions and subqueries need nothing of the ORM), a `page_query` its caller built
    once (`PageRows`), or a sequence already sorted in `order` and computed in memory.
    `parameters` are values for bound parameters of the query; `key_of` gives an item's sort key
    when its attributes do not hold it under the order's column names.
    """
    if isinstance(source, Select):
        query = page_query(source, order, after_cursor=bool(page.cursor))
        values = {**(parameters or {}), **page.parameters(order)}
        if _selects_records(source):
            return _page_from(list(session.scalars(query, values).unique().all()), order, page, key_of)
        return _page_from(plain_rows(session.connection().execute(query, values)), order, page, key_of)
    if isinstance(source, PageRows):
        rows = source.rows(session, {**(parameters or {}), **page.parameters(order)})
        return _page_from(rows, order, page, key_of)
    return _page_of_sequence(source, order, page, key_of or _key_by_columns(order))


def _selects_records(statement: Select[Any]) -> bool:
    """Whether `statement` selects one model's records (not columns, nor a subquery's rows)."""
    described = statement.column_descriptions
    return (
        len(described) == 1
        and described[0]["entity"] is not None
        and described[0]["expr"] is described[0]["entity"]
    )


def _page_of_sequence(
    items: Sequence[T], order: SortOrder, page: PageRequest, key_of: Callable[[T], Sequence[Any]]
) -> Page[T]:
    remaining = list(items)
    after = page.after(order)
    if after is not None:
        remaining = [
            item
            for item in remaining
            if (tuple(key_of(item)) < after if order.descending else tuple(key_of(item)) > after)
        ]
    return _page_from(remaining[: page.limit + 1], order, page, key_of)


def _key_by_columns(order: SortOrder) -> Callable[[Any], Sequence[Any]]:
    return lambda item: [getattr(item, column.key) for column in order.columns]


def _page_from(
    rows: list[Any], order: SortOrder, page: PageRequest, key_of: Callable[[Any], Sequence[Any]] | None
) -> Page[Any]:
    has_more = len(rows) > page.limit
    items = rows[: page.limit]
    next_cursor = None
    if has_more and items:
        values = (key_of or _key_by_columns(order))(items[-1])
        next_cursor = encode_cursor(order, values, page.scope)
    return Page(items=items, next_cursor=next_cursor)
