"""Tests for dlcourse.optimizer_demo: the week-4 digits comparison of optimizers."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest
from helpers import plain_step, shuffled_batches

from dlcourse import live
from dlcourse.optimizer_demo import (
    DEFAULT_LRS,
    compare_optimizers_on_digits,
    plot_training_runs,
    train_digits_with,
)

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
        ({"seed": -1}, ValueError, r"seed must be at least 0"),
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


@pytest.fixture
def plots(monkeypatch) -> list:
    """Every LiveLossPlot created during the test, in order."""
    created = []
    original = live.LiveLossPlot

    class Recording(original):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            created.append(self)

    monkeypatch.setattr(live, "LiveLossPlot", Recording)
    return created


def test_live_true_shows_a_progress_bar_and_plots_every_run(capsys, plots):
    losses = compare_optimizers_on_digits(["sgd", "adam"], epochs=1, live=True)
    err = capsys.readouterr().err
    assert "training" in err and "58/58" in err  # the tqdm bar: 2 optimizers x 29 steps
    (plot,) = plots
    assert list(plot.history) == ["sgd", "adam"]
    assert [loss for _, loss in plot.history["adam"]] == losses["adam"]
    assert plot.redraws >= 2


# ---------------------------------------------------------------------------------------------
# train_digits_with: training with the student's own functions
# ---------------------------------------------------------------------------------------------
# The update rule and batching below are written here for the tests (the library must not
# ship them: they are week-4 answers).

M_TRAIN = 1078  # round(0.6 * 1797)


def fast(**kwargs):
    """train_digits_with's small, quiet settings, overridable."""
    settings = {"minibatches": shuffled_batches, "epochs": 1, "hidden": 16, "live": False}
    return train_digits_with(kwargs.pop("step", plain_step), **{**settings, **kwargs})


def test_training_with_a_plain_step_lowers_the_loss_and_reports_everything():
    run = fast(epochs=3, lr=0.2)
    per_epoch = math.ceil(M_TRAIN / 64)
    assert set(run) == {"loss", "grad_norm", "train_accuracy", "test_accuracy"}
    assert len(run["loss"]) == len(run["grad_norm"]) == 3 * per_epoch
    assert len(run["train_accuracy"]) == len(run["test_accuracy"]) == 3
    assert abs(run["loss"][0] - np.log(10)) < 1.0  # ten classes, random start weights
    assert np.mean(run["loss"][-5:]) < 0.6 * np.mean(run["loss"][:5])
    assert all(0 <= a <= 1 for a in run["train_accuracy"] + run["test_accuracy"])
    assert run["test_accuracy"][-1] > 0.5
    assert all(np.isfinite(run["grad_norm"])) and min(run["grad_norm"]) > 0


def test_the_same_seed_gives_identical_runs_and_another_seed_a_different_one():
    assert fast(seed=5) == fast(seed=5)
    assert fast(seed=5)["loss"] != fast(seed=6)["loss"]


def test_every_parameter_array_gets_its_own_state_and_the_hyperparameters():
    seen = []

    def recording_step(w, dw, state, lr, beta):
        assert w.shape == dw.shape
        state["calls"] = state.get("calls", 0) + 1
        seen.append((w.shape, state["calls"], lr, beta))
        return w - lr * dw

    fast(step=recording_step, hidden=7, lr=0.05, beta=0.5, batch_size=500)  # 3 iterations
    assert [shape for shape, *_ in seen[:4]] == [(64, 7), (7,), (7, 10), (10,)]
    assert [calls for _, calls, *_ in seen] == [1] * 4 + [2] * 4 + [3] * 4
    assert {(lr, beta) for *_, lr, beta in seen} == {(0.05, 0.5)}


def test_minibatches_gets_the_training_split_and_one_generator_for_every_epoch():
    calls = []

    def recording_batches(X, y, batch_size, rng):
        calls.append((X.shape, y.shape, batch_size, rng))
        yield from shuffled_batches(X, y, batch_size, rng)

    fast(minibatches=recording_batches, epochs=3, batch_size=100)
    assert [c[:3] for c in calls] == [((M_TRAIN, 64), (M_TRAIN,), 100)] * 3
    assert all(isinstance(c[3], np.random.Generator) for c in calls)
    assert calls[0][3] is calls[1][3] is calls[2][3]


