"""The database: the model base and column types, engines and sessions, what differs by
dialect, keyset pagination and full-text search."""
