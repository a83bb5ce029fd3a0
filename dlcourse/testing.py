"""Assertion helpers for exercise tests, with messages written for students.

Every failure says which function was called, on which input, what was expected,
what came back and where the first wrong entry is. When the result matches a
known mistake (a value the test computed from a deliberately wrong formula, or a
generic slip such as a flipped sign or a factor of 2) the message adds a hint that
names the likely cause without giving the answer away.

What a student's function returns is checked by :func:`expect_plain` before anything
converts, indexes, iterates, compares or formats it: only plain numbers, NumPy scalars,
plain ``numpy.ndarray`` objects of numbers, and tuples, lists and dicts of those get
through, so a returned object cannot run code of its own inside a test's assertions.
:func:`assert_close`, :func:`expect_tuple`, :func:`call_without_mutation` and
:func:`call_without_warnings` check what they are given; a test that uses a returned
value in any other way (``len(costs)``, ``np.diff(costs)``, ``float(loss)``) passes it
through :func:`expect_plain` first.

Beside these checks the module holds the harnesses that the assignments' test cells share, so
that a setup cell is a few imports:

- layers: :func:`cache_of` (the opaque cache of a student's forward function) and
  :func:`single_gradient` (a one-input backward function's ``dx``);
- update rules ``step(w, dw, state, **hyperparameters)``: :func:`run_optimizer` (the path of
  w, with mutation checks), :func:`compare_paths` (the first step that differs),
  :func:`check_separate_states` (one state per parameter) and :func:`gradient_sequence`
  (test gradients of very different sizes);
- learning-rate schedules: :func:`check_schedule`;
- random draws: :func:`check_draws` (an array looks like N(0, σ²) or U(−a, a), whatever order
  it was drawn in);
- argument errors: :func:`expect_error` (a call raises the right exception, whose message names
  what it should).

Typical use in a test cell::

    from dlcourse.testing import assert_close, call_without_mutation, expect_tuple

    dw, db = expect_tuple(linear_gradients(X, y, w, b), ("dw", "db"), name="linear_gradients")
    assert_close(dw, dw_expected, name="linear_gradients: dw", inputs={"X": X, "y": y})
"""

from __future__ import annotations

import copy
import inspect
import types
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "assert_close",
    "cache_of",
    "call_without_mutation",
    "call_without_warnings",
    "check_schedule",
    "check_draws",
    "check_separate_states",
    "compare_paths",
    "expect_error",
    "expect_plain",
    "expect_tuple",
    "format_value",
    "gradient_sequence",
    "run_optimizer",
    "single_gradient",
]

_GENERIC_FACTORS = {
    2.0: "every entry is exactly 2x the expected one: look for a factor of 2 "
    "(for example a missing 1/2 or a 2 that should have cancelled)",
    0.5: "every entry is exactly half the expected one: look for an extra factor of 1/2",
    -1.0: "every entry has the right size but the wrong sign (-1x the expected one): look for "
    "a flipped subtraction",
}
_LARGEST_FACTOR = 1000
"""The largest whole number n that a generic hint names as a factor (n or 1/n, e.g. m or 1/m):
a ratio that is a whole number beyond it is more likely a coincidence than a missing 1/m."""
GENERIC_HINT_MARK = "the expected one"
"""A phrase in every generic hint: the ones :func:`assert_close` reads off the numbers alone
(a simple factor, a flipped sign, a transpose), without a known mistake. The catalogued hints
the assignments pass as ``mistakes`` never contain it, so a test can tell the two apart."""

# ------------------------------------------------------------------ checking returned values
#
# Nothing below may run code that a student's object could supply: no isinstance (it asks
# the object's __class__), no ==, hash, len, iteration, repr or str on an object whose exact
# type has not been checked, and no set or dict lookup of a type (that hashes it through its
# metaclass). Types are compared with `is`, and their names are read with type's own
# descriptor, so that not even a metaclass's __name__ property can run.

# Exact classes only (a subclass of float or of np.float64 is not one of these).
_SCALAR_TYPES = (bool, int, float) + tuple(
    dict.fromkeys(np.dtype(c).type for c in "?" + np.typecodes["AllInteger"] + "efdg")
)
_ARRAY_KINDS = "biuf"  # bool, signed and unsigned integers, floats
_CONTAINER_TYPES = (tuple, list, dict)
_NONE_TYPE = type(None)
_MAX_DEPTH = 32
_PLAIN_HINT = (
    "Hint: return plain numbers (float, int), NumPy arrays, or tuples, lists and dicts of "
    "them, as the docstring says.\n"
)
_TYPE_NAME = type.__dict__["__name__"]
_TYPE_MRO = type.__dict__["__mro__"]
_KIND_NAMES = {
    "O": "object",
    "V": "structured (void)",
    "U": "string",
    "S": "bytes",
    "M": "datetime",
    "m": "timedelta",
    "c": "complex",
    "T": "string",
}


def _is_one_of(t: type, candidates: tuple[type, ...]) -> bool:
    return any(t is c for c in candidates)


def _plain_str(text: Any) -> str:
    """An exact ``str`` with the characters of ``text`` (a str or a str subclass)."""
    return text if type(text) is str else str.__str__(text)


def _type_name(t: type) -> str:
    """``t.__name__`` without running any code ``t`` or its metaclass defines."""
    name = _plain_str(_TYPE_NAME.__get__(t))
    return name if len(name) <= 60 else name[:57] + "..."


