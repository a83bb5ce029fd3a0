"""The catalogue of wrong (and correct alternative) implementations of graded functions.

Each assignment has a module here named after it, defining ``VARIANTS``: a list of
:class:`Variant`. A wrong variant is a realistic student mistake; CI proves that the test of
its function gives it no points. A correct variant is another valid way to write the function
(loops, an equivalent formula); CI proves it earns full marks. Every graded function needs at
least three wrong variants and one correct one.

A module may also define ``INDEPENDENT``: the graded functions whose test result depends on
no other graded function's mistakes: the test uses only that function, the setup cell and
``dlcourse``; no other graded function's solution or test uses it; and its wrong variants
call no other independent function. It is a checked statement that these tests stand alone
(tests/test_catalogue_independence.py checks it against the notebooks). Which mistakes CI
submits together comes from the dependencies read off the notebooks themselves
(:mod:`autograder.catalogue.dependencies`), for every graded function.
"""

from __future__ import annotations

import importlib
import textwrap
from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    """One implementation of a graded function.

    Attributes
    ----------
    function : str
        The graded function (its answer cell's grade_id); its test cell is ``test_<function>``.
    slug : str
        A short name for the variant, unique per function.
    correct : bool
        Whether the implementation is right (must earn full marks) or wrong (must lose the
        points of the function's test).
    why : str
        What the variant does, in a student's terms.
    code : str
        The answer cell's new source.
    hint : str
        For a wrong variant whose test recognises the mistake: words its failure message's
        hint must contain (case-insensitive); empty if the message gives no hint.
    """

    function: str
    slug: str
    correct: bool
    why: str
    code: str
    hint: str = ""

    @property
    def student_id(self) -> str:
        """The pseudo-student this variant is submitted as."""
        kind = "correct" if self.correct else "wrong"
        return f"{kind}--{self.function}--{self.slug}"


def wrong(function: str, slug: str, why: str, code: str, hint: str = "") -> Variant:
    """A realistic mistake in ``function``; ``hint``: words its failure's hint must contain."""
    return Variant(function, slug, False, why, textwrap.dedent(code).strip() + "\n", hint)


def correct(function: str, slug: str, why: str, code: str) -> Variant:
    """Another correct way to write ``function``."""
    return Variant(function, slug, True, why, textwrap.dedent(code).strip() + "\n")


def load(assignment: str) -> list[Variant]:
    """All catalogued variants of an assignment's graded functions."""
    module = importlib.import_module(f"{__name__}.{assignment}")
    return list(module.VARIANTS)


def independent(assignment: str) -> frozenset[str]:
    """The graded functions of an assignment whose tests depend on no other graded function."""
    module = importlib.import_module(f"{__name__}.{assignment}")
    return frozenset(getattr(module, "INDEPENDENT", ()))
