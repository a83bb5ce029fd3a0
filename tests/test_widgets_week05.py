"""Tests for the week-5 explorer and the batch-norm demo, driven without a browser.

Expected behaviour comes from the variance argument of the lecture: with N(0, 0.01²) weights
the spread of a 100-unit tanh layer shrinks about 100-fold per layer, Xavier keeps it of the
same order, He keeps a ReLU network's spread of the same order, and all-zero weights leave
every unit at 0.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import status_text

from dlcourse.accessibility import figure_problems
from dlcourse.batchnorm_demo import RUN_LABELS, compare_batch_norm_on_digits
from dlcourse.widgets import DepthExplorer


@pytest.fixture(scope="module")
def explorer():
    return DepthExplorer(m=100)


def test_widgets_package_exports_the_week5_explorer():
    import dlcourse.widgets as package

    assert "DepthExplorer" in package.__all__
    assert "init_weights" not in dir(package) and "batchnorm_forward" not in dir(package)


def test_small_normal_weights_make_tanh_activations_collapse_layer_by_layer(explorer):
    explorer.activation_dropdown.value = "tanh"
    explorer.init_dropdown.value = "normal"
    explorer.scale_slider.value = 1.0
    std = explorer.activation_std
    assert len(explorer.activations) == 10 and explorer.activations[0].shape == (100, 100)
    # each layer multiplies the spread by about n_in σ² = 100 · 1e-4 = 0.01, so its std by 0.1
    np.testing.assert_allclose(std[1:] / std[:-1], 0.1, rtol=0.25)
    assert "collapses" in status_text(explorer)


def test_xavier_keeps_tanh_and_he_keeps_relu_activations_of_the_same_order(explorer):
    explorer.init_dropdown.value = "xavier_normal"
    explorer.activation_dropdown.value = "tanh"
    assert 0.2 < explorer.activation_std[-1] / explorer.activation_std[0] <= 1.0
    explorer.activation_dropdown.value = "relu"
    explorer.init_dropdown.value = "he_normal"
    assert 0.3 < explorer.activation_std[-1] / explorer.activation_std[0] < 3.0
    assert status_text(explorer).count("·") >= 3
    assert figure_problems(explorer.fig) == []


def test_the_scale_slider_multiplies_the_spread_geometrically(explorer):
    explorer.activation_dropdown.value = "relu"
    explorer.init_dropdown.value = "he_normal"
    explorer.scale_slider.value = 2.0
    ratios = explorer.activation_std[1:] / explorer.activation_std[:-1]
    np.testing.assert_allclose(np.median(ratios), 2.0, rtol=0.25)
    assert "explodes" in status_text(explorer)
    explorer.scale_slider.value = 1.0


def test_zero_weights_leave_every_unit_dead_and_the_status_says_why(explorer):
    explorer.init_dropdown.value = "zeros"
    assert all(not a.any() for a in explorer.activations)
    np.testing.assert_array_equal(explorer.dead_fraction, 1.0)
    assert "same gradient" in status_text(explorer)
    assert figure_problems(explorer.fig) == []
    explorer.init_dropdown.value = "he_normal"


def test_dead_fraction_counts_units_that_are_zero_on_every_example(explorer):
    explorer.activation_dropdown.value = "relu"
    expected = [np.mean(~(a > 0).any(axis=0)) for a in explorer.activations]
    np.testing.assert_allclose(explorer.dead_fraction, expected)
    explorer.activation_dropdown.value = "tanh"
    np.testing.assert_array_equal(explorer.dead_fraction, 0.0)


def test_gradients_are_those_of_each_hidden_weight_matrix(explorer):
    assert len(explorer.gradients) == 10
    assert explorer.gradients[0].shape == (64, 100)
    assert all(g.shape == (100, 100) for g in explorer.gradients[1:])
    np.testing.assert_allclose(explorer.gradient_std, [g.std() for g in explorer.gradients])


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"activation": "softplus"}, ValueError, "activation"),
        ({"init": "glorot"}, ValueError, "init"),
        ({"scale": 50.0}, ValueError, "scale"),
        ({"scale": "big"}, TypeError, "scale"),
        ({"width": 0}, ValueError, "width"),
        ({"m": 1}, ValueError, "m"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_depth_explorer_rejects_bad_arguments_saying_what_to_fix(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        DepthExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# compare_batch_norm_on_digits
# ---------------------------------------------------------------------------------------------


def test_batch_norm_rescues_a_small_start_and_both_runs_share_batches_and_weights():
    runs = compare_batch_norm_on_digits(hidden=(32,) * 4, epochs=2, batch_size=64, live=False)
    assert tuple(runs) == RUN_LABELS
    for run in runs.values():
        assert len(run["loss"]) == 2 * 17 and len(run["test_accuracy"]) == 2
    plain, normed = runs["without batch norm"], runs["with batch norm"]
    # the same start and the same first batch: both begin at ln 10 (tiny weights, uniform
    # softmax), since batch norm only rescales the hidden pre-activations
    np.testing.assert_allclose(plain["loss"][0], np.log(10), rtol=5e-3)
    np.testing.assert_allclose(normed["loss"][0], np.log(10), rtol=5e-3)
    assert normed["test_accuracy"][-1] > plain["test_accuracy"][-1] + 0.3
    again = compare_batch_norm_on_digits(hidden=(32,) * 4, epochs=2, batch_size=64, live=False)
    assert again == runs


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"init": "lecun"}, ValueError, "init"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 1}, ValueError, "batch_size"),
        ({"lr": -1.0}, ValueError, "lr"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"live": "yes"}, TypeError, "live"),
    ],
)
def test_compare_batch_norm_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        compare_batch_norm_on_digits(**kwargs)