def _subclassed(t: type) -> str | None:
    """The allowed type that ``t`` subclasses, by name, or None."""
    for base in _TYPE_MRO.__get__(t)[1:]:
        if base is np.ndarray:
            return "numpy.ndarray"
        if _is_one_of(base, _SCALAR_TYPES) or _is_one_of(base, _CONTAINER_TYPES):
            return _type_name(base)
    return None


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _describe(value: Any) -> str:
    """'a _Liar', 'a MyArray, a subclass of numpy.ndarray', 'an array of object dtype', ..."""
    t = type(value)
    if t is np.ndarray:
        kind = value.dtype.kind
        return f"an array of {_KIND_NAMES.get(kind, 'non-numeric')} dtype"
    name = _type_name(t)
    base = _subclassed(t)
    if base is not None:
        return f"{_article(name)} {name}, a subclass of {base}"
    return f"{_article(name)} {name}"


def _advice(value: Any) -> str:
    """How to return ``value`` plainly, when it subclasses an allowed type ('' otherwise)."""
    base = _subclassed(type(value))
    if base is None:
        return ""
    if base == "numpy.ndarray":
        return "return a plain array (np.asarray(result) gives one)"
    if base in ("tuple", "list", "dict"):
        return f"return a plain {base}"
    if base == "bool":
        return "return a plain bool"
    return "return a plain number (float(result) gives one)"


def _problem(value: Any, strings: bool = False) -> tuple[str, Any] | None:
    """The first entry of ``value`` that is not plain, as ``(where, entry)``, or None.

    ``where`` is '' for ``value`` itself, otherwise an index path such as ``[0]['W1']``.
    None may appear inside a container; ``strings`` also allows exact ``str`` entries.
    """
    stack: list[int] = []

    def visit(item: Any, where: str) -> tuple[str, Any] | None:
        t = type(item)
        if _is_one_of(t, _SCALAR_TYPES) or (t is _NONE_TYPE and where) or (strings and t is str):
            return None
        if t is np.ndarray:
            return None if item.dtype.kind in _ARRAY_KINDS else (where, item)
        if not _is_one_of(t, _CONTAINER_TYPES) or len(stack) >= _MAX_DEPTH or id(item) in stack:
            return (where, item)
        stack.append(id(item))
        try:
            if t is dict:
                for key, entry in dict.items(item):
                    if type(key) is not str and type(key) is not int:
                        return (f"{where} (a key)", key)
                    found = visit(entry, f"{where}[{key!r}]")
                    if found:
                        return found
            else:
                for i, entry in enumerate(item):
                    found = visit(entry, f"{where}[{i}]")
                    if found:
                        return found
        finally:
            stack.pop()
        return None

    return visit(value, "")


def _is_plain(value: Any, strings: bool = False) -> bool:
    return value is None or _problem(value, strings) is None


def expect_plain(value: Any, *, name: str, what: str | None = None) -> Any:
    """Check the exact type of a value a student's code produced, and return the value.

    Call this before a test converts, indexes, iterates, compares or formats anything a
    student's function returned. The check reads only ``type(value)`` (and the types of the
    entries of tuples, lists and dicts), so it runs no code the value's class defines: an
    object that pretends to be a number cannot act inside the test.

    Allowed, checked recursively:

    - Python ``bool``, ``int`` and ``float``, and NumPy's numeric scalars (``np.float64``,
      ``np.int64``, ``np.bool_``, ...): exactly these classes, not subclasses;
    - ``numpy.ndarray`` itself (not a subclass) with a bool, integer or float dtype;
    - ``tuple``, ``list`` and ``dict`` (exact types) of allowed values, dict keys being
      ``str`` or ``int``; None may appear inside them.

    Parameters
    ----------
    value : Any
        What the student's code returned (or put into an argument).
    name : str
        The function (or value) to name in the message, e.g. ``"linear_cost"``.
    what : str, optional
        What the function should return, for the message, e.g. ``"a float"``. Defaults to
        ``"numbers or NumPy arrays"``.

    Returns
    -------
    Any
        ``value`` itself, unchanged.

    Raises
    ------
    AssertionError
        If ``value`` is None (the message asks whether a ``return`` is missing) or it, or
        anything inside it, is of any other type. The message names the function and the
        type, e.g. ``linear_cost returned a _Liar; return a float.``
    """
    what = what or "numbers or NumPy arrays"
    if value is None:
        raise AssertionError(
            f"\n{name}: returned None.\nHint: did you forget a `return` statement?\n"
        )
    found = _problem(value)
    if found is None:
        return value
    where, bad = found
    advice = _advice(bad) or f"return {what}"
    if where:
        outer = _type_name(type(value))
        problem = (
            f"{name} returned {_article(outer)} {outer} whose entry {where} is {_describe(bad)}"
        )
    else:
        problem = f"{name} returned {_describe(bad)}"
    raise AssertionError(f"\n{problem}; {advice}.\n{_PLAIN_HINT}")


def _callable_name(func: Any) -> str:
    """The name of a function for messages, without running code a callable object defines."""
    t = type(func)
    if t is types.FunctionType or t is types.BuiltinFunctionType or t is np.ufunc:
        return _plain_str(func.__name__)
    return "the function"


# ------------------------------------------------------------------ formatting and failing


