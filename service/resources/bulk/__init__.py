"""Bulk data: NDJSON export of every resource, and import of the same lines."""
