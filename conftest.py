"""Pytest configuration for the whole repository: nbval checks every figure a notebook shows.

When nbval runs a notebook (``pytest --nbval-lax lectures solutions``), the kernel it starts
first runs :func:`dlcourse.accessibility.check_figures_when_shown` and
:func:`~dlcourse.accessibility.check_long_cells_show_progress`. From then on every figure a
cell shows is checked against the course's rules (labelled axes, a title, colour-blind-safe
colours, lines that differ without colour, legends that hide no data, no mouse-only
interaction), and a cell that computes for more than a few seconds must show a tqdm progress
bar; a cell that breaks a rule fails, and the message says what to fix.

`make test` runs the tests in two processes side by side (pytest-xdist).
What must run in one process is one group (:func:`group`), and the longest groups are handed
out first (:data:`LONGEST_FIRST`), so that neither process is left with one at the end.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from queue import Empty

import pytest

from dlcourse.accessibility import NOTEBOOK_CHECKS

_SETUP_TIMEOUT = 60.0
ROOT = Path(__file__).parent
PROOFS = "tests/test_autograding.py"
LONGEST_FIRST = (
    "tests/test_browser.py",
    "tests/test_grade_class.py",
    "tests/test_class_report.py",
    PROOFS,
)
"""Groups handed out first, in this order (about 3.5, 2, 1 and 1 minute each on 2 cores);
everything else follows in collection order."""


def group(nodeid: str) -> str:
    """What must run in one process: a test file (its module fixtures; a notebook's cells, in
    order, in one kernel), except that each assignment's proofs are a group of their own (the
    class is graded once for all of them): ``tests/test_autograding.py[week01_...]``."""
    path, _, name = nodeid.partition("::")
    assignment = re.search(r"\[(week\d\d_[a-z0-9_]+)", name) if path == PROOFS else None
    return f"{path}[{assignment[1]}]" if assignment else path


class _Groups:
    """pytest-xdist's scheduler, handing out whole groups (registered when xdist is loaded;
    its ``--dist loadgroup`` marks do not reach pytest 9's node ids)."""

    @pytest.hookimpl
    def pytest_xdist_make_scheduler(self, config, log):
        from xdist.scheduler import LoadScopeScheduling

        class GroupScheduling(LoadScopeScheduling):
            def _split_scope(self, nodeid: str) -> str:
                return group(nodeid)

        return GroupScheduling(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_Groups(), "dlcourse-test-groups")


def _rank(item) -> int:
    name = group(item.nodeid)
    ranks = (i for i, prefix in enumerate(LONGEST_FIRST) if name.startswith(prefix))
    return next(ranks, len(LONGEST_FIRST))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """In a pytest-xdist worker, put the longest groups first: the scheduler hands groups out
    in the order the workers collected them (``--no-loadscope-reorder``)."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        items.sort(key=_rank)  # stable: a group's tests, a notebook's cells, keep their order


def _run_in_kernel(kernel, code: str) -> None:
    """Execute ``code`` in an nbval kernel and wait until it is done; raise if it failed."""
    msg_id = kernel.kc.execute(code, store_history=False, stop_on_error=False)
    error = None
    while True:
        try:
            msg = kernel.get_message(stream="iopub", timeout=_SETUP_TIMEOUT)
        except Empty:
            raise RuntimeError(f"the kernel did not finish running {code!r}") from None
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            error = "\n".join(msg["content"]["traceback"])
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    if error is not None:
        raise RuntimeError(f"setting up the figure checks in the kernel failed:\n{error}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Before a notebook's first cell runs (its kernel just started), install the checks."""
    yield
    notebook = item.parent
    kernel = getattr(notebook, "kernel", None)
    if type(notebook).__name__ != "IPyNbFile" or kernel is None:
        return
    if getattr(notebook, "_figure_checks_kernel", None) is not kernel:
        _run_in_kernel(kernel, NOTEBOOK_CHECKS)
        notebook._figure_checks_kernel = kernel