def format_value(value: Any, *, precision: int = 5) -> str:
    """Render a value compactly for an error message.

    Arrays show their shape and a summarised body; other plain values (see
    :func:`expect_plain`; strings too) use ``repr``. Anything else is shown by its type
    only, so that formatting it runs none of its code.
    """
    found = None if value is None else _problem(value, strings=True)
    if found is not None:
        where, bad = found
        if where:
            return f"<{_describe(value)} holding {_describe(bad)}>"
        return f"<{_describe(bad)}>"
    t = type(value)
    if t is np.ndarray or ((t is list or t is tuple) and value and _is_numeric_sequence(value)):
        arr = np.asarray(value)
        body = np.array2string(
            arr, precision=precision, threshold=12, edgeitems=2, suppress_small=True
        )
        if arr.ndim == 0:
            return body
        body = " ".join(body.split())
        return f"array of shape {arr.shape}: {body}"
    if t is float or (_is_one_of(t, _SCALAR_TYPES) and np.dtype(t).kind == "f"):
        return f"{float(value):.{precision + 2}g}"
    return repr(value)


def _is_numeric_sequence(value: Sequence[Any]) -> bool:
    try:
        return np.asarray(value).dtype.kind in "biuf"
    except (ValueError, TypeError):
        return False


def _format_inputs(name: str, inputs: Mapping[str, Any] | None) -> str:
    if not inputs:
        return ""
    lines = [f"  {key} = {format_value(val)}" for key, val in inputs.items()]
    return f"Called {name} with\n" + "\n".join(lines) + "\n"


def _fail(name: str, inputs: Mapping[str, Any] | None, problem: str, hint: str | None = None):
    message = f"\n{name}: {problem}\n{_format_inputs(name, inputs)}"
    if hint:
        message += f"Hint: {hint}\n"
    raise AssertionError(message)


def _as_float_array(got: Any, name: str, inputs: Mapping[str, Any] | None, what: str) -> np.ndarray:
    if got is None:
        _fail(name, inputs, "returned None.", "did you forget a `return` statement?")
    expect_plain(got, name=name, what=what)
    try:
        arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        _fail(name, inputs, f"returned {_type_name(type(got))} {format_value(got)}, not numbers.")
    return arr


def _shape_hint(got: np.ndarray, expected: np.ndarray) -> str | None:
    if expected.ndim == 0:
        return (
            "the result should be a single number; did you forget to add up or average "
            "over the examples?"
        )
    if got.ndim == 0:
        return "the result should be an array, one entry per example or per parameter."
    if got.shape == expected.shape[::-1]:
        return "the shape is the transpose of the expected one: check which axis is which."
    if got.size == expected.size:
        return (
            f"the right number of entries in the wrong shape: a {got.shape} result where "
            f"{expected.shape} is expected usually means a column vector crept in; keep "
            "1-D arrays 1-D."
        )
    return None


def _common_factor(got: np.ndarray, expected: np.ndarray, atol: float) -> float | None:
    """The factor k with ``got == k * expected`` entry by entry, or None.

    k is read off at least two nonzero expected entries (one number always has *some* ratio
    to another, which says nothing), they must all share it to 1e-9, and wherever the
    expected entry is 0 the result must be 0 too.
    """
    nonzero = np.abs(expected) > atol
    if nonzero.sum() < 2 or not np.allclose(got[~nonzero], 0.0, atol=atol):
        return None
    ratios = got[nonzero] / expected[nonzero]
    factor = float(ratios.flat[0])
    if not np.allclose(ratios, factor, rtol=1e-9, atol=0):
        return None
    return factor


def _whole(x: float) -> int | None:
    """x as a whole number from 2 to :data:`_LARGEST_FACTOR`, or None."""
    n = round(x)
    return n if 2 <= n <= _LARGEST_FACTOR and abs(x - n) <= 1e-9 * n else None


def _factor_hint(factor: float) -> str | None:
    """The hint for a result that is ``factor`` times the expected one, if the factor is a
    simple one a slip explains (2, 1/2, -1, a whole number n such as m, or 1/n); else None."""
    for simple, text in _GENERIC_FACTORS.items():
        if abs(factor - simple) <= 1e-9 * abs(simple):
            return text
    size, sign = abs(factor), " and the sign is flipped" if factor < 0 else ""
    n = _whole(size)
    if n is not None:
        return (
            f"every entry is {n}x the expected one{sign}: a scaling factor (such as a missing "
            "division by m, the number of examples) is off."
        )
    n = _whole(1.0 / size) if size > 0 else None
    if n is not None:
        return (
            f"every entry is 1/{n} of the expected one{sign}: a scaling factor (such as an "
            "extra division by m, the number of examples) is off."
        )
    return None


def _value_hint(
    got: np.ndarray,
    expected: np.ndarray,
    mistakes: Mapping[str, Any] | None,
    rtol: float,
    atol: float,
) -> str | None:
    """The hint for a wrong result: a known mistake's, else a generic one that informs.

    Generic hints fire only where the numbers say something: several entries sharing one
    simple factor (:func:`_factor_hint`), or a square matrix that is the transpose. A single
    number, a ratio of 0 or an arbitrary ratio gets no generic hint.
    """
    for description, wrong in (mistakes or {}).items():
        wrong_arr = np.asarray(wrong, dtype=float)
        if wrong_arr.shape == got.shape and np.allclose(got, wrong_arr, rtol=rtol, atol=atol):
            return description
    factor = _common_factor(got, expected, atol)
    if factor is not None:
        hint = _factor_hint(factor)
        if hint is not None:
            return hint
    if expected.ndim == 2 and expected.shape[0] == expected.shape[1] > 1:
        if np.allclose(got, expected.T, rtol=rtol, atol=atol):
            return "the result is the transpose of the expected one."
    return None