def test_a_schedule_sets_each_epochs_learning_rate():
    lrs = []

    def recording_step(w, dw, state, lr=123.0):
        lrs.append(lr)
        return w - lr * dw

    fast(step=recording_step, epochs=3, batch_size=500, schedule=lambda e: 0.1 / (e + 1), lr=9)
    assert lrs == [0.1] * 12 + [0.05] * 12 + [0.1 / 3] * 12


def test_a_schedule_of_zero_leaves_the_weights_where_they_started():
    run = fast(epochs=3, schedule=lambda e: 0.0)
    assert len(set(run["train_accuracy"])) == len(set(run["test_accuracy"])) == 1
    assert run["loss"][0] == fast(lr=0.1)["loss"][0]


def test_clipping_is_applied_and_a_huge_max_norm_changes_nothing():
    def clip_to(max_norm):
        def clip(grads):
            norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
            factor = min(1.0, max_norm / (norm + 1e-6))
            return [g * factor for g in grads], norm

        return clip

    plain = fast(epochs=2, lr=0.3)
    assert fast(epochs=2, lr=0.3, clip=clip_to(1e9)) == plain
    clipped = fast(epochs=2, lr=0.3, clip=clip_to(1e-3))
    assert clipped["grad_norm"][0] == plain["grad_norm"][0]  # the norm before clipping
    assert clipped["loss"][1:] != plain["loss"][1:]
    assert np.mean(clipped["loss"][-5:]) > np.mean(plain["loss"][-5:])


def test_a_diverging_run_stops_with_a_warning_naming_the_learning_rate():
    with pytest.warns(RuntimeWarning, match=r"diverged at iteration \d+.*lr 10000.*smaller"):
        run = fast(epochs=2, lr=1e4)
    assert 0 < len(run["loss"]) < 2 * math.ceil(M_TRAIN / 64)
    assert all(np.isfinite(run["loss"]))


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"step": None}, TypeError, r"step must be a function step\(w, dw, state"),
        ({"minibatches": [1, 2]}, TypeError, r"minibatches must be a function"),
        ({"schedule": 0.1}, TypeError, r"schedule must be a function"),
        ({"clip": 5.0}, TypeError, r"clip must be a function"),
        ({"epochs": 0}, ValueError, r"epochs must be a positive integer.*got 0"),
        ({"epochs": 2.0}, TypeError, r"epochs must be a positive integer"),
        ({"hidden": -3}, ValueError, r"hidden must be a positive integer"),
        ({"batch_size": True}, TypeError, r"batch_size must be a positive integer"),
        ({"batch_size": 2000}, ValueError, r"at most the number of training examples, 1078"),
        ({"seed": -1}, ValueError, r"seed must be at least 0"),
        ({"live": 1}, TypeError, r"live must be True or False"),
        ({"momentum": 0.9}, TypeError, r"step cannot be called as step\(w, dw, state, mom"),
    ],
)
def test_bad_arguments_raise_clear_errors_before_training(kwargs, error, message):
    with pytest.raises(error, match=message):
        fast(**kwargs)


def _no_return(w, dw, state, lr=0.1):
    w - lr * dw  # noqa: B018 -- the bug under test


def _flattened(w, dw, state, lr=0.1):
    return (w - lr * dw).ravel()


def _a_string(w, dw, state, lr=0.1):
    return "w"


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (_no_return, r"step returned None for W1 at iteration 1 \(epoch 0\).*forget `return`"),
        (_flattened, r"step returned an array of shape \(1024,\) for W1.*shape of w, \(64, 16\)"),
        (_a_string, r"step returned str 'w' for W1"),
    ],
)
def test_a_malformed_step_is_named_in_the_error(step, message):
    with pytest.raises((TypeError, ValueError), match=message):
        fast(step=step)


def _returns_nothing(X, y, batch_size, rng):
    rng.permutation(len(y))


def _returns_whole_set(X, y, batch_size, rng):
    return X, y


