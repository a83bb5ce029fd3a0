"""Pytest configuration for the whole repository: nbval checks every figure a notebook shows.

When nbval runs a notebook (``pytest --nbval-lax lectures solutions``), the kernel it starts
first runs :func:`dlcourse.accessibility.check_figures_when_shown` and
:func:`~dlcourse.accessibility.check_long_cells_show_progress`. From then on every figure a
cell shows is checked against the course's rules (labelled axes, a title, colour-blind-safe
colours, lines that differ without colour, legends that hide no data, no mouse-only
interaction), and a cell that computes for more than a few seconds must show a tqdm progress
bar; a cell that breaks a rule fails, and the message says what to fix.
"""

from __future__ import annotations

from queue import Empty

import pytest

from dlcourse.accessibility import NOTEBOOK_CHECKS

_SETUP_TIMEOUT = 60.0


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
