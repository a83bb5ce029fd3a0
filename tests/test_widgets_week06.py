"""Tests for the week-6 explorers, the regularization demo and the core's regularizers.

Expected values come from the definitions (λ/2·Σ‖W‖², a zero-filled shift moves pixel (r, c)
to (r + dr, c + dc), inverted dropout keeps E[out] = x), from hand-worked early-stopping
curves and from the lecture's claims (a too-large network on 50 digits fits them all and
validates far lower; dropout narrows the gap; random search tries more learning rates).
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import status_text

from dlcourse._core.regularization import (
    checked_augment,
    inverted_dropout,
    random_offsets,
    shift_augmentation,
    shift_digits,
    stopping_epochs,
    weight_decay,
)
from dlcourse.accessibility import figure_problems, widget_problems
from dlcourse.regularization_demo import (
    CURVES,
    digits_subset,
    plot_regularization_runs,
    plot_shifted_digits,
    train_mlp_with,
)
from dlcourse.widgets import OverfittingExplorer, SearchExplorer
from dlcourse.widgets.search import BEST_LOG_LR, validation_accuracy

# ---------------------------------------------------------------------------------------------
# the core's regularizers
# ---------------------------------------------------------------------------------------------


def test_weight_decay_is_half_lambda_times_the_squares_with_gradient_lambda_w():
    W1, W2 = np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[2.0], [-1.0]])
    value, grads = weight_decay(0.1)([W1, W2])
    assert value == pytest.approx(0.05 * (1 + 4 + 0.25 + 9 + 4 + 1))
    np.testing.assert_allclose(grads[0], 0.1 * W1)
    np.testing.assert_allclose(grads[1], 0.1 * W2)


def test_inverted_dropout_drops_about_p_keeps_the_mean_and_routes_gradients_through_its_mask():
    layer = inverted_dropout(0.25)
    a = np.full((400, 500), 2.0)
    out, cache = layer.forward(a, np.random.default_rng(0), True)
    assert set(np.unique(out)) == {0.0, 2.0 / 0.75}
    assert abs(np.mean(out == 0) - 0.25) < 0.005
    assert abs(out.mean() - 2.0) < 0.02
    dout = np.ones_like(a)
    np.testing.assert_array_equal(layer.backward(dout, cache) != 0, out != 0)
    same, none = layer.forward(a, np.random.default_rng(0), False)
    assert same is a and none is None and layer.backward(dout, none) is dout
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        inverted_dropout(1.0)


def test_shift_digits_moves_pixels_by_the_offsets_and_fills_zeros():
    image = np.arange(1.0, 65.0).reshape(1, 64)
    down_right = shift_digits(image, np.array([[1, 2]])).reshape(8, 8)
    square = image.reshape(8, 8)
    np.testing.assert_array_equal(down_right[1:, 2:], square[:-1, :-2])
    assert not down_right[0].any() and not down_right[:, :2].any()
    up_left = shift_digits(image, np.array([[-3, -1]])).reshape(8, 8)
    np.testing.assert_array_equal(up_left[:-3, :-1], square[3:, 1:])
    gone = shift_digits(image, np.array([[8, 0]]))
    assert not gone.any()


def test_random_offsets_cover_the_inclusive_range_and_shift_augmentation_uses_them():
    offsets = random_offsets(2000, 2, np.random.default_rng(1))
    assert offsets.shape == (2000, 2)
    assert set(np.unique(offsets)) == {-2, -1, 0, 1, 2}
    X = np.random.default_rng(2).random((5, 64))
    augment = shift_augmentation(0)
    np.testing.assert_array_equal(augment(X, np.random.default_rng(3)), X)


@pytest.mark.parametrize(
    ("losses", "patience", "expected"),
    [
        ([0.9, 0.7, 0.6, 0.65, 0.62, 0.5], 2, (2, 4)),
        ([3.0, 2.0, 1.0], 1, (2, 2)),
        ([1.0, 1.0, 1.0, 0.9], 2, (0, 2)),
        ([5.0], 3, (0, 0)),
    ],
)
def test_stopping_epochs_on_hand_worked_curves(losses, patience, expected):
    assert stopping_epochs(losses, patience) == expected


def test_checked_augment_names_a_malformed_result():
    X = np.zeros((3, 64))
    with pytest.raises(ValueError, match="augment returned"):
        checked_augment(lambda X, rng: X[:, :10], 64)(X, None)
    with pytest.raises(TypeError, match="augment returned None"):
        checked_augment(lambda X, rng: None, 64)(X, None)


# ---------------------------------------------------------------------------------------------
# the demo: digits_subset, train_mlp_with, the plots
# ---------------------------------------------------------------------------------------------


def test_digits_subset_is_the_start_of_the_fixed_training_split_and_its_validation_split():
    X, y, X_val, y_val = digits_subset(50)
    assert X.shape == (50, 64) and y.shape == (50,) and X_val.shape == (359, 64)
    assert 0 <= X.min() and X.max() <= 1 and y_val.dtype == np.int64
    X2, y2, _, _ = digits_subset(100)
    np.testing.assert_array_equal(X2[:50], X)
    with pytest.raises(ValueError, match="n_train"):
        digits_subset(1079)


@pytest.fixture(scope="module")
def small():
    return digits_subset(60)


def test_train_mlp_with_records_every_curve_per_epoch_and_is_reproducible(small):
    run = train_mlp_with(*small, hidden=32, epochs=5, batch_size=20)
    for key in CURVES:
        assert len(run[key]) == 5 and all(np.isfinite(run[key]))
    assert run["val_probabilities"].shape == (359, 10)
    np.testing.assert_allclose(run["val_probabilities"].sum(axis=1), 1.0)
    assert [p.shape for p in run["params"]] == [(64, 32), (32,), (32, 10), (10,)]
    again = train_mlp_with(*small, hidden=32, epochs=5, batch_size=20)
    assert again["val_loss"] == run["val_loss"]
    assert run["train_loss"][-1] < run["train_loss"][0]


def test_the_penalty_dropout_and_augmentation_hooks_are_called_and_change_training(small):
    calls = {"penalty": 0, "augment": 0}

    def penalty(weights):
        calls["penalty"] += 1
        return weight_decay(1e-2)(weights)

    def augment(X, rng):
        calls["augment"] += 1
        return shift_digits(X, random_offsets(len(X), 1, rng))

    layer = inverted_dropout(0.5)
    plain = train_mlp_with(*small, hidden=32, epochs=3, batch_size=30)
    regularized = train_mlp_with(
        *small,
        hidden=32,
        epochs=3,
        batch_size=30,
        penalty=penalty,
        dropout=(layer.forward, layer.backward),
        augment=augment,
    )
    assert calls == {"penalty": 6, "augment": 6}
    assert regularized["val_loss"] != plain["val_loss"]
    # the penalty's weights shrink: a smaller total norm than without it
    norm = lambda run: sum(np.sum(W**2) for W in run["params"][0::2])  # noqa: E731
    assert norm(train_mlp_with(*small, hidden=32, epochs=3, batch_size=30, penalty=penalty)) < norm(
        plain
    )


def test_train_mlp_with_shows_a_progress_bar_over_the_epochs_only_when_live(small, capsys):
    train_mlp_with(*small, hidden=8, epochs=3, live=True)
    assert "3/3" in capsys.readouterr().err
    train_mlp_with(*small, hidden=8, epochs=3)
    assert capsys.readouterr() == ("", "")


def test_a_frozen_start_stays_and_a_fine_tuned_one_moves(small):
    source = train_mlp_with(*small, hidden=16, epochs=2)
    start = source["params"][:2]
    frozen = train_mlp_with(*small, hidden=16, epochs=2, start=start, freeze=True)
    tuned = train_mlp_with(*small, hidden=16, epochs=2, start=start)
    np.testing.assert_array_equal(frozen["params"][0], start[0])
    np.testing.assert_array_equal(frozen["params"][1], start[1])
    assert not np.array_equal(tuned["params"][0], start[0])
    assert not np.array_equal(frozen["params"][2], source["params"][2])


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 61}, ValueError, "batch_size"),
        ({"lr": 0.0}, ValueError, "lr"),
        ({"hidden": 0}, ValueError, "hidden"),
        ({"seed": -2}, ValueError, "seed"),
        ({"penalty": 3}, TypeError, "penalty"),
        ({"augment": "shift"}, TypeError, "augment"),
        ({"dropout": (print,)}, TypeError, "dropout"),
        ({"freeze": True}, ValueError, "start"),
        ({"start": [np.zeros((3, 3))]}, ValueError, r"start\[0\]"),
        ({"start": np.zeros((64, 256))}, TypeError, "start"),
        ({"live": 1}, TypeError, "live"),
    ],
)
def test_train_mlp_with_rejects_bad_arguments_saying_what_to_fix(small, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        train_mlp_with(*small, **({"epochs": 1} | kwargs))


def test_train_mlp_with_checks_the_data_and_a_penalty_returning_the_wrong_thing(small):
    X, y, X_val, y_val = small
    with pytest.raises(ValueError, match="X_val"):
        train_mlp_with(X, y, X_val[:, :10], y_val, epochs=1)
    with pytest.raises(ValueError, match="y_train"):
        train_mlp_with(X, y.astype(float), X_val, y_val, epochs=1)
    with pytest.raises(TypeError, match="penalty"):
        train_mlp_with(*small, epochs=1, penalty=lambda W: 0.0)


def test_the_plots_keep_the_rules_and_reject_bad_runs(small):
    run = train_mlp_with(*small, hidden=8, epochs=3)
    assert figure_problems(plot_regularization_runs({"a": run, "b": run})) == []
    assert figure_problems(plot_regularization_runs({"a": run}, show_train=False)) == []
    assert figure_problems(plot_shifted_digits(2, copies=2, max_shift=2)) == []
    with pytest.raises(TypeError, match="runs"):
        plot_regularization_runs({})
    with pytest.raises(TypeError, match="train_mlp_with"):
        plot_regularization_runs({"a": {"loss": [1.0]}})
    with pytest.raises(ValueError, match="max_shift"):
        plot_shifted_digits(max_shift=4)


# ---------------------------------------------------------------------------------------------
# the explorers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab():
    return OverfittingExplorer(n_train=50)


def test_widgets_package_exports_the_week6_explorers():
    import dlcourse.widgets as package

    assert {"OverfittingExplorer", "SearchExplorer"} <= set(package.__all__)
    assert "dropout_forward" not in dir(package) and "l2_penalty" not in dir(package)


def test_fifty_digits_are_learned_by_heart_and_dropout_narrows_the_gap(lab):
    lab.lam_slider.value, lab.p_slider.value = 0.0, 0.0
    plain = lab.history
    assert plain["train_accuracy"][-1] == 1.0
    gap = plain["train_accuracy"][-1] - plain["val_accuracy"][-1]
    assert gap > 0.1 and "gap" in status_text(lab)
    lab.p_slider.value = 0.5
    dropped = lab.history
    assert dropped is not plain and len(lab.runs) == 2
    assert dropped["train_accuracy"][-1] - dropped["val_accuracy"][-1] < gap
    assert figure_problems(lab.fig) == [] and widget_problems(lab.widget) == []
    lab.p_slider.value = 0.0
    assert lab.history is plain  # kept, not retrained


def test_a_strong_penalty_underfits_and_early_stopping_is_marked(lab):
    lab.lam_slider.value = 0.3
    assert lab.history["train_accuracy"][-1] < 0.9
    assert "too much regularization" in status_text(lab)
    assert lab.best_epoch <= lab.stop_epoch < 100
    assert lab.stop_epoch == len(lab.history["val_loss"]) - 1 or (
        lab.stop_epoch - lab.best_epoch == 10
    )
    lab.lam_slider.value = 0.0


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"n_train": 60}, "n_train"),
        ({"lam": 0.5}, "lam"),
        ({"p": 0.9}, "p"),
        ({"epochs": 5}, "epochs"),
        ({"seed": -1}, "seed"),
    ],
)
def test_overfitting_explorer_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        OverfittingExplorer(**kwargs)


def test_the_grid_tries_k_learning_rates_and_random_search_k_squared():
    search = SearchExplorer(trials=9)
    assert len(np.unique(search.grid_points[:, 0])) == 3
    assert len(np.unique(search.random_points[:, 0])) == 9
    search.trials_slider.value = 25
    assert len(np.unique(search.grid_points[:, 0])) == 5 and len(search.random_points) == 25
    assert search.grid_best == pytest.approx(validation_accuracy(*search.grid_points.T).max())
    assert figure_problems(search.fig) == [] and widget_problems(search.widget) == []
    assert "grid" in status_text(search)


def test_random_search_beats_the_grid_for_most_seeds_with_nine_trials():
    search = SearchExplorer(trials=9)
    wins = 0
    for seed in range(1, 7):
        search.seed_slider.value = seed
        wins += search.random_best > search.grid_best
    assert wins >= 4  # 5 of these 6 seeds (14 of the first 20)


def test_the_made_up_accuracy_peaks_where_it_says_and_hardly_depends_on_the_other():
    a = np.linspace(-4, 0, 401)
    assert a[np.argmax(validation_accuracy(a, 0.3))] == pytest.approx(BEST_LOG_LR, abs=0.01)
    spread = validation_accuracy(BEST_LOG_LR, np.linspace(0, 1, 50))
    assert spread.max() - spread.min() < 0.01


@pytest.mark.parametrize(
    ("kwargs", "fragment"), [({"trials": 10}, "trials"), ({"seed": 100}, "seed")]
)
def test_search_explorer_rejects_bad_arguments(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        SearchExplorer(**kwargs)
