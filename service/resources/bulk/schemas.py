from __future__ import annotations

from marshmallow import Schema, fields, validate

from service.resources.bulk.records import TYPES
from service.values.dates import WorldDate
from service.values.fields import NamedOneOf

NDJSON = "application/x-ndjson"
IMPORT_EXAMPLE = (
    '{"type": "actor", "name": "Kaja Kallas", "kind": "person", "country_code": "EE"}\n'
    '{"type": "statement", "actor": "kaja-kallas", "kind": "quote", '
    '"text": "Sanctions have to bite harder.", "said_at": "2025-10-01", "mentions": ["russia"]}\n'
)

EXPORT_EXAMPLE = (
    '{"type": "relation", "id": "779bc2ad-a33e-5336-9c30-32828eb308ed", '
    '"subject": "c49c0b59-4abf-5a83-9d8d-1bfafeca738d", "object": "d621f634-b11a-5447-8ebb-062d64f889cc", '
    '"kind": "leader_of", "valid_from": "2025-01-20", "valid_until": null, "source": null}\n'
)


CSV_EXAMPLE = (
    "actor,kind,text,said_at,source.publisher,positions,mentions\n"
    "kaja-kallas,quote,Sanctions have to bite harder.,2025-10-01,ERR,"
    '"[{""topic"": ""ukraine-territorial-integrity"", ""value"": 0.8}]","[""russia""]"\n'
)


class ImportQuerySchema(Schema):
    type = fields.String(
        validate=NamedOneOf("RecordType", [f"{record_type.name}s" for record_type in TYPES]),
        metadata={
            "description": "The resource of the records: actors, topics, events, statements or "
            "relations. Needed for CSV (one resource a file); for NDJSON, the type of lines that "
            "name none.",
            "example": "statements",
        },
    )
    mode = fields.String(
        load_default="all",
        validate=validate.OneOf(["all", "continue"]),
        metadata={
            "description": "`all` (default): one bad line and nothing is written. `continue`: bad lines "
            "are left out, the others written; each line's result says which.",
        },
    )


class LineResultSchema(Schema):
    class Meta:
        title = "ImportLineResult"
        description = "What became of one line."
        example = {
            "line": 2,
            "type": "statement",
            "id": None,
            "errors": {"actor": ["No actor 'kaja-kalas'."]},
        }

    line = fields.Integer(required=True, metadata={"description": "Line number in the file, from 1."})
    type = fields.String(
        required=True, allow_none=True, metadata={"description": "The line's type, if read."}
    )
    id = fields.String(
        required=True, allow_none=True, metadata={"description": "The record's id, if recorded."}
    )
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={
            "description": "What is wrong with the line, by field (`_line` for the line itself); "
            "empty if fine."
        },
    )


class ImportReportSchema(Schema):
    class Meta:
        title = "ImportReport"
        description = "The outcome of an import."
        example = {
            "mode": "continue",
            "written": True,
            "created": 1,
            "failed": 1,
            "results": [
                {"line": 1, "type": "actor", "id": "3f1d2c4b-5a69-4e8f-9b7a-6c5d4e3f2a1b", "errors": {}},
                LineResultSchema.Meta.example,
            ],
        }

    mode = fields.String(required=True, metadata={"description": "`all` or `continue`."})
    written = fields.Boolean(required=True, metadata={"description": "Whether anything was written."})
    created = fields.Integer(required=True, metadata={"description": "Records written."})
    failed = fields.Integer(required=True, metadata={"description": "Lines refused."})
    results = fields.List(
        fields.Nested(LineResultSchema), required=True, metadata={"description": "Each line."}
    )


class ExportQuerySchema(Schema):
    type = fields.String(
        required=True,
        validate=NamedOneOf("RecordType", [f"{record_type.name}s" for record_type in TYPES]),
        metadata={
            "description": "Which records: actors, topics, events, statements or relations.",
            "example": "statements",
        },
    )
    since = WorldDate(metadata={"description": "Only records changed at or after this date or instant."})
