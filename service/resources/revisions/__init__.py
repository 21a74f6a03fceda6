"""Revision history of every record, reads as of a past instant, and the change feed."""
