"""Actors: people, states, organisations, groups and media whose words are tracked."""
