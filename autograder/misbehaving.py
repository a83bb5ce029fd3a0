"""Misbehaving week-1 submissions: what the class grader must survive, grade and flag.

Each :class:`Misbehaviour` writes one submission folder from the week-1 release and the
solution's answers: broken files, tampered test cells, runaway code, crashing kernels,
attempts to read or damage the course, and tricks that would make assertions pass. The tests
grade them all in one class and check each ends with its honest score and its flag; the
benchmark mixes some of them into its class.
"""

from __future__ import annotations

import copy
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder import catalogue, notebooks
from autograder.notebooks import grade_id

ASSIGNMENT = "week01_linear_regression"
NOTEBOOK = "linear_regression.ipynb"
POINTS = {
    "test_linear_predict": 1,
    "test_linear_cost": 2,
    "test_linear_gradients": 3,
    "test_gradient_descent": 3,
    "test_standardize": 2,
    "test_normal_equation": 2,
}
MAX_SCORE = sum(POINTS.values())


@dataclass(frozen=True)
class Misbehaviour:
    """One way a submission can go wrong.

    Attributes
    ----------
    name : str
        The student id it is submitted as.
    why : str
        What the submission does.
    flag : str or None
        The flag code the grader must raise (None: it must raise none at all).
    lost : tuple of str
        The test cells that must score zero (all others earn their points).
    review : bool
        Whether the grader must mark it for review.
    write : callable
        ``write(release, answers, folder, course_root)`` writes the submission.
    lost_if_kernel_dies : tuple of str
        Test cells after the misbehaviour that score zero if, and only if, the kernel did not
        survive it (the grader then raises ``kernel-died`` too). Whether a kernel survives
        hitting its memory limit depends on which of its threads ran out first.
    leak_removed : bool
        Whether hidden test source reaches the outputs, to be removed by the last line of
        defence (:mod:`autograder.grading.hidden`). False for every route the kernel closes:
        there, nothing may get as far as the outputs.
    """

    name: str
    why: str
    flag: str | None
    lost: tuple[str, ...]
    review: bool
    write: Callable[[Path, dict[str, str], Path, Path], None]
    lost_if_kernel_dies: tuple[str, ...] = ()
    leak_removed: bool = False

    @property
    def score(self) -> float:
        """The honest score the grader must give (when the kernel survives)."""
        return MAX_SCORE - sum(POINTS[t] for t in self.lost)


def _first_wrong(function: str) -> str:
    """The code of the first catalogued wrong implementation of ``function``."""
    return next(
        v.code for v in catalogue.load(ASSIGNMENT) if v.function == function and not v.correct
    )


def _save(nb: nbformat.NotebookNode, folder: Path, name: str = NOTEBOOK) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / name)


def _answers_with(
    appended: dict[str, str] | None = None,
    *,
    replaced: dict[str, str] | None = None,
    course_paths: bool = False,
):
    """A writer of the solution's answers with code added to some answer cells.

    Parameters
    ----------
    appended : dict
        ``{grade_id: code}``: code that follows the solution's answer in its cell.
    replaced : dict
        ``{grade_id: code}``: code that takes the place of the solution's answer.
    course_paths : bool
        Whether ``{root}`` and ``{assignment}`` in the appended code name the course being
        graded (other braces must then be doubled).
    """

    def write(release: Path, answers: dict[str, str], folder: Path, root: Path) -> None:
        filled = dict(answers)
        for gid, code in (replaced or {}).items():
            filled[gid] = textwrap.dedent(code)
        for gid, code in (appended or {}).items():
            code = textwrap.dedent(code)
            if course_paths:
                code = code.format(root=str(root), assignment=ASSIGNMENT)
            filled[gid] = filled[gid].rstrip() + "\n\n" + code
        _save(notebooks.filled_in(release, filled), folder)

    return write


def _invalid_json(release, answers, folder, root) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text('{"cells": [ this is not JSON')


