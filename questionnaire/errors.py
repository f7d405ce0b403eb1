"""One error hierarchy for content problems, each carrying where it happened."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

MAX_ECHO = 80  # characters of someone's value a message repeats back
MAX_PROBLEMS = 20  # problems one API answer describes; the rest are counted
MAX_SUGGEST = 100  # longer than any id: no "did you mean" (difflib's cost grows with the length)


def shorten(value: object, limit: int = MAX_ECHO) -> str:
    """A value as a message may echo it: at most `limit` characters, marked when cut."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit - 3]}..."


def did_you_mean(value: object, valid: Iterable[str]) -> str:
    """Return ' Did you mean 'x'?' for a near miss, or an empty string."""
    text = str(value)
    if len(text) > MAX_SUGGEST:
        return ""
    matches = difflib.get_close_matches(text, list(valid), n=1, cutoff=0.6)
    return f" Did you mean '{matches[0]}'?" if matches else ""


def valid_list(valid: Iterable[object], limit: int = 20) -> str:
    """Render the valid choices for a message, shortened when there are many."""
    items = [str(v) for v in valid]
    shown = ", ".join(items[:limit])
    return shown + (f", ... ({len(items) - limit} more)" if len(items) > limit else "")


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file, located by file, line and id."""

    file: str
    line: int | None
    ident: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        subject = f" [{self.ident}]" if self.ident else ""
        return f"{where}:{subject} {self.message}"


class ContentErrors(Exception):
    """Raised when content files are invalid; holds every problem found, not just the first."""

    def __init__(self, errors: Iterable[ContentError]):
        self.errors = tuple(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        head = f"{count} content error{'s' if count != 1 else ''}:"
        return "\n".join([head, *(f"  {e}" for e in self.errors)])


class AnswerError(ValueError):
    """A set of answers that does not fit the questionnaire (bad code, type or range)."""

    def __init__(self, problems: Iterable[tuple[str | None, str]], more: int = 0):
        self.problems = tuple(problems)
        self.more = more  # further problems counted but not described (a body of thousands of bad keys)
        super().__init__("; ".join(message for _, message in self.problems))
