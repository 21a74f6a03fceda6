"""gzip for answers worth compressing, when the request sends Accept-Encoding (flask-compress).

A compressed answer is another representation, so its strong ETag gets flask-compress's
`:gzip` suffix and the answer says `Vary: Accept-Encoding`. A client that read the gzip form
sends that ETag back in If-Match or If-None-Match: the suffix is taken off before the
validators are compared with the record's own.
"""

from __future__ import annotations

import re

from flask import Flask, request
from flask_compress import Compress

#: Answers smaller than this are sent as they are: gzip would save next to nothing.
MIN_SIZE = 1024
COMPRESSED_TYPES = ["application/json", "application/problem+json", "image/svg+xml"]
_GZIP_SUFFIX = re.compile(r':gzip"')


def _plain_validators() -> None:
    for header in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
        value = request.environ.get(header)
        if value and ":gzip" in value:
            request.environ[header] = _GZIP_SUFFIX.sub('"', value)


def init_app(app: Flask) -> None:
    """Register first, so that compression runs after every other after_request hook."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", MIN_SIZE)
    app.config.setdefault("COMPRESS_MIMETYPES", COMPRESSED_TYPES)
    # Streams (the NDJSON export) stay streams, in constant memory.
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)
    app.before_request(_plain_validators)
