"""Readable figures and keyboard-usable widgets: dlcourse.accessibility and the course's figures.

Three parts:

- the checks themselves: each rule of :mod:`dlcourse.accessibility` catches a figure or widget
  built to break it, and passes a figure that keeps them all;
- every public plotting function and explorer of ``dlcourse``, on small inputs and after its
  controls are moved, keeps every rule; the training helpers show a ``tqdm`` progress bar;
- the notebooks: nbval runs every lecture and solution notebook with the repository's
  ``conftest.py``, which checks every figure a cell shows (a figure that breaks a rule fails its
  cell) and fails a cell that computes for long without a progress bar. The last test runs
  nbval on a small notebook to show the figure check failing.
"""

from __future__ import annotations

import importlib
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import indent

import ipywidgets
import matplotlib.pyplot as plt
import matplotlib.widgets
import nbformat
import numpy as np
import pytest
from helpers import plain_step, shuffled_batches
from matplotlib.figure import Figure

import dlcourse
from dlcourse import datasets, live
from dlcourse.accessibility import (
    check_long_cells_show_progress,
    figure_problems,
    widget_problems,
)
from dlcourse.autoencoder_demo import (
    digits_split,
    plot_codes,
    plot_codes_vs_pca,
    plot_reconstructions,
    train_autoencoder_with,
)
from dlcourse.batchnorm_demo import compare_batch_norm_on_digits
from dlcourse.boundaries import plot_decision_boundary, plot_planar
from dlcourse.graphs import draw_graph, example_graph
from dlcourse.live import LiveLossPlot
from dlcourse.optimizer_demo import (
    compare_optimizers_on_digits,
    plot_training_runs,
    train_digits_with,
)
from dlcourse.plots import plot_cost_contours, plot_cost_curve, plot_cost_surface, plot_data
from dlcourse.regularization_demo import (
    digits_subset,
    plot_regularization_runs,
    plot_shifted_digits,
    train_mlp_with,
)
from dlcourse.surfaces import SURFACES, plot_surface_contours
from dlcourse.widgets import (
    ActivationExplorer,
    AnalogyExplorer,
    CodeSizeExplorer,
    ComputeGraphExplorer,
    DecisionBoundaryExplorer,
    DenoisingExplorer,
    DepthExplorer,
    EmbeddingExplorer,
    EWAExplorer,
    LearningRateExplorer,
    OptimizerRaceExplorer,
    OverfittingExplorer,
    SearchExplorer,
    SoftmaxTemperatureExplorer,
    SparseFeaturesExplorer,
    learning_rate_explorer,
)

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------------
# The checks catch what they are for
# ---------------------------------------------------------------------------------------------


def labelled_axes(**kwargs):
    """A new pyplot Axes with an x label, a y label and a title (override any with kwargs)."""
    _, ax = plt.subplots()
    ax.set(**{"xlabel": "x", "ylabel": "y", "title": "a figure", **kwargs})
    return ax


def no_title():
    ax = labelled_axes(title="")
    ax.plot([0, 1], [0, 1])
    return ax.figure


def no_x_label():
    return labelled_axes(xlabel="").figure


def no_y_label():
    return labelled_axes(ylabel="").figure


def surface_without_z_label():
    ax = plt.figure().add_subplot(projection="3d")
    ax.set(xlabel="w", ylabel="b", title="cost")
    return ax.figure


def diagram_without_title():
    ax = labelled_axes(title="")
    ax.set_axis_off()
    return ax.figure


def colour_bar_without_label():
    ax = labelled_axes()
    ax.figure.colorbar(ax.imshow(np.eye(3)), ax=ax)
    return ax.figure


def jet_image():
    ax = labelled_axes()
    ax.imshow(np.eye(3), cmap="jet")
    return ax.figure


def rainbow_filled_contours():
    ax = labelled_axes()
    ax.contourf(np.outer(np.arange(5), np.arange(5)), cmap="rainbow")
    return ax.figure


def hsv_scatter():
    ax = labelled_axes()
    ax.scatter([0, 1, 2], [0, 1, 2], c=[0, 1, 2], cmap="hsv")
    return ax.figure


