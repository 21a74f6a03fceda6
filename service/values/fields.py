"""Marshmallow fields and validators shared by every resource."""

from __future__ import annotations

import re
from typing import Any

import pycountry
from marshmallow import ValidationError, fields, validate

from service.values.slugs import SLUG_MAX_LENGTH, SLUG_PATTERN, looks_like_uuid

# PostgreSQL cannot store NUL in text; say so in the contract rather than fail in the database.
NUL_MESSAGE = "Must not contain NUL characters."
_NO_NUL = validate.Regexp(r"^[^\x00]*$", error=NUL_MESSAGE)
_WORD = re.compile(r"\w")


def _has_a_word(value: str) -> None:
    # A plain function, not a pattern: JSON Schema's \w is ASCII only, Python's is Unicode.
    if not _WORD.search(value):
        raise ValidationError("Give at least one word to search for.")


# ISO 3166-1 alpha-2, plus XK (Kosovo), which the EU and others use for a user-assigned code.
COUNTRY_CODES = tuple(sorted({country.alpha_2 for country in pycountry.countries} | {"XK"}))


def Text(*, max_length: int, min_length: int = 1, **kwargs: Any) -> fields.String:
    """A string with bounds and no NUL characters."""
    validators = [validate.Length(min=min_length, max=max_length), _NO_NUL]
    return fields.String(validate=validators, **kwargs)


def SearchQuery(**kwargs: Any) -> fields.String:
    """Words to search for (full text): some letters or digits, at most 200 characters."""
    field = Text(max_length=200, **kwargs)
    field.validators.append(_has_a_word)
    return field


def Slug(**kwargs: Any) -> fields.String:
    def not_uuid(value: str) -> None:
        if looks_like_uuid(value):
            raise ValidationError("A slug must not look like a UUID.")

    return fields.String(
        validate=[
            validate.Length(min=1, max=SLUG_MAX_LENGTH),
            validate.Regexp(SLUG_PATTERN, error="Lower-case letters, digits and single hyphens."),
            not_uuid,
        ],
        **kwargs,
    )


class NamedOneOf(validate.OneOf):
    """A choice with a name: the OpenAPI document declares its values once, as a component
    schema of that name, and each field using it refers to it."""

    def __init__(self, name: str, choices: Any, **kwargs: Any) -> None:
        super().__init__(choices, **kwargs)
        self.name = name


def CountryCode(**kwargs: Any) -> fields.String:
    return fields.String(
        validate=NamedOneOf("CountryCode", COUNTRY_CODES, error="Not an ISO 3166-1 alpha-2 country code."),
        **kwargs,
    )


def Reference(noun: str, **kwargs: Any) -> fields.String:
    """An id or slug in a request, resolved by the service (422 when unknown)."""
    metadata = kwargs.pop("metadata", {})
    metadata.setdefault("description", f"The {noun}'s id or slug.")
    return fields.String(
        validate=[validate.Length(min=1, max=SLUG_MAX_LENGTH), _NO_NUL],
        metadata=metadata,
        **kwargs,
    )


# The same pattern validates and documents, so clients and server agree on what a URL is.
# RFC 3986 characters only: other characters must be percent-encoded.
HTTP_URL_PATTERN = (
    r"^https?://[A-Za-z0-9._~%!$&'()*+,;=:@\[\]-]+(?:[/?#][A-Za-z0-9._~%!$&'()*+,;=:@/?#\[\]-]*)?$"
)


def HttpUrl(**kwargs: Any) -> fields.String:
    """An absolute http(s) URL in ASCII (RFC 3986; percent-encode other characters)."""
    return fields.String(
        validate=[
            validate.Length(min=8, max=2000),
            validate.Regexp(HTTP_URL_PATTERN, error="Not an http(s) URL."),
        ],
        **kwargs,
    )
