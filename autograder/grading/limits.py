"""The limits every submission is graded under, and parsing them from the command line."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$", re.IGNORECASE)
_SIZE_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SECONDS = {None: 1.0, "ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def parse_size(text: str | int) -> int:
    """Bytes from ``"2G"``, ``"512M"``, ``"1.5GiB"``, ``"4096"`` (binary units).

    Raises
    ------
    ValueError
        If ``text`` is not a size.
    """
    if isinstance(text, bool):
        raise TypeError("a size must be a string or an integer, not a bool")
    if isinstance(text, int):
        if text < 0:
            raise ValueError(f"a size cannot be negative: {text}")
        return text
    if not isinstance(text, str):
        raise TypeError(f"a size must be a string or an integer, not {type(text).__name__}")
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (examples: 512M, 2G, 1048576)")
    number, unit = match.groups()
    return int(float(number) * _SIZE_UNITS[unit.lower()])


def parse_duration(text: str | float) -> float:
    """Seconds from ``"90"``, ``"90s"``, ``"2m"``, ``"1h"`` or a number.

    Raises
    ------
    ValueError
        If ``text`` is not a duration, or is not positive.
    """
    if isinstance(text, bool):
        raise TypeError("a duration must be a string or a number, not a bool")
    if isinstance(text, int | float):
        seconds = float(text)
    elif isinstance(text, str):
        match = _DURATION.match(text)
        if not match:
            raise ValueError(f"not a duration: {text!r} (examples: 30, 30s, 5m, 1h)")
        number, unit = match.groups()
        seconds = float(number) * _SECONDS[unit.lower() if unit else None]
    else:
        raise TypeError(f"a duration must be a string or a number, not {type(text).__name__}")
    if seconds <= 0:
        raise ValueError(f"a duration must be positive: {text!r}")
    return seconds


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    Attributes
    ----------
    cell_timeout : float
        Seconds one cell may run before it is interrupted (and scores zero if it is a test).
    submission_timeout : float
        Wall-clock seconds for the whole notebook; then the kernel is killed and the cells
        not yet run score zero.
    memory_bytes : int
        The kernel's address-space limit (``RLIMIT_AS``); 0 means no limit.
    max_output_bytes : int
        Outputs kept per notebook; later outputs are dropped and the notebook is flagged.
    file_size_bytes : int
        Largest file the kernel may write in its working copy (``RLIMIT_FSIZE``).
    """

    cell_timeout: float = 120.0
    submission_timeout: float = 600.0
    memory_bytes: int = 4 * 1024**3
    max_output_bytes: int = 2 * 1024**2
    file_size_bytes: int = 64 * 1024**2

    def __post_init__(self) -> None:
        for name in ("cell_timeout", "submission_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("memory_bytes", "max_output_bytes", "file_size_bytes"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} cannot be negative, got {getattr(self, name)}")
