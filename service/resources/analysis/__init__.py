"""Analysis: timelines, positions over time, shifts with the events between, stances, alignment."""
