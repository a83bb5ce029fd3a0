"""Tests for the week-7 explorers and the autoencoder demo, driven without a browser.

Expected behaviour comes from the lecture's claims, checked against independent references:
PCA's errors from scikit-learn, a denoising autoencoder that undoes its corruption better than a
plain one, a KL penalty that pulls the units' mean activation to ρ, and the demo's training loop
run with a loss written out here.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import status_text
from sklearn.decomposition import PCA

from dlcourse.accessibility import figure_problems
from dlcourse.autoencoder_demo import (
    compare_linear_autoencoder_with_pca,
    digits_split,
    plot_codes,
    plot_codes_vs_pca,
    plot_reconstructions,
    train_autoencoder_with,
)
from dlcourse.widgets import CodeSizeExplorer, DenoisingExplorer, SparseFeaturesExplorer


def _error(X_hat, X):
    return np.sum((X_hat - X) ** 2) / (2 * len(X))


def test_widgets_package_exports_the_week7_explorers_and_no_answers():
    import dlcourse.autoencoder_demo as demo
    import dlcourse.widgets as package

    assert {"CodeSizeExplorer", "DenoisingExplorer", "SparseFeaturesExplorer"} <= set(
        package.__all__
    )
    for name in ("corrupt", "kl_sparsity", "autoencoder_loss"):
        assert name not in dir(package) and name not in dir(demo)


# ---------------------------------------------------------------------------------------------
# CodeSizeExplorer
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def code_size():
    return CodeSizeExplorer(code_sizes=(2, 8, 32))


def test_code_size_errors_fall_with_d_and_pca_is_scikit_learns(code_size):
    X_train, _, X_test, _ = digits_split()
    sizes = list(code_size.autoencoder_errors)
    assert sizes == [2, 8, 32]
    for errors in (code_size.autoencoder_errors, code_size.pca_errors):
        assert all(errors[a] > errors[b] for a, b in zip(sizes, sizes[1:], strict=False))
    for d in (2, 8):
        pca = PCA(n_components=d).fit(X_train)
        expected = _error(pca.inverse_transform(pca.transform(X_test)), X_test)
        np.testing.assert_allclose(code_size.pca_errors[d], expected, rtol=1e-9)
    # the sigmoid autoencoder is a fair competitor: within a factor 3 of PCA at every size
    assert all(code_size.autoencoder_errors[d] < 3 * code_size.pca_errors[d] for d in sizes)


def test_moving_the_code_size_slider_redraws_that_size(code_size):
    code_size.code_slider.value = 32
    wide = code_size.reconstructions.copy()
    assert "d = 32" in status_text(code_size)
    code_size.code_slider.value = 2
    assert "d = 2" in status_text(code_size)
    images = code_size.images
    assert _error(wide, images) < _error(code_size.reconstructions, images)
    assert figure_problems(code_size.fig) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"code_size": 5}, ValueError, "code_size"),
        ({"code_sizes": (8, 4)}, ValueError, "increasing"),
        ({"code_sizes": "248"}, TypeError, "code_sizes"),
        ({"code_sizes": (2, 100)}, ValueError, "code size"),
        ({"n_images": 0}, ValueError, "n_images"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"seed": -1}, ValueError, "seed"),
    ],
)
def test_code_size_explorer_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        CodeSizeExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# DenoisingExplorer
# ---------------------------------------------------------------------------------------------


def test_the_denoising_autoencoder_undoes_masking_better_than_a_plain_one():
    explorer = DenoisingExplorer(kind="masking", level=0.3)
    X_test = digits_split()[2]
    masked = explorer.corrupted != X_test
    assert np.all(explorer.corrupted[masked] == 0)
    errors = explorer.errors
    assert errors["denoising autoencoder"] < 0.9 * errors["plain autoencoder"]
    assert errors["plain autoencoder"] < errors["corrupted input"]
    assert figure_problems(explorer.fig) == []
    explorer.level_slider.value = 0.0
    np.testing.assert_array_equal(explorer.corrupted, X_test)
    assert explorer.errors["corrupted input"] == 0.0
    assert "error J" in status_text(explorer)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"kind": "blur"}, ValueError, "kind"),
        ({"level": 1.5}, ValueError, "level"),
        ({"level": "high"}, TypeError, "level"),
        ({"n_images": 20}, ValueError, "n_images"),
    ],
)
def test_denoising_explorer_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        DenoisingExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# SparseFeaturesExplorer
# ---------------------------------------------------------------------------------------------


def test_the_kl_penalty_pulls_every_unit_to_the_target_activation():
    explorer = SparseFeaturesExplorer(rho=0.05, epochs=10)
    assert explorer.features.shape == (100, 64)
    np.testing.assert_allclose(explorer.mean_activations.mean(), 0.05, atol=0.01)
    sparse_error = explorer.test_error
    explorer.rho_slider.value = 0.0
    assert explorer.mean_activations.mean() > 0.2
    assert explorer.test_error < sparse_error
    assert "no penalty" in status_text(explorer)
    assert figure_problems(explorer.fig) == []


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"rho": 0.07}, ValueError, "rho"),
        ({"rho": 2.0}, ValueError, "rho"),
        ({"beta": -1.0}, ValueError, "beta"),
        ({"epochs": 1.5}, TypeError, "epochs"),
    ],
)
def test_sparse_features_explorer_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        SparseFeaturesExplorer(**kwargs)


# ---------------------------------------------------------------------------------------------
# The demo: training with a student's functions, the PCA comparison, the figures
# ---------------------------------------------------------------------------------------------


def reference_loss(params, X, X_target, sparsity=None):
    # the exercise's contract, written out here (no sparsity needed by these tests)
    H = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    diff = H @ params["W2"] + params["b2"] - X_target
    m = len(X)
    dZ = (diff / m) @ params["W2"].T * H * (1 - H)
    grads = {"W1": X.T @ dZ, "b1": dZ.sum(0), "W2": H.T @ diff / m, "b2": diff.sum(0) / m}
    return float(np.sum(diff**2) / (2 * m)), grads


def adam(w, dw, state, lr=1e-2):
    t = state["t"] = state.get("t", 0) + 1
    state["m"] = 0.9 * state.get("m", 0.0) + 0.1 * dw
    state["v"] = 0.999 * state.get("v", 0.0) + 0.001 * dw**2
    return w - lr * (state["m"] / (1 - 0.9**t)) / (np.sqrt(state["v"] / (1 - 0.999**t)) + 1e-8)


def test_train_autoencoder_with_trains_and_reports_each_epoch():
    calls = []

    def corrupt(X, rng):
        calls.append(X.shape)
        return np.where(rng.random(X.shape) < 0.2, 0.0, X)

    run = train_autoencoder_with(
        reference_loss, adam, code_size=8, corrupt=corrupt, epochs=3, live=False, lr=1e-2
    )
    assert len(run["loss"]) == 3 * 17 and len(calls) == 3 * 17 and calls[0] == (64, 64)
    assert len(run["train_error"]) == len(run["test_error"]) == 3
    assert run["test_error"][-1] < run["test_error"][0]
    X_test = digits_split()[2]
    p = run["params"]
    H = 1 / (1 + np.exp(-(X_test @ p["W1"] + p["b1"])))
    np.testing.assert_allclose(run["test_error"][-1], _error(H @ p["W2"] + p["b2"], X_test))
    again = train_autoencoder_with(
        reference_loss, adam, code_size=8, corrupt=corrupt, epochs=3, live=False, lr=1e-2
    )
    assert again["loss"] == run["loss"]


@pytest.mark.parametrize(
    ("loss", "error", "fragment"),
    [
        (lambda p, X, T, s: 1.0, TypeError, "autoencoder_loss returned"),
        (lambda p, X, T, s: (1.0, [0, 0, 0, 0]), TypeError, "grads"),
        (
            lambda p, X, T, s: (1.0, {k: np.zeros(3) for k in ("W1", "b1", "W2", "b2")}),
            ValueError,
            "shape",
        ),
        (lambda p, X, T, s: ("low", {}), TypeError, "loss"),
    ],
)
def test_train_autoencoder_with_says_what_a_bad_loss_returned(loss, error, fragment):
    with pytest.raises(error, match=fragment):
        train_autoencoder_with(loss, adam, epochs=1, live=False)


@pytest.mark.parametrize(
    ("kwargs", "error", "fragment"),
    [
        ({"code_size": 0}, ValueError, "code_size"),
        ({"epochs": 0}, ValueError, "epochs"),
        ({"batch_size": 5000}, ValueError, "batch_size"),
        ({"corrupt": "masking"}, TypeError, "corrupt"),
        ({"live": 1}, TypeError, "live"),
        ({"momentum": 0.9}, TypeError, "step cannot be called"),
    ],
)
def test_train_autoencoder_with_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        train_autoencoder_with(reference_loss, adam, **kwargs)


def test_linear_autoencoders_match_pca_as_the_lecture_says():
    table = compare_linear_autoencoder_with_pca((2,))
    for k, row in table.items():
        assert row["pca_error"] <= row["autoencoder_error"] <= 1.02 * row["pca_error"]
        angles = row["principal_angles"]
        assert angles.shape == (k,) and np.all(np.diff(angles) <= 0)
        assert np.all(angles[1:] < 3.0)  # all but the direction nearly tied with the next one
        assert row["variance_ratio"] > 1.0


def test_the_figures_keep_the_rules_and_check_their_arguments():
    X_test, y_test = digits_split()[2:]
    assert figure_problems(plot_codes_vs_pca()) == []
    assert figure_problems(plot_reconstructions({"a": X_test[:4], "b": X_test[4:8]})) == []
    assert figure_problems(plot_codes(X_test[:50, :2], y_test[:50]).figure) == []
    with pytest.raises(ValueError, match="shape"):
        plot_reconstructions({"a": X_test[:4], "b": X_test[:5]})
    with pytest.raises(ValueError, match="at least one"):
        plot_reconstructions({})
    with pytest.raises(ValueError, match="codes"):
        plot_codes(X_test[:10], y_test[:10])


def test_digits_split_hands_out_copies():
    X_train = digits_split()[0]
    X_train[:] = 0
    assert digits_split()[0].any()
