"""Stanceline: what political actors say and do, and how their positions shift."""