def _forgets_the_last_batch(X, y, batch_size, rng):
    for start in range(0, len(y) - batch_size + 1, batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def _samples_with_replacement(X, y, batch_size, rng):
    for start in range(0, len(y), batch_size):
        rows = rng.integers(len(y), size=min(batch_size, len(y) - start))
        yield X[rows], y[rows]


def _shuffles_labels_separately(X, y, batch_size, rng):
    order, labels = rng.permutation(len(y)), rng.permutation(len(y))
    for start in range(0, len(y), batch_size):
        yield X[order[start : start + batch_size]], y[labels[start : start + batch_size]]


def _transposed(X, y, batch_size, rng):
    for start in range(0, len(y), batch_size):
        yield X[start : start + batch_size].T, y[start : start + batch_size]


def _wrong_sizes(X, y, batch_size, rng):
    yield X[:10], y[:10]
    yield X[10:], y[10:]


@pytest.mark.parametrize(
    ("minibatches", "message"),
    [
        (_returns_nothing, r"minibatches\(X_train, y_train, 50, rng\) \(epoch 0\) returned None"),
        (_returns_whole_set, r"batch 0 is an array of shape \(1078, 64\).*pair"),
        (_forgets_the_last_batch, r"1050 examples in total.*1078.*last, smaller batch missing"),
        (_samples_with_replacement, r"repeats some training examples and leaves out others"),
        (_shuffles_labels_separately, r"pairs some rows of X with the wrong labels"),
        (_transposed, r"batch 0 has X_batch of shape \(64, 50\) and y_batch of shape \(50,\)"),
        (_wrong_sizes, r"batches of sizes \[10, 1068\].*batch_size = 50"),
    ],
)
def test_a_malformed_minibatches_is_named_in_the_error(minibatches, message):
    with pytest.raises((TypeError, ValueError), match=message):
        fast(minibatches=minibatches, batch_size=50)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schedule": lambda e: None}, r"schedule\(0\) returned NoneType None.*forget `return`"),
        ({"schedule": lambda e: -0.1}, r"schedule\(0\) returned -0.1.*>= 0"),
        ({"clip": lambda g: g}, r"clip returned list .*pair \(clipped gradients, total norm\)"),
        ({"clip": lambda g: (g[:3], 1.0)}, r"clipped gradients.*list of 4 arrays"),
        ({"clip": lambda g: ([x.T for x in g], 1.0)}, r"clipped gradient of W1.*\(64, 16\)"),
    ],
)
def test_a_malformed_schedule_or_clip_is_named_in_the_error(kwargs, message):
    with pytest.raises((TypeError, ValueError), match=message):
        fast(**kwargs)


def test_train_digits_with_live_shows_a_bar_and_plots_the_losses(capsys, plots):
    run = fast(live=True, batch_size=100)
    err = capsys.readouterr().err
    assert "training" in err and "11/11" in err
    (plot,) = plots
    assert [loss for _, loss in plot.history["minibatch loss"]] == run["loss"]
    assert "plain_step" in plot.fig.axes[0].get_title()


def test_train_digits_with_live_false_prints_and_draws_nothing(capsys):
    before = plt.get_fignums()
    fast()
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert plt.get_fignums() == before


def test_plot_training_runs_draws_losses_and_accuracies_per_run():
    runs = {"slow": fast(epochs=2, lr=0.01), "fast": fast(epochs=2, lr=0.3)}
    fig = plot_training_runs(runs, title="two runs")
    ax_loss, ax_acc = fig.axes
    assert ax_loss.get_yscale() == "log" and ax_loss.get_xlabel() and ax_loss.get_ylabel()
    assert ax_acc.get_xlabel() == "epoch" and "accuracy" in ax_acc.get_ylabel()
    assert fig._suptitle.get_text() == "two runs"
    assert [line.get_label() for line in ax_loss.get_lines()] == ["slow", "fast"]
    colours = [line.get_color() for line in ax_loss.get_lines()]
    assert colours == [line.get_color() for line in ax_acc.get_lines()]
    assert len(set(colours)) == 2
    np.testing.assert_array_equal(ax_acc.get_lines()[1].get_ydata(), runs["fast"]["test_accuracy"])


@pytest.mark.parametrize(
    ("runs", "error", "message"),
    [
        ({}, TypeError, r"non-empty dict"),
        ([1], TypeError, r"non-empty dict"),
        ({"a": [0.1]}, TypeError, r"runs\['a'\] must be a result of train_digits_with"),
        ({"a": {"loss": [], "test_accuracy": []}}, ValueError, r"runs\['a'\] has no losses"),
        ({1: {"loss": [1.0], "test_accuracy": [0.5]}}, TypeError, r"keys must be labels"),
    ],
)
def test_plot_training_runs_rejects_bad_runs(runs, error, message):
    with pytest.raises(error, match=message):
        plot_training_runs(runs)
