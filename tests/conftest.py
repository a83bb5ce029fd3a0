import matplotlib
import matplotlib.pyplot as plt
import pytest

# Tests never open windows: draw everything off-screen.
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def close_figures():
    """Close every pyplot figure a test opened."""
    yield
    plt.close("all")
