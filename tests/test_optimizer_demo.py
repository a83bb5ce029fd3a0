"""Tests for dlcourse.optimizer_demo: the week-4 digits comparison of optimizers."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlcourse import live
from dlcourse.optimizer_demo import DEFAULT_LRS, compare_optimizers_on_digits

ALL = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam")
M_DIGITS = 1797


@pytest.fixture(scope="module")
def default_run():
    return compare_optimizers_on_digits(live=False)


def test_every_optimizer_returns_one_loss_per_iteration(default_run):
    assert list(default_run) == list(ALL)
    per_epoch = math.ceil(M_DIGITS / 64)
    for name, losses in default_run.items():
        assert len(losses) == 3 * per_epoch, name
        assert all(isinstance(v, float) and np.isfinite(v) for v in losses), name


def test_all_runs_start_from_the_same_weights_and_batch(default_run):
    first = {name: losses[0] for name, losses in default_run.items()}
    assert len(set(first.values())) == 1, first
    # ten classes, small random weights: about ln(10) at the start
    assert abs(first["sgd"] - np.log(10)) < 0.5


@pytest.mark.parametrize("name", ALL)
def test_the_loss_falls_for_each_optimizer(default_run, name):
    losses = np.array(default_run[name])
    assert losses[-10:].mean() < 0.6 * losses[:5].mean(), name


@pytest.mark.parametrize("name", ["momentum", "nesterov", "adam", "rmsprop"])
def test_momentum_and_adaptive_rules_beat_plain_sgd_at_the_defaults(default_run, name):
    assert np.mean(default_run[name][-10:]) < 0.75 * np.mean(default_run["sgd"][-10:])


def test_the_same_seed_gives_the_same_losses_and_another_seed_different_ones():
    a = compare_optimizers_on_digits(["sgd", "adam"], epochs=1, live=False, seed=3)
    b = compare_optimizers_on_digits(["sgd", "adam"], epochs=1, live=False, seed=3)
    c = compare_optimizers_on_digits(["sgd", "adam"], epochs=1, live=False, seed=4)
    assert a == b
    assert a["sgd"] != c["sgd"]


def test_a_subset_keeps_its_order_and_matches_the_full_run(default_run):
    part = compare_optimizers_on_digits(["adam", "sgd"], live=False)
    assert list(part) == ["adam", "sgd"]
    assert part["sgd"] == default_run["sgd"] and part["adam"] == default_run["adam"]


def test_learning_rates_and_sizes_are_used():
    slow = compare_optimizers_on_digits(["sgd"], lrs={"sgd": 1e-4}, epochs=1, live=False)
    fast = compare_optimizers_on_digits(["sgd"], epochs=1, live=False)
    assert slow["sgd"][0] == fast["sgd"][0]
    assert np.mean(slow["sgd"][-5:]) > np.mean(fast["sgd"][-5:]) + 0.2
    sized = compare_optimizers_on_digits(["sgd"], epochs=2, batch_size=500, hidden=8, live=False)
    assert len(sized["sgd"]) == 2 * math.ceil(M_DIGITS / 500)


def test_default_lrs_cover_every_optimizer():
    assert set(DEFAULT_LRS) == set(ALL)
    assert all(lr > 0 for lr in DEFAULT_LRS.values())


def test_a_diverging_run_stops_with_a_warning():
    with pytest.warns(RuntimeWarning, match="sgd diverged.*smaller learning rate"):
        out = compare_optimizers_on_digits(["sgd", "adam"], lrs={"sgd": 1e6}, live=False)
    assert len(out["sgd"]) < len(out["adam"]) == 87


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"optimizers": ["sgd", "lbfgs"]}, ValueError, r"unknown optimizer 'lbfgs'.*'adam'"),
        ({"optimizers": "adam"}, TypeError, r"list or tuple of names"),
        ({"optimizers": []}, ValueError, r"at least one optimizer"),
        ({"optimizers": ["sgd", "sgd"]}, ValueError, r"twice"),
        ({"lrs": {"sgd": 0.0}}, ValueError, r"learning rate of 'sgd' must be positive"),
        ({"lrs": {"sgd": -1.0}}, ValueError, r"must be positive, got -1"),
        ({"lrs": {"lbfgs": 0.1}}, ValueError, r"'lbfgs', which is not among"),
        ({"lrs": [0.1]}, TypeError, r"lrs must be a dict"),
        ({"epochs": 0}, ValueError, r"epochs must be a positive integer.*got 0"),
        ({"epochs": 1.5}, TypeError, r"epochs must be a positive integer"),
        ({"batch_size": -4}, ValueError, r"batch_size must be a positive integer.*got -4"),
        ({"batch_size": 5000}, ValueError, r"batch_size must be at most.*1797.*5000"),
        ({"hidden": 0}, ValueError, r"hidden must be a positive integer"),
        ({"seed": -1}, ValueError, r"seed must be an integer >= 0"),
        ({"live": "yes"}, TypeError, r"live must be True or False"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        compare_optimizers_on_digits(**kwargs)


def test_live_false_prints_nothing_and_draws_nothing(capsys):
    before = plt.get_fignums()
    compare_optimizers_on_digits(["sgd"], epochs=1, live=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert plt.get_fignums() == before


def test_live_true_shows_a_progress_bar_and_plots_every_run(capsys, monkeypatch):
    plots = []
    original = live.LiveLossPlot

    class Recording(original):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            plots.append(self)

    monkeypatch.setattr(live, "LiveLossPlot", Recording)
    losses = compare_optimizers_on_digits(["sgd", "adam"], epochs=1, live=True)
    err = capsys.readouterr().err
    assert "training" in err and "58/58" in err  # the tqdm bar: 2 optimizers x 29 steps
    (plot,) = plots
    assert list(plot.history) == ["sgd", "adam"]
    assert [loss for _, loss in plot.history["adam"]] == losses["adam"]
    assert plot.redraws >= 2