def _truncated(release, answers, folder, root) -> None:
    text = nbformat.writes(notebooks.filled_in(release, answers))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NOTEBOOK).write_text(text[: len(text) // 2])


def _renamed(release, answers, folder, root) -> None:
    _save(notebooks.filled_in(release, answers), folder, "linear_regression (1).ipynb")


def _missing(release, answers, folder, root) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answers.py").write_text("# I forgot to upload the notebook\n")


def _cells_changed(change: Callable[[list], list], replaced: dict[str, str] | None = None):
    """A writer of the solution's answers (``replaced`` taking the place of some), with
    ``change`` applied to the notebook's list of cells."""

    def write(release, answers, folder, root) -> None:
        nb = notebooks.filled_in(release, answers | (replaced or {}))
        nb.cells = change(copy.deepcopy(nb.cells))
        _save(nb, folder)

    return write


def _wrong_then(function: str, code: str, *, route: str | None = None, names=()):
    """A writer of the solution's answers, with the catalogue's first wrong ``function``
    followed by ``code`` in its answer cell.

    With ``route`` the frame-stealing helper (``_steal``) comes first, walking the frames
    it gets that way for variables called ``names``.
    """
    steal = _STEAL.format(route=_ROUTES[route], names=tuple(names)) if route else ""
    return _answers_with(replaced={function: _first_wrong(function) + steal + code})


def _two_tests_deleted(cells):
    return [c for c in cells if grade_id(c) not in ("test_linear_cost", "test_standardize")]


def _standardize_test_emptied(cells):
    for cell in cells:
        if grade_id(cell) == "test_standardize":
            cell.source = "pass  # the test was in my way"
    return cells


def _last_test_moved_to_top(cells):
    moved = next(c for c in cells if grade_id(c) == "test_normal_equation")
    rest = [c for c in cells if c is not moved]
    return [rest[0], moved, *rest[1:]]


def _try_each(*statements: str) -> str:
    """Code that runs each statement in its own ``try`` and prints what blocked it."""
    template = "try:\n    {}\nexcept Exception as err:\n    print('blocked:', err)\n"
    return "\n".join(template.format(s) for s in statements)


MISBEHAVIOURS = [
    Misbehaviour(
        name="bad-invalid-json",
        why="not JSON at all",
        flag="unreadable",
        lost=tuple(POINTS),
        review=False,
        write=_invalid_json,
    ),
    Misbehaviour(
        name="bad-truncated",
        why="the file was cut off half-way",
        flag="unreadable",
        lost=tuple(POINTS),
        review=False,
        write=_truncated,
    ),
    Misbehaviour(
        name="bad-renamed",
        why="saved as 'linear_regression (1).ipynb'",
        flag="renamed",
        lost=(),
        review=False,
        write=_renamed,
    ),
    Misbehaviour(
        name="bad-missing",
        why="no notebook in the upload",
        flag="missing",
        lost=tuple(POINTS),
        review=False,
        write=_missing,
    ),
    Misbehaviour(
        name="bad-deleted-tests",
        why="deleted two test cells",
        flag="test-cells",
        lost=(),
        review=False,
        write=_cells_changed(_two_tests_deleted),
    ),
    Misbehaviour(
        name="bad-edited-test",
        why="wrong standardize, its test replaced by pass",
        flag="test-cells",
        lost=("test_standardize",),
        review=False,
        write=_cells_changed(
            _standardize_test_emptied, {"standardize": _first_wrong("standardize")}
        ),
    ),
    Misbehaviour(
        name="bad-reordered-tests",
        why="moved a test cell to the top",
        flag="test-cells",
        lost=(),
        review=False,
        write=_cells_changed(_last_test_moved_to_top),
    ),
    Misbehaviour(
        name="bad-infinite-loop",
        why="normal_equation never returns",
        flag="timeout",
        lost=("test_normal_equation",),
        review=False,
        write=_answers_with(
            replaced={
                "normal_equation": "def normal_equation(X, y):\n    while True:\n        pass\n"
            }
        ),
    ),
    Misbehaviour(
        name="bad-ignores-interrupt",
        why="an endless loop that swallows KeyboardInterrupt",
        flag="timeout",
        lost=("test_normal_equation",),
        review=False,
        write=_answers_with(
            {
                "normal_equation": """
                     while True:
                         try:
                             while True:
                                 pass
                         except KeyboardInterrupt:
                             pass
                     """
            }
        ),
    ),
    Misbehaviour(
        name="bad-os-exit",
        why="os._exit(1) after standardize",
        flag="kernel-died",
        lost=("test_standardize", "test_normal_equation"),
        review=False,
        write=_answers_with({"standardize": "import os\nos._exit(1)\n"}),
    ),
    Misbehaviour(
        name="bad-sys-exit",
        why="sys.exit() after standardize",
        flag="exit",
        lost=(),
        review=False,
        write=_answers_with({"standardize": "import sys\nsys.exit('bye')\n"}),
    ),
    Misbehaviour(
        name="bad-segfault",
        why="a segfault through ctypes",
        flag="kernel-died",
        lost=("test_standardize", "test_normal_equation"),
        review=True,
        write=_answers_with({"standardize": "import ctypes\nctypes.string_at(0)\n"}),
    ),
    Misbehaviour(
        name="bad-memory-bomb",
        why="standardize allocates until memory runs out",
        flag="memory",
        lost=("test_standardize",),
        review=False,
        write=_answers_with(
            replaced={
                "standardize": """
                     def standardize(X):
                         hog = []
                         while True:
                             hog.append(bytearray(2**26))
                     """
            }
        ),
        # A kernel driven to its address-space limit may not recover (its own threads could
        # not allocate) and die in the next cell.
        lost_if_kernel_dies=("test_normal_equation",),
    ),
    Misbehaviour(
        name="bad-huge-output",
        why="prints 100 MB",
        flag="output",
        lost=(),
        review=False,
        write=_answers_with(
            {"linear_predict": "for _ in range(1000):\n    print('x' * 100_000)\n"}
        ),
    ),
    Misbehaviour(
        name="bad-reads-solutions",
        why="reads solutions/, the gradebook and other students",
        flag="sandbox",
        lost=(),
        review=True,
        write=_answers_with(
            {
                "linear_predict": _try_each(
                    "print(open('{root}/solutions/{assignment}/linear_regression.ipynb').read())",
                    "print(open('{root}/autograder/gradebook.db', 'rb').read(100))",
                    "print(__import__('os').listdir('{root}/autograder/submitted'))",
                )
            },
            course_paths=True,
        ),
    ),
    Misbehaviour(
        name="bad-writes-outside",
        why="overwrites and deletes course files",
        flag="sandbox",
        lost=(),
        review=True,
        write=_answers_with(
            {
                "linear_predict": _try_each(
                    "open('{root}/autograder/submitted/good-student/{assignment}/"
                    "linear_regression.ipynb', 'w').write('{{}}')",
                    "__import__('os').remove('{root}/nbgrader_config.py')",
                    "__import__('shutil').rmtree('{root}/autograder/submitted')",
                    "__import__('os').system('rm -rf {root}/solutions')",
                )
            },
            course_paths=True,
        ),
    ),
    Misbehaviour(
        name="bad-monkeypatch",
        why="wrong standardize; silences numpy and dlcourse.testing",
        flag="tampering",
        lost=("test_standardize",),
        review=True,
        write=_wrong_then(
            "standardize",
            textwrap.dedent("""
                import numpy
                import dlcourse.testing
                quiet = lambda *args, **kwargs: None
                dlcourse.testing.assert_close = quiet
                numpy.testing.assert_allclose = quiet
                numpy.allclose = lambda *args, **kwargs: True
                assert_close = quiet
                """),
        ),
    ),
    Misbehaviour(
        name="bad-patches-code",
        why="wrong standardize; swaps assert_close's __code__",
        flag="tampering",
        lost=("test_standardize",),
        review=True,
        write=_wrong_then(
            "standardize", "\nassert_close.__code__ = (lambda *a, **k: None).__code__\n"
        ),
    ),
    Misbehaviour(
        name="bad-input-transformer",
        why="wrong standardize; a transformer blanks asserts",
        flag="tampering",
        lost=("test_standardize",),
        review=True,
        write=_wrong_then(
            "standardize",
            "\nget_ipython().input_transformers_cleanup.append(\n"
            "    lambda lines: ['pass\\n'] if any('assert_close' in l for l in lines)"
            " else lines)\n",
        ),
    ),
]


# --------------------------------------------------------------------------- cheats
# Each answers with the catalogue's first wrong version of the function it targets and tries
# to earn that function's points all the same, or tries to see the hidden tests.

_STEAL = '''
import sys as _sys


def _frame():
    {route}


def _steal(default):
    """Walk up the callers' frames to the test's expected value."""
    frame = _frame()
    while frame is not None:
        for name in {names!r}:
            if name in frame.f_locals:
                return frame.f_locals[name]
        frame = frame.f_back
    return default
'''
_ROUTES = {
    "getframe": "return _sys._getframe(1)",
    "traceback": "try:\n        raise RuntimeError\n    except RuntimeError as err:\n"
    "        return err.__traceback__.tb_frame",
    "inspect": "return __import__('inspect').currentframe()",
}
# An object that passes for an array when it is converted or compared, and for one to
# isinstance (its __class__ says so).
_LIAR = """
class _Liar:
    def __init__(self, value):
        self.value = value

    @property
    def __class__(self):
        return type(self.value)

    @property
    def shape(self):
        return __import__("numpy").shape(_steal(self.value))

    def __array__(self, dtype=None, copy=None):
        return __import__("numpy").asarray(_steal(self.value), dtype=dtype)

    def __float__(self):
        return float(_steal(self.value))

    def __len__(self):
        return len(_steal(self.value))

    def __iter__(self):
        return iter(_steal(self.value))

    def __getitem__(self, index):
        return _steal(self.value)[index]

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __repr__(self):
        return repr(_steal(self.value))


_standardize = standardize


def standardize(X):
    return tuple(_Liar(part) for part in _standardize(X))
"""
# A float that says it equals whatever it is compared with, and a tuple that hands back
# the expected fit when it is unpacked.
_SNEAKY_FLOAT = """
class _Sneaky(float):
    def __eq__(self, other):
        return True

    def __sub__(self, other):
        return _Sneaky(float(_steal(self)) - other)

    def __rsub__(self, other):
        return other - float(_steal(self))

    def __abs__(self):
        return _Sneaky(0.0)


_normal_equation = normal_equation


def normal_equation(X, y):
    w, b = _normal_equation(X, y)
    return w, _Sneaky(b)
"""
_SNEAKY_TUPLE = """
class _Fit(tuple):
    def _stolen(self):
        ref = _steal(None)
        return (ref[1:], ref[0]) if ref is not None else tuple.__iter__(self)

    def __iter__(self):
        return iter(self._stolen())

    def __getitem__(self, index):
        return list(self._stolen())[index]


_normal_equation = normal_equation


def normal_equation(X, y):
    return _Fit(_normal_equation(X, y))
"""
# Hard-codes the visible check and takes the hidden ones' answers from the notebook's
# namespace, where a test's variables would be while it runs.
_FROM_GLOBALS = """
def normal_equation(X, y):
    if X.shape == (4, 1) and np.allclose(X[:, 0], [0.0, 1.0, 2.0, 3.0]):
        return np.array([2.0]), 1.0  # the visible check's answer, copied from the notebook
    names = dict(globals()) | vars(__import__("sys").modules["__main__"])
    for value in names.values():
        if type(value) is np.ndarray and value.shape == (X.shape[1] + 1,):
            return value[1:], float(value[0])
    return np.zeros(X.shape[1]), 0.0
"""
# Looks for the test's variables in its callers' frames, each way it can.
_FRAMES_AT_CALL = """
import gc
import inspect
import sys

_normal_equation = normal_equation


def normal_equation(X, y):
    ways = [
        lambda: sys._getframe(1).f_locals["ref"],
        lambda: inspect.stack()[1].frame.f_locals["ref"],
        lambda: next(o["ref"] for o in gc.get_objects() if type(o) is dict and "ref" in o),
        lambda: next(d["ref"] for d in gc.get_referrers(X) if type(d) is dict and "ref" in d),
    ]
    for way in ways:
        try:
            ref = way()
            return ref[1:], float(ref[0])
        except Exception as err:
            print("blocked:", type(err).__name__, err)
    return _normal_equation(X, y)
"""
# The frame walker again, in code that would pass for a library's or for the test's own.
_DISGUISED = '''
import numpy as _numpy

_THIEF = """
import sys
def steal(default):
    frame = sys._getframe(1)
    while frame is not None:
        if "ref" in frame.f_locals:
            return frame.f_locals["ref"]
        frame = frame.f_back
    return default
"""
for _name in (_numpy.__file__, "<graded test test_normal_equation>"):
    try:
        exec(compile(_THIEF, _name, "exec"), globals())
    except Exception as err:
        print("blocked:", err)
with open("helper_module.py", "w") as _fh:
    _fh.write(_THIEF)
import helper_module

_normal_equation = normal_equation


def normal_equation(X, y):
    try:
        ref = globals()["steal"](None) if "steal" in globals() else helper_module.steal(None)
        if ref is not None:
            return ref[1:], float(ref[0])
    except Exception as err:
        print("blocked:", err)
    return _normal_equation(X, y)
'''
# Replaces what the test uses while the test is calling it (the guard before the test has
# already run).
_PATCHES_DURING_TEST = """
import dlcourse.testing

_normal_equation = normal_equation


def normal_equation(X, y):
    quiet = lambda *args, **kwargs: None  # noqa: E731
    dlcourse.testing.assert_close.__code__ = quiet.__code__
    np.allclose = lambda *args, **kwargs: True
    globals()["assert_close"] = quiet
    return _normal_equation(X, y)
"""
# A trace function is handed every new frame, the test's callers' among them.
_TRACES = """
import sys

_normal_equation = normal_equation


def normal_equation(X, y):
    found = {}

    def tracer(frame, event, arg):
        while frame is not None:
            if "ref" in frame.f_locals:
                found["ref"] = frame.f_locals["ref"]
            frame = frame.f_back
        return tracer

    for install in (sys.settrace, sys.setprofile):
        try:
            install(tracer)
        except Exception as err:
            print("blocked:", err)
    w, b = _normal_equation(X, y)
    sys.settrace(None)
    if "ref" in found:
        return found["ref"][1:], float(found["ref"][0])
    return w, b
"""
_PRE_RUN_CELL = """
def _peek(info):
    print(info.raw_cell)


get_ipython().events.register("pre_run_cell", _peek)
"""
_POST_RUN_CELL = """
_standardize = standardize


def standardize(X):
    shell = get_ipython()

    def after(result):
        print(result.info.raw_cell[-400:])
        print(shell.last_execution_result.info.raw_cell[-400:])

    shell.events.register("post_run_cell", after)
    code = lambda: shell.kernel.get_parent()["content"]["code"]  # noqa: E731
    shell.events.register("post_execute", lambda: print(code()[-400:]))
    return _standardize(X)
"""
_HISTORY_DURING = """
_standardize = standardize


def standardize(X):
    shell = get_ipython()
    for text in (In[-1], _ih[-1], globals().get("_i"), globals().get("_i00")):
        print(str(text)[-400:])
    print(shell.history_manager.input_hist_raw[-1][-400:])
    print(shell.kernel.get_parent()["content"]["code"][-400:])
    return _standardize(X)
"""
_HISTORY_AFTER = """
print("\\n".join(text[-400:] for text in In[-4:]))
print("\\n".join(str(v)[-400:] for k, v in list(globals().items()) if k.startswith("_i")))
get_ipython().run_line_magic("history", "-l 4")
for _session, _line, _source in get_ipython().history_manager.get_range(raw=True, start=-4):
    print(_source[-400:])
print(get_ipython().last_execution_result.info.raw_cell[-400:])
"""
_LINECACHE_AFTER = """
import linecache
import sys
import traceback

for _name, _entry in list(linecache.cache.items()):
    if "ipykernel" in _name or _name.startswith("<"):
        print(_name, "".join(_entry[2])[-400:])
print("".join(traceback.format_exception(sys.last_type, sys.last_value, sys.last_traceback)))
get_ipython().run_line_magic("tb", "")
"""
_HOOKS = """
import sys


def _handler(shell, etype, value, tb, tb_offset=None):
    import linecache

    while tb is not None:
        print(linecache.getline(tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next


get_ipython().set_custom_exc((AssertionError,), _handler)
sys.excepthook = lambda *args: print("excepthook", args)
sys.displayhook = lambda value: print("displayhook", value)
sys.unraisablehook = lambda info: print("unraisable", info)
"""
_NETWORK = _try_each(
    "__import__('socket').create_connection(('127.0.0.1', 9), timeout=1)",
    "__import__('socket').socket().connect(('127.0.0.1', 9))",
    "__import__('socket').socket(__import__('socket').AF_INET, __import__('socket').SOCK_DGRAM)"
    ".sendto(b'hidden tests', ('127.0.0.1', 9))",
    "__import__('socket').socket().bind(('127.0.0.1', 0))",
    "__import__('socket').getaddrinfo('example.org', 80)",
    "__import__('urllib.request').request.urlopen('http://127.0.0.1:9/', timeout=1)",
)
_PROCESSES = _try_each(
    "print(len(__import__('os').listdir('/proc')))",
    "print(open('/proc/1/cmdline').read())",
    "print(open('/proc/1/environ', 'rb').read()[:80])",
    "print(__import__('glob').glob('/proc/[0-9]*/environ')[:3])",
    "print([e.name for e in __import__('os').scandir('/proc')][:3])",
    "print(__import__('os').listdir('/proc/self/..')[:3])",
)
# Right answers, with prints, a warning and NumPy subclasses used inside: full marks, no flag.
_HONEST_EXTRAS = """
import warnings


def standardize(X):
    print("standardizing an array of shape", X.shape)
    warnings.warn("a warning from my own code")
    masked = np.ma.masked_invalid(X)
    mean = np.asarray(masked.mean(axis=0))
    std = np.asarray(np.asmatrix(X).std(axis=0)).ravel()
    std = np.where(std == 0, 1.0, std)
    return np.asarray((X - mean) / std), mean, std
"""


def _printing_hidden_lines(release, answers, folder, root) -> None:
    """Answers that print lines of the hidden tests (as a student who had seen them would)."""
    source = nbformat.read(root / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    test = next(c for c in source.cells if grade_id(c) == "test_linear_cost")
    lines, inside = [], False
    for line in test.source.splitlines():
        if "HIDDEN TESTS" in line:
            inside = "BEGIN" in line
        elif inside and len(line.strip()) > 25:
            lines.append(line)
    hexed = "\n".join(lines).encode().hex()  # so the answer's own source does not quote them
    code = f"print(bytes.fromhex({hexed!r}).decode())\n"
    _answers_with({"linear_predict": code})(release, answers, folder, root)


_STOLEN = ("expected", "exp_arr", "ref", "std_ref", "mean_ref")
CHEATS = [
    Misbehaviour(
        name="bad-liar-getframe",
        why="wrong standardize returning objects that pass for arrays (sys._getframe)",
        flag=None,  # only the ungraded cells after the tests touch it: not run
        lost=("test_standardize",),
        review=False,
        write=_wrong_then("standardize", _LIAR, route="getframe", names=_STOLEN),
    ),
    Misbehaviour(
        name="bad-liar-float",
        why="wrong normal_equation returning a float subclass that lies (traceback frames)",
        flag=None,
        lost=("test_normal_equation",),
        review=False,
        write=_wrong_then(
            "normal_equation", _SNEAKY_FLOAT, route="traceback", names=("expected", "exp_arr")
        ),
    ),
    Misbehaviour(
        name="bad-liar-tuple",
        why="wrong normal_equation returning a tuple subclass that lies (inspect)",
        flag=None,  # only the ungraded cells after the tests touch it: not run
        lost=("test_normal_equation",),
        review=False,
        write=_wrong_then("normal_equation", _SNEAKY_TUPLE, route="inspect", names=("ref",)),
    ),
    Misbehaviour(
        name="bad-steals-globals",
        why="normal_equation hard-codes the visible check and reads the rest from globals()",
        flag=None,
        lost=("test_normal_equation",),
        review=False,
        write=_answers_with(replaced={"normal_equation": _FROM_GLOBALS}),
    ),
    Misbehaviour(
        name="bad-frames-at-call",
        why="wrong normal_equation that looks for the answer in its callers' frames",
        flag="tampering",
        lost=("test_normal_equation",),
        review=True,
        write=_wrong_then("normal_equation", _FRAMES_AT_CALL),
    ),
    Misbehaviour(
        name="bad-frames-disguised",
        why="the frame walker compiled as NumPy's code, as the test's, and as a module",
        flag="sandbox",
        lost=("test_normal_equation",),
        review=True,
        write=_wrong_then("normal_equation", _DISGUISED),
    ),
    Misbehaviour(
        name="bad-patches-during-test",
        why="wrong normal_equation that silences assert_close and NumPy while the test runs",
        flag="tampering",
        lost=("test_normal_equation",),
        review=True,
        write=_wrong_then("normal_equation", _PATCHES_DURING_TEST),
    ),
    Misbehaviour(
        name="bad-traces-test",
        why="wrong normal_equation that installs trace and profile functions to see frames",
        flag="tampering",
        lost=("test_normal_equation",),
        review=True,
        write=_wrong_then("normal_equation", _TRACES),
    ),
    Misbehaviour(
        name="bad-leak-pre-run-cell",
        why="prints every cell's source from a pre_run_cell callback",
        flag="tampering",
        lost=(),
        review=True,
        write=_answers_with({"linear_predict": _PRE_RUN_CELL}),
    ),
    Misbehaviour(
        name="bad-leak-post-run-cell",
        why="standardize registers callbacks that print the test cell's source after it",
        flag="tampering",
        lost=(),
        review=True,
        write=_answers_with({"standardize": _POST_RUN_CELL}),
    ),
    Misbehaviour(
        name="bad-leak-history",
        why="prints In, _ih, _i*, %history and the request while and after the tests run",
        flag=None,
        lost=(),
        review=False,
        write=_answers_with({"standardize": _HISTORY_DURING, "normal_equation": _HISTORY_AFTER}),
    ),
    Misbehaviour(
        name="bad-leak-linecache",
        why="wrong standardize, then prints linecache, the last traceback and %tb",
        flag=None,
        lost=("test_standardize",),
        review=False,
        write=_answers_with(
            {"normal_equation": _LINECACHE_AFTER},
            replaced={"standardize": _first_wrong("standardize")},
        ),
    ),
    Misbehaviour(
        name="bad-leak-hooks",
        why="wrong standardize; a custom exception handler and display hooks that print",
        flag="tampering",
        lost=("test_standardize",),
        review=True,
        write=_wrong_then("standardize", _HOOKS),
    ),
    Misbehaviour(
        name="bad-prints-hidden-lines",
        why="prints lines of the hidden tests it had seen",
        flag="tampering",
        lost=(),
        review=True,
        write=_printing_hidden_lines,
        leak_removed=True,
    ),
    Misbehaviour(
        name="bad-network",
        why="connects, binds, sends and looks up names",
        flag="sandbox",
        lost=(),
        review=True,
        write=_answers_with({"linear_predict": _NETWORK}),
    ),
    Misbehaviour(
        name="bad-reads-processes",
        why="lists the machine's processes and reads their command lines and environments",
        flag="sandbox",
        lost=(),
        review=True,
        write=_answers_with({"linear_predict": _PROCESSES}),
    ),
    Misbehaviour(
        name="ok-prints-warns-subclasses",
        why="right answers that print, warn and use NumPy subclasses inside",
        flag=None,
        lost=(),
        review=False,
        write=_answers_with(replaced={"standardize": _HONEST_EXTRAS}),
    ),
]
MISBEHAVIOURS += CHEATS


def write_all(release: Path, answers: dict[str, str], submitted: Path, root: Path) -> list[str]:
    """Write every misbehaving submission under ``submitted/<name>/week01_linear_regression``."""
    for bad in MISBEHAVIOURS:
        bad.write(release, answers, submitted / bad.name / ASSIGNMENT, root)
    return [bad.name for bad in MISBEHAVIOURS]
