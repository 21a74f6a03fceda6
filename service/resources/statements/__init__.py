"""Statements: what an actor said or posted, verbatim, and the positions it takes on topics."""