def red_and_blue_contours():
    ax = labelled_axes()
    ax.contour(np.outer(np.arange(5), np.arange(5)), levels=[2, 8], colors=["red", "blue"])
    return ax.figure


def red_and_green_classes():
    ax = labelled_axes()
    ax.scatter([0, 1], [0, 1], color="tab:red", marker="o", label="class 0")
    ax.scatter([1, 2], [0, 1], color="tab:green", marker="s", label="class 1")
    return ax.figure


def lines_told_apart_by_colour_only():
    ax = labelled_axes()
    ax.plot([0, 1], [0, 1], color="#0072B2", label="train")
    ax.plot([0, 1], [1, 0], color="#E69F00", label="validation")
    return ax.figure


def classes_with_one_marker():
    ax = labelled_axes()
    ax.scatter([0, 1], [0, 1], label="class 0")
    ax.scatter([1, 2], [0, 1], label="class 1")
    return ax.figure


def legend_over_a_curve():
    ax = labelled_axes()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.ones_like(x), "-", label="a curve along the top")
    ax.plot(x, x / 2, "--", label="another")
    ax.legend(loc="upper right")
    return ax.figure


def figure_legend_over_bars():
    fig, ax = plt.subplots(layout="constrained")
    ax.set(xlabel="class", ylabel="probability", title="bars")
    ax.bar([0, 1, 2], [0.2, 0.3, 1.0], label="p")
    fig.legend(loc="upper right", bbox_to_anchor=(0.9, 0.9))
    return fig


def click_handler():
    ax = labelled_axes()
    ax.figure.canvas.mpl_connect("button_press_event", lambda event: None)
    return ax.figure


def slider_drawn_in_the_figure():
    ax = labelled_axes()
    slider_ax = ax.figure.add_axes((0.2, 0.0, 0.6, 0.03))
    slider_ax.set(xlabel="lr", ylabel="", title="learning rate")
    matplotlib.widgets.Slider(slider_ax, "lr", 0.0, 1.0)
    return ax.figure


BROKEN_FIGURES = {
    no_title: "no title",
    no_x_label: "no x label",
    no_y_label: "no y label",
    surface_without_z_label: "no z label",
    diagram_without_title: "switched off, and neither it nor the figure has a title",
    colour_bar_without_label: "colour bar without a label",
    jet_image: "colour map 'jet'",
    rainbow_filled_contours: "colour map 'rainbow'",
    hsv_scatter: "colour map 'hsv'",
    red_and_blue_contours: "contour colours such as (1.0, 0.0, 0.0)",
    red_and_green_classes: "red and green",
    lines_told_apart_by_colour_only: "lines 'train' and 'validation' look the same",
    classes_with_one_marker: "point sets 'class 0' and 'class 1' have the same marker",
    legend_over_a_curve: "the legend covers data (Line2D 'a curve along the top')",
    figure_legend_over_bars: "the figure legend covers data (bar",
    click_handler: "mouse-only interaction (button_press_event handlers)",
    slider_drawn_in_the_figure: "mouse-only interaction",
}


@pytest.mark.parametrize("build", BROKEN_FIGURES, ids=lambda build: build.__name__)
def test_each_rule_catches_a_figure_that_breaks_it(build):
    problems = figure_problems(build())
    assert any(BROKEN_FIGURES[build] in problem for problem in problems), problems


def test_a_figure_that_keeps_every_rule_passes():
    fig, (ax, ax_map) = plt.subplots(1, 2, layout="constrained")
    x = np.linspace(0, 1, 50)
    ax.plot(x, x, "-", color="#0072B2", label="train")
    ax.plot(x, x**2, "--", color="#D55E00", label="validation")
    ax.scatter([0.2, 0.4], [0.8, 0.9], marker="o", label="class 0")
    ax.scatter([0.6], [0.9], marker="s", label="class 1")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set(xlabel="epoch", ylabel="loss", title="Curves")
    image = ax_map.imshow(np.outer(np.linspace(-1, 1, 5), np.ones(5)), cmap="RdBu_r")
    fig.colorbar(image, ax=ax_map, label="weight")
    ax_map.contour(np.eye(5), levels=[0.5], colors="0.3")
    ax_map.set(xlabel="input", ylabel="unit", title="Weights")
    assert figure_problems(fig) == []


