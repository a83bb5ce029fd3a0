from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from browser_helpers import ROOT, browser_unavailable_reason

# Tests never open windows: draw everything off-screen.
matplotlib.use("Agg")

LECTURES = ROOT / "lectures"
BROWSER_TEST = Path(__file__).with_name("test_browser.py")


@pytest.fixture(autouse=True)
def close_figures():
    """Close every pyplot figure a test opened."""
    yield
    plt.close("all")


def pytest_collection_modifyitems(config, items):
    """Run each lecture once: in the browser when the browser test runs, else under nbval.

    tests/test_browser.py runs every lecture in JupyterLab with the same kernel checks nbval
    applies (dlcourse.accessibility.NOTEBOOK_CHECKS) and fails on any cell that raises, so
    when it is collected and can run here, nbval's run of the same lectures is deselected.
    Without a browser (or with the lectures alone on the command line) nbval runs them.
    """
    browser_runs_lectures = any(
        Path(item.path) == BROWSER_TEST and item.name.startswith("test_lecture_runs")
        for item in items
    )
    if not browser_runs_lectures or browser_unavailable_reason() is not None:
        return
    twice = [item for item in items if _is_nbval_cell(item) and LECTURES in Path(item.path).parents]
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = [item for item in items if item not in twice]
        config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"lectures/: {len(twice)} nbval cells deselected, tests/test_browser.py runs "
            "every lecture with the same checks"
        )


def _is_nbval_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"
