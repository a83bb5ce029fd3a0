"""The private week-5 maths: batch normalization (``dlcourse._core.normalization``) and the
initialization schemes (``dlcourse._core.network.INIT_SCHEMES``) that the explorers use.

Expected values come from the definitions, written out here, and from numerical gradients;
torch is not needed (the solution's batch norm is checked against torch elsewhere)."""

from __future__ import annotations

import numpy as np
import pytest

from dlcourse._core.network import INIT_SCHEMES, build_network, draw_scheme, init_scale
from dlcourse._core.normalization import batch_norm_grads, batch_norm_layer, batch_norm_step
from dlcourse.gradcheck import check_gradient_array
from dlcourse.testing import check_draws


def test_batch_norm_step_normalizes_with_the_biased_variance_and_tracks_the_unbiased_one():
    z = np.array([[1.0, 0.0], [3.0, 2.0], [5.0, 10.0], [7.0, 4.0]])
    gamma, beta, state = np.array([2.0, 0.5]), np.array([1.0, -1.0]), {}
    out, _ = batch_norm_step(z, gamma, beta, state, training=True)
    # column means 4 and 4, biased variances 5 and 14, unbiased 20/3 and 56/3
    expected = gamma * (z - 4.0) / np.sqrt(np.array([5.0, 14.0]) + 1e-5) + beta
    np.testing.assert_allclose(out, expected)
    np.testing.assert_allclose(state["running_mean"], [0.4, 0.4])
    np.testing.assert_allclose(state["running_var"], [0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 56 / 3])
    before = {k: v.copy() for k, v in state.items()}
    out, _ = batch_norm_step(z, gamma, beta, state, training=False)
    np.testing.assert_allclose(
        out, gamma * (z - before["running_mean"]) / np.sqrt(before["running_var"] + 1e-5) + beta
    )
    for key in before:
        np.testing.assert_array_equal(state[key], before[key])


@pytest.mark.parametrize(("m", "d"), [(8, 3), (3, 5), (20, 1)])
def test_batch_norm_grads_agree_with_numerical_gradients(m, d):
    rng = np.random.default_rng(m + d)
    z, dout = rng.normal(size=(m, d)) * 3 + 1, rng.normal(size=(m, d))
    gamma, beta = rng.normal(size=d), rng.normal(size=d)
    _, cache = batch_norm_step(z, gamma, beta, {}, training=True)
    dz, dgamma, dbeta = batch_norm_grads(dout, cache)

    def out(z=z, gamma=gamma, beta=beta):
        return batch_norm_step(z, gamma, beta, {}, training=True)[0]

    check_gradient_array(lambda v: out(z=v), z.copy(), dout, dz, name="dz")
    check_gradient_array(lambda v: out(gamma=v), gamma.copy(), dout, dgamma, name="dgamma")
    check_gradient_array(lambda v: out(beta=v), beta.copy(), dout, dbeta, name="dbeta")


def test_batch_norm_layer_trains_inside_the_reference_network():
    from dlcourse._core.network import ACTIVATIONS, activation_layer

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(32, 4)), rng.integers(0, 3, size=32)
    net = build_network(
        (4, 6, 6, 3),
        activation=activation_layer(ACTIVATIONS["relu"]),
        init=lambda i, o, r: draw_scheme("he_normal", i, o, r),
        rng=rng,
        normalization=batch_norm_layer(),
    )
    assert net.names[-4:] == ["norm1[0]", "norm1[1]", "norm2[0]", "norm2[1]"]
    losses = []
    for _ in range(50):
        loss, grads = net.loss_and_grads(X, y)
        losses.append(loss)
        net.params = [p - 0.1 * g for p, g in zip(net.params, grads, strict=True)]
    assert losses[-1] < 0.8 * losses[0]
    assert all("running_mean" in state for state in net.norm_states)


@pytest.mark.parametrize("scheme", [s for s in INIT_SCHEMES if s != "zeros"])
def test_draw_scheme_draws_the_scheme_law_times_the_gain(scheme):
    distribution, scale = init_scale(scheme, 400, 100)
    expected = {
        "normal": 0.01,
        "uniform": 1 / np.sqrt(400),
        "xavier_uniform": np.sqrt(6 / 500),
        "xavier_normal": np.sqrt(2 / 500),
        "he_uniform": np.sqrt(6 / 400),
        "he_normal": np.sqrt(2 / 400),
    }[scheme]
    assert scale == pytest.approx(expected)
    W = draw_scheme(scheme, 400, 100, np.random.default_rng(1), gain=3.0)
    assert W.shape == (400, 100)
    check_draws(W, distribution=distribution, scale=3.0 * expected, name=scheme)


def test_draw_scheme_zeros_is_all_zero():
    assert not draw_scheme("zeros", 5, 3, np.random.default_rng(0)).any()