def test_contour_colours_taken_from_an_allowed_map_pass():
    ax = labelled_axes()
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.85, 4))
    ax.contour(np.outer(np.arange(5), np.arange(5)), levels=[1, 2, 4, 8], colors=colors)
    assert figure_problems(ax.figure) == []


@pytest.mark.parametrize(
    ("control", "message"),
    [
        (ipywidgets.FloatSlider(value=0.5), "FloatSlider (value 0.5): no description"),
        (ipywidgets.Dropdown(options=["a", "b"], description=" "), "no description"),
        (ipywidgets.Button(icon="play"), "Button (value None): no description"),
        (ipywidgets.Checkbox(description="on", tabbable=False), "out of the tab order"),
    ],
)
def test_widget_problems_finds_unlabelled_and_unfocusable_controls(control, message):
    box = ipywidgets.VBox([ipywidgets.HTML("status"), ipywidgets.HBox([control])])
    problems = widget_problems(box)
    assert len(problems) == 1 and message in problems[0], problems


def test_the_checks_reject_what_is_not_a_figure_or_widget():
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        figure_problems(plt.gca())
    with pytest.raises(TypeError, match="widget must be an ipywidgets Widget"):
        widget_problems(Figure())


# ---------------------------------------------------------------------------------------------
# Every plotting function and explorer of dlcourse keeps the rules
# ---------------------------------------------------------------------------------------------


def housing():
    return datasets.housing(m=30, seed=0)


def descent_path():
    X, y = housing()
    w, b, path = 0.0, 0.0, [(0.0, 0.0)]
    for _ in range(20):
        error = w * X[:, 0] + b - y
        w, b = w - 0.1 * np.mean(error * X[:, 0]), b - 0.1 * np.mean(error)
        path.append((w, b))
    return np.array(path)


def race_paths(surface):
    """A few made-up optimizer paths across a surface's box, from its start."""
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    t = np.linspace(0.0, 1.0, 40)[:, None]
    ends = [(x0 + 0.5 * (x1 - x0), y0), ((x0 + x1) / 2, (y0 + y1) / 2), (x1, y0)]
    return {
        name: surface.start + t * (np.array(end) - surface.start)
        for name, end in zip(("SGD", "momentum", "Adam"), ends, strict=True)
    }


def training_runs():
    """Three made-up results of train_digits_with; one stays high, where a legend would go."""
    steps = np.arange(1, 52)
    return {
        "SGD, lr 2": {"loss": np.full(51, 2.3).tolist(), "test_accuracy": [0.1, 0.1, 0.1]},
        "SGD, lr 2 halved every epoch": {
            "loss": (2.3 * np.exp(-steps / 20) + 0.1).tolist(),
            "test_accuracy": [0.6, 0.8, 0.9],
        },
        "Adam": {"loss": (2.3 * np.exp(-steps / 5) + 0.05).tolist(), "test_accuracy": [0.8] * 3},
    }


def live_plot():
    plot = LiveLossPlot(every=1000)
    for step in range(60):
        plot.update(step, 2.3 * np.exp(-step / 15) + 0.1)
        plot.update(step, 2.0 + 0.01 * step, label="validation")  # rising: top right
    plot.redraw()
    return plot.fig


def toy_vectors():
    """40 made-up word vectors (5-D) named w0..w39."""
    return np.random.default_rng(8).normal(size=(40, 5)), [f"w{i}" for i in range(40)]


