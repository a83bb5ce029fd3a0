"""The private autoencoder maths of week 7 (dlcourse._core.autoencoder), checked against
independent references: the gradient checker, scikit-learn's PCA, and the statistics the
corruptions must have.

The last test is the issue's: a linear autoencoder trained with the course's training loop
reaches PCA's reconstruction error on the digits within 2% for code sizes 2, 8 and 16.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.decomposition import PCA

from dlcourse._core import autoencoder as core
from dlcourse.gradcheck import check_gradient


@pytest.fixture(scope="module")
def X_train() -> np.ndarray:
    return core.digits_split()[0]


def test_digits_split_is_the_week4_split_scaled_to_one_and_read_only():
    X_train, y_train, X_test, y_test = core.digits_split()
    assert X_train.shape == (1078, 64) and X_test.shape == (360, 64)
    assert y_train.shape == (1078,) and y_test.shape == (360,)
    assert X_train.max() == 1.0 and X_train.min() == 0.0
    with pytest.raises(ValueError):
        X_train[0, 0] = 5.0


@pytest.mark.parametrize("kind", core.CORRUPTIONS)
def test_corruptions_have_their_statistics_and_leave_x_alone(kind):
    rng = np.random.default_rng(0)
    X = rng.uniform(0.2, 0.8, (200, 100))
    X[0, :2] = -1.0, 3.0
    before = X.copy()
    out = core.corrupted(X, kind, 0.3, np.random.default_rng(1))
    np.testing.assert_array_equal(X, before)
    changed = out != X
    if kind == "gaussian":
        assert abs((out - X).std() - 0.3) < 0.01
    elif kind == "masking":
        assert np.all(out[changed] == 0) and abs(changed.mean() - 0.3) < 0.02
    else:
        assert np.all(np.isin(out[changed], (-1.0, 3.0))) and abs(changed.mean() - 0.3) < 0.02
        assert abs(np.mean(out[changed] == 3.0) - 0.5) < 0.03


def test_kl_penalty_is_zero_at_the_target_and_its_gradient_checks():
    value, grad = core.kl_penalty(0.2, np.full(4, 0.2))
    assert abs(value) < 1e-12 and np.allclose(grad, 0)
    q = np.array([0.05, 0.3, 0.6])
    value, grad = core.kl_penalty(0.1, q)
    expected = sum(0.1 * np.log(0.1 / p) + 0.9 * np.log(0.9 / (1 - p)) for p in q)
    np.testing.assert_allclose(value, expected, rtol=1e-12)
    check_gradient(lambda v: core.kl_penalty(0.1, v)[0], q.copy(), grad)


@pytest.mark.parametrize(
    ("activation", "sparsity"), [("sigmoid", None), ("sigmoid", (0.1, 2.0)), ("linear", None)]
)
def test_autoencoder_gradients_pass_the_gradient_checker(activation, sparsity):
    rng = np.random.default_rng(3)
    net = core.build_autoencoder(5, 3, activation=activation, sparsity=sparsity, rng=rng)
    net.params = [p + rng.normal(0, 0.1, p.shape) for p in net.params]
    X = rng.uniform(0, 1, (6, 5))
    target = np.clip(X + rng.normal(0, 0.1, X.shape), 0, 1)
    loss, grads = net.loss_and_grads(X, target)
    for index, g in enumerate(grads):

        def f(value, index=index):
            params = list(net.params)
            params[index] = value
            return core.Autoencoder(net.activation, params, sparsity).loss_and_grads(X, target)[0]

        check_gradient(f, net.params[index].copy(), g, name=net.names[index])
    residual = net.reconstruct(X) - target
    penalty = 0.0 if sparsity is None else 2.0 * core.kl_penalty(0.1, net.encode(X).mean(0))[0]
    np.testing.assert_allclose(loss, np.sum(residual**2) / 12 + penalty, rtol=1e-12)


def test_pca_matches_scikit_learn(X_train):
    ours = core.fit_pca(X_train, 5)
    theirs = PCA(n_components=5).fit(X_train)
    np.testing.assert_allclose(ours.components, theirs.components_, atol=1e-8)
    np.testing.assert_allclose(ours.encode(X_train), theirs.transform(X_train), atol=1e-8)
    np.testing.assert_allclose(
        core.digits_pca(5).reconstruct(X_train),
        theirs.inverse_transform(theirs.transform(X_train)),
        atol=1e-8,
    )


def test_trained_autoencoders_are_kept_read_only():
    first = core.digits_autoencoder(2, epochs=2)
    assert core.digits_autoencoder(2, epochs=2) is first
    assert not any(p.flags.writeable for p in first.params)


def test_a_linear_autoencoder_reaches_pca_within_two_percent_on_the_digits(X_train):
    for k in (2, 8, 16):
        net, losses = core.fit_autoencoder(
            X_train, k, activation="linear", epochs=80, lr_drop_epoch=50, seed=0
        )
        pca = PCA(n_components=k).fit(X_train)
        pca_error = np.sum((pca.inverse_transform(pca.transform(X_train)) - X_train) ** 2) / (
            2 * len(X_train)
        )
        error = np.sum((net.reconstruct(X_train) - X_train) ** 2) / (2 * len(X_train))
        assert pca_error <= error <= 1.02 * pca_error, (k, error, pca_error)
        assert losses[-1] < losses[0] / 3
