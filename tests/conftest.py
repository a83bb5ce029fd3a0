from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from browser_helpers import ROOT, browser_unavailable_reason

# Tests never open windows: draw everything off-screen.
matplotlib.use("Agg")

BROWSER_TEST = Path(__file__).with_name("test_browser.py")


@pytest.fixture(autouse=True)
def close_figures():
    """Close every pyplot figure a test opened."""
    yield
    plt.close("all")


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected what they do
def pytest_collection_modifyitems(config, items):
    """Run each lecture once: in the browser when the browser test runs it, else under nbval.

    tests/test_browser.py runs a lecture in JupyterLab with the same kernel checks nbval
    applies (dlcourse.accessibility.NOTEBOOK_CHECKS) and fails on any cell that raises, so
    when it runs a lecture here, nbval's run of that lecture is deselected. Without a browser
    (or with a lecture alone on the command line) nbval runs it.
    """
    in_browser = {
        ROOT / item.callspec.params["lecture"]
        for item in items
        if Path(item.path) == BROWSER_TEST and item.name.startswith("test_lecture_runs")
    }
    if not in_browser or browser_unavailable_reason() is not None:
        return
    twice = [item for item in items if _is_nbval_cell(item) and Path(item.path) in in_browser]
    if twice:
        config.hook.pytest_deselected(items=twice)
        deselected = set(twice)
        items[:] = [item for item in items if item not in deselected]
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"lectures/: {len(twice)} nbval cells deselected, tests/test_browser.py runs "
            f"{len(in_browser)} lecture(s) with the same checks"
        )


def _is_nbval_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"
