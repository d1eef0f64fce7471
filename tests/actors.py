"""Actors for tests that call the use cases directly: the command line's operator (full scope),
or a signed-in user through a given door."""

from __future__ import annotations

from campusplan.accounts import audit


def operator(name: str = "test"):
    return audit.actor_for(None, "cli", name=name)


def as_user(user, source: str = "web"):
    return audit.actor_for(user, source)