PLOTS = {
    "plot_data": lambda: plot_data(*housing()).figure,
    "plot_data with a line": lambda: plot_data(*housing(), line=(150.0, 50.0)).figure,
    "plot_cost_surface": lambda: plot_cost_surface(*housing()).figure,
    "plot_cost_contours": lambda: plot_cost_contours(*housing(), path=descent_path()).figure,
    "plot_cost_curve": lambda: plot_cost_curve([5.0, 3.0, 2.0, 1.5]).figure,
    "plot_cost_curve logy": lambda: plot_cost_curve([5.0, 3.0, 2.0], logy=True).figure,
    "plot_planar": lambda: plot_planar(*datasets.planar("moons", 60, seed=0)).figure,
    "plot_decision_boundary 2 classes": lambda: (
        plot_decision_boundary(
            lambda P: (P[:, 0] > 0.5).astype(int), *datasets.planar("moons", 60, seed=0)
        ).figure
    ),
    "plot_decision_boundary 3 classes": lambda: (
        plot_decision_boundary(
            lambda P: np.digitize(P[:, 0], [-0.5, 0.5]),
            *datasets.planar("spirals", 90, seed=0),
            resolution=50,
        ).figure
    ),
    "draw_graph": lambda: draw_graph(**example_graph(-2.0, 5.0, -4.0)).figure,
    "draw_graph forward only": lambda: (
        draw_graph(example_graph(1, 2, 3)["nodes"], example_graph(1, 2, 3)["edges"]).figure
    ),
    **{
        f"plot_surface_contours {name}": (
            lambda surface=surface: plot_surface_contours(surface, paths=race_paths(surface)).figure
        )
        for name, surface in SURFACES.items()
    },
    "LiveLossPlot": live_plot,
    "plot_training_runs": lambda: plot_training_runs(training_runs()),
    "plot_regularization_runs": lambda: plot_regularization_runs(
        {"a": train_mlp_with(*digits_subset(40), hidden=8, epochs=2)}
    ),
    "plot_shifted_digits": lambda: plot_shifted_digits(2, copies=2),
    "plot_reconstructions": lambda: plot_reconstructions(
        {"digits": digits_split()[2][:5], "again": digits_split()[2][5:10]}
    ),
    "plot_codes": lambda: plot_codes(digits_split()[2][:90, 30:32], digits_split()[3][:90]).figure,
    "plot_codes_vs_pca": lambda: plot_codes_vs_pca(epochs=3),
}


@pytest.mark.parametrize("name", PLOTS)
def test_every_plotting_function_keeps_the_rules(name):
    assert figure_problems(PLOTS[name]()) == []


EXPLORERS = {
    "LearningRateExplorer": (
        lambda: LearningRateExplorer(*housing(), num_iters=20),
        {"lr_slider": 0.9, "iters_slider": 3},
    ),
    "learning_rate_explorer": (lambda: learning_rate_explorer(*housing(), num_iters=5), {}),
    "DecisionBoundaryExplorer": (
        lambda: DecisionBoundaryExplorer(m=60, num_iters=30),
        {"dataset_dropdown": "spirals", "features_toggle": "quadratic", "lr_slider": 100.0},
    ),
    "SoftmaxTemperatureExplorer": (
        lambda: SoftmaxTemperatureExplorer((0.2, 1.0, 3.0), labels=("cat", "dog", "frog")),
        {"temperature_slider": 0.05},
    ),
    "ComputeGraphExplorer": (lambda: ComputeGraphExplorer(), {"mode_toggle": "forward"}),
    "ActivationExplorer": (
        lambda: ActivationExplorer(m=60, num_iters=60, hidden=10),
        {"activation_dropdown": "sigmoid", "dataset_dropdown": "xor"},
    ),
    "OptimizerRaceExplorer": (
        lambda: OptimizerRaceExplorer(steps=40),
        {"step_slider": 5, "surface_dropdown": "local_minimum", "beta_slider": 0.0},
    ),
    "EWAExplorer": (lambda: EWAExplorer(n=40), {"bias_checkbox": False, "beta_slider": 0.99}),
    "DepthExplorer": (
        lambda: DepthExplorer(width=20, m=60),
        {"init_dropdown": "zeros", "activation_dropdown": "relu", "scale_slider": 10.0},
    ),
    "OverfittingExplorer": (
        lambda: OverfittingExplorer(epochs=10),
        {"size_slider": 50, "lam_slider": 0.3, "p_slider": 0.5},
    ),
    "SearchExplorer": (lambda: SearchExplorer(), {"trials_slider": 36, "seed_slider": 7}),
    "CodeSizeExplorer": (
        lambda: CodeSizeExplorer(code_sizes=(2, 4), code_size=2, epochs=3),
        {"code_slider": 4},
    ),
    "DenoisingExplorer": (
        lambda: DenoisingExplorer(epochs=3, n_images=4),
        {"level_slider": 1.0, "kind_dropdown": "salt_pepper"},
    ),
    "SparseFeaturesExplorer": (
        lambda: SparseFeaturesExplorer(epochs=3),
        {"rho_slider": 0.0},
    ),
    # week 8: made-up vectors (training is tested in tests/test_embedding_demo.py)
    "EmbeddingExplorer": (
        lambda: EmbeddingExplorer(*toy_vectors(), n_shown=30, k=4),
        {"word_dropdown": "w7", "k_slider": 12},
    ),
    "AnalogyExplorer": (
        lambda: AnalogyExplorer(*toy_vectors(), a="w1", b="w2", c="w3"),
        {"c_text": "w9", "a_text": "unknown"},
    ),
}