def assert_close(
    got: Any,
    expected: Any,
    *,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    rtol: float = 1e-6,
    atol: float = 1e-9,
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Assert that a student's result equals the expected one up to a tolerance.

    Parameters
    ----------
    got : array_like or float
        What the student's function returned; checked with :func:`expect_plain` before
        it is converted.
    expected : array_like or float
        The correct value. A scalar means the result must be a single number (a
        Python or NumPy float, or a 0-d array).
    name : str
        How to name the call in messages, e.g. ``"linear_cost"``.
    inputs : mapping, optional
        The arguments the function was called with, shown in the message.
    rtol, atol : float
        Tolerances as in :func:`numpy.isclose`.
    mistakes : mapping of str to array_like, optional
        Known wrong results for these inputs, keyed by a hint describing the mistake.
        If the result matches one of them, its hint is shown.

    Raises
    ------
    AssertionError
        With the inputs, expected and returned values, the first wrong entry and, where
        it can tell, the likely cause.
    """
    exp_arr = np.asarray(expected, dtype=float)
    got_arr = _as_float_array(got, name, inputs, "a number" if exp_arr.ndim == 0 else "an array")
    if got_arr.shape != exp_arr.shape:
        _fail(
            name,
            inputs,
            f"returned shape {got_arr.shape}, expected shape {exp_arr.shape}.\n"
            f"  expected: {format_value(exp_arr)}\n  got:      {format_value(got_arr)}",
            _shape_hint(got_arr, exp_arr),
        )
    ok = np.isclose(got_arr, exp_arr, rtol=rtol, atol=atol, equal_nan=True)
    if ok.all():
        return
    first = tuple(int(i) for i in np.argwhere(~ok)[0])
    where = f"index {first}" if first else "the value"
    problem = (
        f"returned the wrong value ({int((~ok).sum())} of {ok.size} entries wrong).\n"
        f"  expected: {format_value(exp_arr)}\n"
        f"  got:      {format_value(got_arr)}\n"
        f"  first wrong entry: {where}, expected {format_value(exp_arr[first])}, "
        f"got {format_value(got_arr[first])}"
    )
    if not np.isfinite(got_arr).all() and np.isfinite(exp_arr).all():
        hint = "the result contains nan or inf: look for an overflow or a division by zero."
    else:
        hint = _value_hint(got_arr, exp_arr, mistakes, rtol, atol)
    _fail(name, inputs, problem, hint)


def expect_tuple(
    result: Any, names: Sequence[str], *, name: str, opaque: Sequence[str] = ()
) -> tuple:
    """Check that a function returned a tuple of ``len(names)`` plain values and return it.

    Parameters
    ----------
    result : Any
        What the function returned: a plain ``tuple`` (or ``list``). Each value is checked
        with :func:`expect_plain`, except those named in ``opaque``.
    names : sequence of str
        The names of the expected values, e.g. ``("dw", "db")``, used in the message.
    name : str
        The function's name, for the message.
    opaque : sequence of str, optional
        Values the contract lets be anything (a layer's ``cache``): returned unchecked. The
        test must not use them except to hand them back to the student's own functions.

    Returns
    -------
    tuple
        The values, in order.
    """
    wanted = ", ".join(names)
    t = type(result)
    if t is not tuple and t is not list:
        if result is not None and not _is_plain(result):
            expect_plain(result, name=name, what=f"the {len(names)} values {wanted} as a tuple")
        raise AssertionError(
            f"\n{name}: should return {len(names)} values ({wanted}) as a tuple, "
            f"but returned 1: {format_value(result)}\n"
            f"Hint: end the function with `return {wanted}`.\n"
        )
    if len(result) != len(names):
        raise AssertionError(
            f"\n{name}: should return {len(names)} values ({wanted}) as a tuple, "
            f"but returned {len(result)}: {format_value(result)}\n"
            f"Hint: end the function with `return {wanted}`.\n"
        )
    for value_name, value in zip(names, result, strict=True):
        if value_name not in opaque and value is not None and not _is_plain(value):
            where, bad = _problem(value)
            inside = f" (its entry {where})" if where else ""
            advice = _advice(bad) or "return numbers or NumPy arrays"
            raise AssertionError(
                f"\n{name}: the {value_name}{inside} it returned is {_describe(bad)}; {advice}.\n"
                f"{_PLAIN_HINT}"
            )
    return tuple(result)


def _first_change(old: Any, new: Any) -> str:
    """'  first changed entry: ...' line for two same-shape arrays, or '' otherwise."""
    old, new = np.asarray(old), np.asarray(new)
    if old.shape != new.shape or old.ndim == 0:
        return ""
    changed = np.argwhere(~((old == new) | ((old != old) & (new != new))))
    if changed.size == 0:
        return ""
    index = tuple(int(i) for i in changed[0])
    return f"  first changed entry: index {index}, {old[index]!r} became {new[index]!r}\n"


def _same(old: Any, new: Any) -> bool:
    """Whether two plain values (see :func:`expect_plain`) are equal, nan equal to nan."""
    t = type(old)
    if _is_one_of(t, _SCALAR_TYPES) and _is_one_of(type(new), _SCALAR_TYPES):
        return bool(old == new) or bool(old != old and new != new)
    if t is not type(new):
        return False
    if t is np.ndarray:
        return np.array_equal(old, new, equal_nan=True)
    if t is list or t is tuple:
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if t is dict:
        return list(old) == list(new) and all(_same(old[k], new[k]) for k in old)
    return old is new  # None


def call_without_mutation(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` and fail if it changed any of its array or list arguments in place.

    The arguments that are plain arrays or lists (see :func:`expect_plain`) are copied
    before the call and compared after it; first their new contents are checked to be
    still plain, so that an object the function slipped into a list cannot run code in the
    comparison. Plain dict arguments must still be plain after the call. Other arguments
    (a layer's cache, say) are passed on untouched.

    Returns
    -------
    Any
        Whatever ``func`` returned, checked with :func:`expect_plain`; None is returned
        as it is (:func:`assert_close` then asks about a missing ``return``), and a plain
        tuple's values are left to :func:`expect_tuple` (some, such as a cache, may be
        anything).
    """
    name = _callable_name(func)
    try:
        bound = inspect.signature(func).bind(*args, **kwargs)
        named = dict(bound.arguments)
    except (TypeError, ValueError):
        named = {f"argument {i + 1}": a for i, a in enumerate(args)} | kwargs
    before, dicts = {}, []
    for key, value in named.items():
        t = type(value)
        if (t is np.ndarray or t is list) and _is_plain(value):
            before[key] = copy.deepcopy(value)
        elif t is dict and _is_plain(value):
            dicts.append((key, value))
    result = func(*args, **kwargs)
    for key, value in dicts:
        expect_plain(value, name=f"{name}'s argument `{key}` after the call")
    for key, old in before.items():
        new = named[key]
        found = _problem(new)
        if found is not None:
            where, bad = found
            raise AssertionError(
                f"\n{name}: put {_describe(bad)} into its input `{key}` (at {where}).\n"
                "Hint: leave the caller's arguments as they were; return new values instead.\n"
            )
        if not _same(old, new):
            raise AssertionError(
                f"\n{name}: changed its input `{key}` in place.\n"
                f"  before the call: {format_value(old)}\n"
                f"  after the call:  {format_value(new)}\n"
                f"{_first_change(old, new) if type(old) is np.ndarray else ''}"
                "Hint: the caller's arrays must stay as they were; work on a copy "
                f"(e.g. `{key} = {key}.copy()`) or write `x = x - ...` instead of `x -= ...`.\n"
            )
    if result is None or type(result) is tuple:
        return result
    return expect_plain(result, name=name)


def _warning_text(warning: BaseException) -> str:
    """A warning's message, if it is a plain string (never str() of a student's object)."""
    args = BaseException.__dict__["args"].__get__(warning)
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    return ""


def call_without_warnings(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` like :func:`call_without_mutation`, and also fail if it warns.

    NumPy's floating-point problems (overflow in ``np.exp``, division by zero, invalid
    operations) are turned into failures that name the warning, so a test can insist that a
    function is numerically stable rather than merely right after the fact.

    Returns
    -------
    Any
        Whatever ``func`` returned, checked as by :func:`call_without_mutation`.
    """
    name = _callable_name(func)
    with warnings.catch_warnings(), np.errstate(over="warn", divide="warn", invalid="warn"):
        warnings.simplefilter("error")
        try:
            return call_without_mutation(func, *args, **kwargs)
        except Warning as warning:
            raise AssertionError(
                f"\n{name}: emitted {_describe(warning)}: {_warning_text(warning)}\n"
                f"  inputs: {', '.join(format_value(a) for a in args)}\n"
                "Hint: an intermediate value overflowed or was undefined; rewrite the formula "
                "so that no step computes exp of a large positive number, the log of 0 or a "
                "division by zero.\n"
            ) from None


# ------------------------------------------------------------------ layers (forward/backward)


def cache_of(forward: Callable[..., Any], name: str, *args: Any, **kwargs: Any) -> Any:
    """Call a student's forward function and return the cache it returns beside its output.

    The cache is opaque: the test never looks inside it, it only hands it back to the
    matching backward function. Neither the output nor the cache is checked here.

    Parameters
    ----------
    forward : callable
        A forward function returning ``(out, cache)``, e.g. ``relu_forward``.
    name : str
        Its name, for the message.
    *args, **kwargs
        The arguments to call it with.

    Returns
    -------
    Any
        The cache.

    Raises
    ------
    AssertionError
        If ``forward`` does not return a plain tuple (or list) of two values.
    """
    _, cache = expect_tuple(
        forward(*args, **kwargs), ("out", "cache"), name=name, opaque=("out", "cache")
    )
    return cache


def single_gradient(result: Any, name: str) -> Any:
    """The gradient a one-input backward function returned: ``dx``, or ``(dx,)`` unpacked.

    Parameters
    ----------
    result : Any
        What the backward function returned; checked with :func:`expect_plain`.
    name : str
        The function's name, for the message.

    Returns
    -------
    Any
        ``dx``, a plain value (an array, if the function is right).

    Raises
    ------
    AssertionError
        If ``result`` is a tuple or list of more or fewer than one value, or is not plain.
    """
    if type(result) is tuple or type(result) is list:
        if len(result) != 1:
            raise AssertionError(
                f"{name}: should return dx alone, but returned {len(result)} values"
            )
        result = result[0]
    return expect_plain(result, name=name, what="the array dx")


# ------------------------------------------------------------------ update rules
#
# An update rule (an optimizer step) is called as ``step(w, dw, state, **hyperparameters)``
# and returns the new w; ``state`` is a dict it owns, one per parameter, empty at first. The
# test never looks inside a state: the student may keep anything there.


def _check_array(value: Any, what: str) -> np.ndarray:
    if type(value) is not np.ndarray or value.dtype.kind not in "biuf":
        raise TypeError(f"{what} must be a NumPy array of numbers, got {_describe(value)}")
    return value


def gradient_sequence(seed: int, shape: tuple[int, ...], steps: int) -> list[np.ndarray]:
    """Made-up gradients whose entries differ in size (1e-5 to 1e3) and sometimes change sign.

    Parameters
    ----------
    seed : int
        Seed of the generator they are drawn from (the same seed gives the same gradients).
    shape : tuple of int
        The shape of each gradient (that of the parameter).
    steps : int
        How many gradients, >= 1.

    Returns
    -------
    list of np.ndarray
        ``steps`` arrays of shape ``shape``.
    """
    if type(steps) is not int or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}")
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.uniform(-5, 3, size=shape)
    drift = rng.normal(size=shape)
    return [scale * (drift + rng.normal(size=shape)) for _ in range(steps)]


def _take_step(
    step: Callable[..., Any],
    w: np.ndarray,
    dw: np.ndarray,
    state: dict,
    name: str,
    t: int,
    hyperparameters: Mapping[str, Any],
) -> np.ndarray:
    """Step ``t`` of an update rule: its new w, checked by type first, as a float array copy."""
    w_new = step(w, dw, state, **hyperparameters)
    assert w_new is not None, f"{name}: returned None at step {t}; return the new w"
    return np.array(
        expect_plain(w_new, name=f"{name} (at step {t})", what="the new w"), dtype=float
    )


def run_optimizer(
    step: Callable[..., Any],
    w: np.ndarray,
    grads: Sequence[np.ndarray],
    name: str,
    **hyperparameters: Any,
) -> np.ndarray:
    """Call an update rule once per gradient, from ``w`` and an empty state; return the path.

    Every step's result is checked with :func:`expect_plain` and must have ``w``'s shape.
    The run fails if the rule changes the ``w`` it is given in place, or any gradient it was
    given, then or at a later step (a state that keeps a reference to ``dw`` and updates it
    in place).

    Parameters
    ----------
    step : callable
        The student's rule, called as ``step(w, dw, state, **hyperparameters)``.
    w : np.ndarray, any shape
        The starting point.
    grads : sequence of np.ndarray, each of w's shape
        The gradient to pass at each step.
    name : str
        The rule's name, for messages.
    **hyperparameters
        Passed on to every call (``lr=0.1``, ...).

    Returns
    -------
    np.ndarray, shape (len(grads) + 1, *w.shape)
        ``[w_0, w_1, ..., w_T]``, starting point first; copies, which the rule cannot reach.
    """
    _check_array(w, "w")
    for k, g in enumerate(grads):
        if _check_array(g, f"grads[{k}]").shape != w.shape:
            raise ValueError(f"grads[{k}] has shape {g.shape}; w has shape {w.shape}")
    state: dict = {}
    path = [np.array(w, dtype=float)]
    grads_before = [g.copy() for g in grads]
    for t, dw in enumerate(grads, start=1):
        w_before = w.copy()
        w_new = _take_step(step, w, dw, state, name, t, hyperparameters)
        assert w_new.shape == w.shape, (
            f"{name}: returned shape {w_new.shape} at step {t}, expected the shape of w, {w.shape}"
        )
        assert np.array_equal(w, w_before, equal_nan=True), (
            f"{name}: changed the caller's w in place at step {t}; return w - ... instead"
        )
        for k, (g, g0) in enumerate(zip(grads, grads_before, strict=True), start=1):
            assert np.array_equal(g, g0, equal_nan=True), (
                f"{name}: after step {t}, the gradient passed at step {k} has changed. Your "
                "state keeps a reference to dw and modifies it in place: store dw.copy()."
            )
        path.append(w_new)
        w = w_new.copy()
    return np.array(path)


def _hyperparameter_text(hyperparameters: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in hyperparameters.items()) or "defaults"


def compare_paths(
    path: np.ndarray,
    expected: Sequence[Any],
    name: str,
    hyperparameters: Mapping[str, Any],
    grads: Sequence[np.ndarray],
    mistakes: Mapping[str, Sequence[Any]] | None = None,
    rtol: float = 1e-7,
) -> None:
    """Compare a path of :func:`run_optimizer` with the expected one; report the first bad step.

    Parameters
    ----------
    path : np.ndarray, shape (T + 1, ...)
        What :func:`run_optimizer` returned (the starting point first).
    expected : sequence of array_like, length <= T
        The expected w after steps 1, 2, ... (no starting point).
    name : str
        The rule's name, for the message.
    hyperparameters : mapping
        The hyperparameters the path was run with, shown in the message.
    grads : sequence of np.ndarray
        The gradients the path was run with; the message shows the one of the bad step.
    mistakes : mapping of str to sequence of array_like, optional
        Known wrong paths (each like ``expected``), keyed by the hint to show when the bad
        step matches that path's step.
    rtol : float
        Relative tolerance (the absolute one is 1e-12).

    Raises
    ------
    AssertionError
        From :func:`assert_close` at the first step that differs, naming the step, the
        hyperparameters, w before the step and the gradient.
    """
    path = _check_array(path, "path")
    if len(expected) > len(path) - 1:
        raise ValueError(f"expected has {len(expected)} steps but the path only {len(path) - 1}")
    hyper = _hyperparameter_text(hyperparameters)
    for t in range(len(expected)):
        if not np.allclose(path[t + 1], expected[t], rtol=rtol, atol=1e-12):
            assert_close(
                path[t + 1],
                expected[t],
                name=f"{name} ({hyper}), step {t + 1}",
                inputs={"w (before this step)": path[t], "dw": grads[t]},
                rtol=rtol,
                atol=1e-12,
                mistakes={k: v[t] for k, v in (mistakes or {}).items()},
            )


def check_separate_states(step: Callable[..., Any], name: str, **hyperparameters: Any) -> None:
    """Check that two parameters updated in turn, each with its own state, move as if alone.

    A rule that keeps what a parameter needs in global variables (or in the function
    object) instead of that parameter's state dict fails this check.

    Parameters
    ----------
    step : callable
        The student's rule, called as ``step(w, dw, state, **hyperparameters)``.
    name : str
        The rule's name, for messages.
    **hyperparameters
        Passed on to every call.

    Raises
    ------
    AssertionError
        Naming the parameter and the step at which the interleaved run differs.
    """
    w_a, w_b = np.array([1.0, -2.0, 0.5]), np.array([[3.0], [-1.0]])
    grads_a, grads_b = gradient_sequence(1, w_a.shape, 6), gradient_sequence(2, w_b.shape, 6)
    alone_a = run_optimizer(step, w_a, grads_a, name, **hyperparameters)
    alone_b = run_optimizer(step, w_b, grads_b, name, **hyperparameters)
    state_a: dict = {}
    state_b: dict = {}
    for t in range(6):
        w_a = _take_step(step, w_a, grads_a[t], state_a, name, t + 1, hyperparameters)
        w_b = _take_step(step, w_b, grads_b[t], state_b, name, t + 1, hyperparameters)
        for w, alone, which in ((w_a, alone_a, "first"), (w_b, alone_b, "second")):
            assert w.shape == alone[t + 1].shape and np.allclose(
                w, alone[t + 1], rtol=1e-12, atol=0
            ), (
                f"{name}: two parameters updated in turn, each with its own state dict, do not "
                f"move as they do alone (the {which} one differs at step {t + 1}). Keep "
                "everything a parameter needs in its state dict, not in global variables."
            )


# ------------------------------------------------------------------ learning-rate schedules


def check_schedule(
    schedule: Callable[..., Any],
    name: str,
    args: Sequence[Any],
    expected: Sequence[float],
    mistakes: Mapping[str, Sequence[float]] | None = None,
    **kwargs: Any,
) -> None:
    """Call a learning-rate schedule at epochs t = 0, 1, ... and compare with ``expected``.

    The schedule is called as ``schedule(args[0], t, *args[1:], **kwargs)`` (the initial
    rate, the epoch, then its own parameters), and must return a single number each time.

    Parameters
    ----------
    schedule : callable
        The student's schedule, e.g. ``step_decay``.
    name : str
        Its name; the message shows the call, e.g. ``step_decay(0.1, 3, 3, gamma=0.5)``.
    args : sequence
        ``(lr0, *parameters)``, at least one value.
    expected : sequence of float
        The rate at epochs 0, 1, ..., len(expected) - 1.
    mistakes : mapping of str to sequence of float, optional
        Known wrong rates (each like ``expected``), keyed by the hint to show.
    **kwargs
        Keyword arguments for every call (``gamma=0.5``).

    Raises
    ------
    AssertionError
        From :func:`assert_close` at the first epoch whose rate is wrong (relative
        tolerance 1e-9), or from :func:`expect_plain` if the result is not a plain number.
    """
    if type(args) is not tuple or not args:
        raise TypeError(f"args must be a non-empty tuple (lr0, ...), got {args!r}")
    for t, want in enumerate(expected):
        shown = ", ".join(map(repr, (args[0], t, *args[1:])))
        call = f"{name}({shown}" + "".join(f", {k}={v!r}" for k, v in kwargs.items()) + ")"
        got = expect_plain(schedule(args[0], t, *args[1:], **kwargs), name=call, what="a float")
        assert_close(
            got,
            want,
            name=call,
            rtol=1e-9,
            atol=0,
            mistakes={k: v[t] for k, v in (mistakes or {}).items()},
        )


# ------------------------------------------------------------------ random draws

_DISTRIBUTIONS = ("normal", "uniform")
_MIN_DRAWS = 1000
_DRAW_SIGMAS = 6.0
"""How many standard errors a statistic may stray before a check fails (about 1 in 10⁹ for a
right answer, per statistic)."""


def _spread(distribution: str, scale: float) -> float:
    """Standard deviation of N(0, scale²) or of U(−scale, scale)."""
    return scale if distribution == "normal" else scale / np.sqrt(3.0)


def _draw_problems(values: np.ndarray, distribution: str, scale: float) -> list[str]:
    """Why ``values`` do not look like draws from the distribution ('' entries: none)."""
    n = values.size
    spread = _spread(distribution, scale)
    problems = []
    mean, std = float(values.mean()), float(values.std())
    if abs(mean) > _DRAW_SIGMAS * spread / np.sqrt(n):
        problems.append(f"the mean is {mean:.4g}, expected about 0")
    if abs(std / spread - 1.0) > max(0.02, _DRAW_SIGMAS / np.sqrt(2.0 * n)):
        problems.append(f"the standard deviation is {std:.4g}, expected about {spread:.4g}")
    size = np.abs(values)
    if distribution == "uniform":
        if float(size.max()) > scale * (1 + 1e-12):
            problems.append(
                f"some entries reach {float(size.max()):.4g}, beyond the bound {scale:.4g}"
            )
        elif float(size.max()) < scale * (1.0 - 20.0 / n):
            problems.append(
                f"no entry comes near the bound {scale:.4g} (the largest size is"
                f" {float(size.max()):.4g})"
            )
        inner = float(np.mean(size < scale / 2))
        if abs(inner - 0.5) > _DRAW_SIGMAS * 0.5 / np.sqrt(n):
            problems.append(
                f"{inner:.1%} of the entries lie within half the bound, expected 50% (uniform)"
            )
    else:
        tail, p = float(np.mean(size > 2 * scale)), 0.04550026389635842
        if abs(tail - p) > _DRAW_SIGMAS * np.sqrt(p * (1 - p) / n):
            problems.append(f"{tail:.2%} of the entries lie beyond 2σ, expected 4.55% (normal)")
    return problems


def check_draws(
    values: Any,
    *,
    distribution: str,
    scale: float,
    name: str,
    inputs: Mapping[str, Any] | None = None,
    mistakes: Mapping[str, tuple[str, float]] | None = None,
) -> None:
    """Check that an array of random numbers looks like draws from N(0, σ²) or U(−a, a).

    Only the distribution is checked, never the order of drawing: any array that could have
    come from the distribution passes, whichever generator methods made it. The checks are
    statistical, each at six standard errors (a right answer fails about once in 10⁸ tries):
    the mean is near 0, the standard deviation near σ (normal) or a/√3 (uniform, relative
    tolerance at least 2%); for a uniform distribution, no entry beyond the bound, some entry
    close to it, and half of the entries within half of it; for a normal one, 4.55% of the
    entries beyond 2σ.

    Parameters
    ----------
    values : np.ndarray of float, at least 1000 entries
        The draws, any shape; checked with :func:`expect_plain` first.
    distribution : {"normal", "uniform"}
        N(0, scale²) or U(−scale, scale).
    scale : float
        σ of the normal distribution, or the bound a of the uniform one (> 0).
    name : str
        The call, for the message, e.g. ``"init_weights(500, 200, 'he_normal', rng)"``.
    inputs : mapping, optional
        Arguments to show in the message.
    mistakes : mapping of str to (distribution, scale), optional
        Known wrong distributions keyed by the hint to show when the values fit one of them.

    Raises
    ------
    AssertionError
        Saying what was expected, the sample's mean, standard deviation and range, what does
        not fit and, when the values fit a known mistake, its hint.
    ValueError
        If the test itself asks for an unknown distribution, a scale <= 0 or passes fewer
        than 1000 values (too few to tell distributions apart).
    """
    if distribution not in _DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {_DISTRIBUTIONS}, got {distribution!r}")
    if not (np.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    array = _as_float_array(values, name, inputs, "an array of random numbers")
    if array.size < _MIN_DRAWS:
        raise ValueError(f"check_draws needs at least {_MIN_DRAWS} values, got {array.size}")
    law = (
        f"N(0, σ²) with σ = {scale:.5g}"
        if distribution == "normal"
        else f"U(−a, a) with a = {scale:.5g} (standard deviation a/√3 = {scale / np.sqrt(3):.5g})"
    )
    if not np.isfinite(array).all():
        _fail(name, inputs, f"returned nan or inf; expected draws from {law}.")
    problems = _draw_problems(array, distribution, scale)
    if not problems:
        return
    hint = None
    for description, (other, other_scale) in (mistakes or {}).items():
        if not _draw_problems(array, other, other_scale):
            hint = description
            break
    if hint is None and not np.any(array):
        hint = "every entry is 0: draw random numbers from rng."
    summary = (
        f"mean {float(array.mean()):.4g}, standard deviation {float(array.std()):.4g}, "
        f"entries from {float(array.min()):.4g} to {float(array.max()):.4g}"
    )
    _fail(
        name,
        inputs,
        f"the entries do not look like draws from {law}: "
        + "; ".join(problems)
        + f".\n  got {array.size} entries: {summary}",
        hint,
    )


# ------------------------------------------------------------------ argument errors


def expect_error(
    func: Callable[..., Any],
    *args: Any,
    error: type[BaseException] = ValueError,
    name: str,
    mentions: Sequence[str] = (),
    why: str = "",
    **kwargs: Any,
) -> None:
    """Check that ``func(*args, **kwargs)`` raises ``error`` (or a subclass) with a helpful
    message.

    Parameters
    ----------
    func : callable
        The student's function.
    *args, **kwargs
        The arguments of the call that must fail.
    error : exception class, default ValueError
    name : str
        The call, for the message, e.g. ``"init_weights(3, 2, 'glorot', rng)"``.
    mentions : sequence of str
        Words the error's message must contain (case-insensitive), e.g. the valid choices.
    why : str
        Why the call must fail, for the message (e.g. "'glorot' is not a method").

    Raises
    ------
    AssertionError
        If the call returns, raises another exception, or its message (its first argument,
        read without running any code of the exception's class) lacks one of ``mentions``.
    """
    wanted = _type_name(error)
    reason = f" ({why})" if why else ""
    try:
        func(*args, **kwargs)
    except Exception as raised:
        if not any(t is error for t in _TYPE_MRO.__get__(type(raised))):
            raise AssertionError(
                f"\n{name}: raised {_describe(raised)}; expected a {wanted}{reason}.\n"
                f'Hint: check the argument yourself and `raise {wanted}("...")` with a message '
                "that says what to fix.\n"
            ) from None
        text = _warning_text(raised)
        missing = [word for word in mentions if word.lower() not in text.lower()]
        if missing:
            raise AssertionError(
                f"\n{name}: raised a {wanted} whose message is {text!r}; it should name "
                f"{', '.join(repr(w) for w in missing)}{reason}.\n"
            ) from None
        return
    raise AssertionError(
        f"\n{name}: returned instead of raising a {wanted}{reason}.\n"
        f'Hint: check the argument and `raise {wanted}("...")`; never return a silent '
        "wrong answer.\n"
    )
