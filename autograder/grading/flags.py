"""Flags: why a submission's grade deserves a second look."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Flag:
    """One thing the grader noticed about a submission.

    Attributes
    ----------
    code : str
        A short, stable name (``renamed``, ``timeout``, ``tampering``, ...) for filtering.
    reason : str
        A sentence an instructor can act on.
    review : bool
        Whether an instructor should look before the grade is released (the gradebook marks
        the notebook as needing manual grading, so the formgrader lists it).
    """

    code: str
    reason: str
    review: bool = False

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"


def flags_path(root: Path, assignment: str) -> Path:
    """Where the flags of every graded submission of ``assignment`` are kept (JSON)."""
    return Path(root) / "autograder" / f"flags_{assignment}.json"


def listing(items: list[str], most: int, sep: str = ", ") -> str:
    """The first ``most`` items joined, and how many more there were: 'a, b (and 3 more)'."""
    more = f" (and {len(items) - most} more)" if len(items) > most else ""
    return sep.join(items[:most]) + more


def describe(flags: list[Flag]) -> str:
    """All flags on one line (for a CSV cell), or an empty string."""
    return "; ".join(str(f) for f in flags)