@pytest.mark.parametrize("name", EXPLORERS)
def test_every_explorer_keeps_the_rules_as_its_controls_move(name):
    build, moves = EXPLORERS[name]
    explorer = build()
    assert widget_problems(explorer.widget) == []
    assert figure_problems(explorer.fig) == [], "as built"
    for control, value in moves.items():
        getattr(explorer, control).value = value
        assert figure_problems(explorer.fig) == [], f"after {control} = {value!r}"


def test_every_optimizer_race_surface_keeps_the_rules():
    race = OptimizerRaceExplorer(steps=30)
    for name in SURFACES:
        race.surface_dropdown.value = name
        assert figure_problems(race.fig) == [], name


# Public names of the drawing modules that draw nothing themselves.
NOT_DRAWING = {
    "GraphSpec",
    "example_graph",
    "SURFACES",
    "Surface",
    "get_surface",
    "local_minimum",
    "ravine",
    "rosenbrock",
    "saddle",
    "DEFAULT_LRS",
    "SURFACE_LRS",
    "PALETTE",
    "SPLIT_FRACTIONS",
    "SPLIT_SEED",
    "RUN_LABELS",
    "OVERFIT_HIDDEN",
    "digits_subset",
}
# Drawing only through LiveLossPlot (checked above), which the tqdm tests below watch.
TRAINING = {
    "compare_optimizers_on_digits",
    "train_digits_with",
    "compare_batch_norm_on_digits",
    "train_mlp_with",  # a tqdm bar without a live plot: tests/test_widgets_week06.py
}
TRAINING |= {"train_autoencoder_with", "compare_linear_autoencoder_with_pca"}
NOT_DRAWING |= {"CODE_SIZES", "TRAINING_LEVELS", "RHO_CHOICES", "digits_split"}


def test_every_public_drawing_function_is_checked_here():
    covered = {name.split()[0] for name in PLOTS} | set(EXPLORERS)
    drawing_modules = {
        info.name
        for info in pkgutil.walk_packages(dlcourse.__path__, "dlcourse.")
        if info.name != "dlcourse.accessibility"
        and "matplotlib" in Path(importlib.import_module(info.name).__file__).read_text()
    }
    unchecked = []
    for module_name in sorted(drawing_modules):
        for name in getattr(importlib.import_module(module_name), "__all__", ()):
            if name not in covered | NOT_DRAWING | TRAINING:
                unchecked.append(f"{module_name}.{name}")
    assert unchecked == [], "add these to PLOTS or EXPLORERS (or to NOT_DRAWING)"


# ---------------------------------------------------------------------------------------------
# Long runs show a progress bar: dlcourse's training helpers, and notebook cells
# ---------------------------------------------------------------------------------------------


def autoencoder_loss_for_tests(params, X, X_target, sparsity=None):
    """A loss in the week-7 contract (zero gradients: the test watches the progress bar)."""
    return 0.5, {name: np.zeros_like(value) for name, value in params.items()}


@pytest.fixture
def live_plots(monkeypatch):
    """Every LiveLossPlot made while the test runs."""
    created = []

    class Recording(live.LiveLossPlot):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            created.append(self)

    monkeypatch.setattr(live, "LiveLossPlot", Recording)
    return created


