"""HTTP conventions every route shares: the Blueprint extension, list pages, roles, idempotency,
rate limits, the JSON encoder and the OpenAPI document."""
