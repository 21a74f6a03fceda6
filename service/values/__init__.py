"""Plain values and their fields: dates of known precision, slugs, folded text."""
