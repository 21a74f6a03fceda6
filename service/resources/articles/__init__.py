"""News articles, and the draft statements found in them for editors to review."""
