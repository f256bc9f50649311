"""The exception hierarchy. Every message names what was wrong and, where it can, how to fix it.

The CLI maps any :class:`AirliftError` to one line on stderr and exit status 2.
"""

from __future__ import annotations


class AirliftError(Exception):
    """Base of every error airlift raises on purpose (bad input or bad data)."""


class InputError(AirliftError, ValueError):
    """A value given by the user is malformed or out of range (negative, NaN, bad format)."""


class UnknownAirfield(AirliftError, LookupError):
    """No airfield matches the code or name; the message lists the closest suggestions."""

    def __init__(self, query: str, suggestions: list[str]) -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown airfield {query!r}{hint}")


class UnknownAircraft(AirliftError, LookupError):
    """No aircraft type or tail matches the name."""

    def __init__(self, query: str, known: list[str]) -> None:
        self.query = query
        super().__init__(
            f"unknown aircraft type or tail {query!r}; closest: {', '.join(known)} "
            "(all types: airlift aircraft list)"
        )


class DataFileError(AirliftError):
    """A shipped or user-supplied data file is unreadable or is not what it claims to be."""


class RunwayClosed(AirliftError):
    """Every runway at an airfield the plan uses is closed."""