@pytest.mark.parametrize(
    ("train", "steps"),
    [
        (lambda live: compare_optimizers_on_digits(["sgd"], epochs=1, hidden=8, live=live), 29),
        (
            lambda live: train_digits_with(
                plain_step, minibatches=shuffled_batches, epochs=1, hidden=8, live=live
            ),
            17,
        ),
        (
            lambda live: compare_batch_norm_on_digits(
                hidden=(8, 8), epochs=1, batch_size=128, live=live
            ),
            9,
        ),
        (
            lambda live: train_autoencoder_with(
                autoencoder_loss_for_tests,
                plain_step,
                code_size=4,
                epochs=1,
                batch_size=128,
                live=live,
            ),
            9,
        ),
    ],
    ids=[
        "compare_optimizers_on_digits",
        "train_digits_with",
        "compare_batch_norm_on_digits",
        "train_autoencoder_with",
    ],
)
def test_training_helpers_show_a_progress_bar_unless_told_not_to(train, steps, capsys, live_plots):
    train(True)
    err = capsys.readouterr().err
    assert "training" in err and f"{steps}/{steps}" in err  # the tqdm.auto bar
    (plot,) = live_plots
    assert figure_problems(plot.fig) == []
    train(False)
    assert capsys.readouterr() == ("", "") and len(live_plots) == 1


class FakeShell:
    """Just enough of an IPython shell: it keeps the event callbacks and runs cells."""

    def __init__(self):
        self.events = self
        self.callbacks = {"pre_run_cell": [], "post_run_cell": []}

    def register(self, event, callback):
        self.callbacks[event].append(callback)

    def run_cell(self, code):
        for callback in self.callbacks["pre_run_cell"]:
            callback(None)
        exec(code, {})
        for callback in self.callbacks["post_run_cell"]:
            callback(None)


@pytest.fixture
def shell(monkeypatch):
    """A FakeShell that get_ipython() returns while the test runs."""
    import IPython

    fake = FakeShell()
    monkeypatch.setattr(IPython, "get_ipython", lambda: fake)
    return fake


BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end:\n    pass"


def test_a_notebook_cell_that_computes_long_without_a_progress_bar_fails(shell):
    check_long_cells_show_progress(limit=0.2)
    check_long_cells_show_progress(limit=0.2)  # a second call adds no second check
    assert len(shell.callbacks["post_run_cell"]) == 1
    shell.callbacks["post_run_cell"][0](None)  # the cell that made the call ends: not long
    with pytest.raises(ValueError, match=r"CPU time \(more than 0.2 s\) without a progress bar"):
        shell.run_cell(BURN)
    shell.run_cell("from tqdm.auto import tqdm\nfor _ in tqdm(range(3)):\n" + indent(BURN, "    "))
    shell.run_cell("x = 1")  # quick: no bar needed


def test_the_progress_check_needs_ipython_and_a_positive_limit():
    with pytest.raises(ValueError, match="limit must be > 0 seconds"):
        check_long_cells_show_progress(limit=0)
    with pytest.raises(RuntimeError, match="works inside IPython"):
        check_long_cells_show_progress()


# ---------------------------------------------------------------------------------------------
# Notebooks: nbval checks every figure a cell shows
# ---------------------------------------------------------------------------------------------


def test_nbval_fails_a_cell_whose_figure_breaks_a_rule(tmp_path):
    """The repository's conftest.py, run by nbval on a notebook with one good and one bad
    figure: only the bad figure's cell fails, and the failure names the rule."""
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    notebook.cells = [
        nbformat.v4.new_code_cell("%matplotlib inline\nimport matplotlib.pyplot as plt"),
        nbformat.v4.new_code_cell(
            "fig, ax = plt.subplots()\nax.plot([0, 1], [1, 0])\n"
            "ax.set(xlabel='epoch', ylabel='loss', title='Good')\nplt.show()"
        ),
        nbformat.v4.new_code_cell(
            "fig, ax = plt.subplots()\nax.imshow([[0, 1], [1, 0]], cmap='jet')\n"
            "ax.set(xlabel='column', ylabel='row')"  # no title, and jet
        ),
    ]
    nbformat.write(notebook, tmp_path / "figures.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 2 passed" in result.stdout
    assert "figures.ipynb::Cell 2" in result.stdout
    assert "no title" in result.stdout and "colour map 'jet'" in result.stdout
