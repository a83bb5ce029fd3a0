"""The hooks of train_digits_with (weeks 5–7 pass their own functions in), and the network and
training loop behind it (dlcourse._core.network, dlcourse._core.training)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import plain_step, shuffled_batches

from dlcourse._core.network import (
    ACTIVATIONS,
    INITIALIZERS,
    activation_layer,
    build_network,
)
from dlcourse._core.training import full_batch_descent, train
from dlcourse.optimizer_demo import train_digits_with

M_TRAIN = 1078
PER_EPOCH = math.ceil(M_TRAIN / 64)


def fast(**kwargs):
    settings = {"minibatches": shuffled_batches, "epochs": 2, "hidden": 16, "live": False}
    return train_digits_with(kwargs.pop("step", plain_step), **{**settings, **kwargs}, lr=0.2)


@pytest.fixture(scope="module")
def plain():
    return fast()


# -- the network ------------------------------------------------------------------------------


def _numeric_grads(net, X, y, h=1e-6):
    grads = []
    for p in net.params:
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            old = p[index]
            p[index] = old + h
            up = net.loss_and_grads(X, y)[0]
            p[index] = old - h
            down = net.loss_and_grads(X, y)[0]
            p[index] = old
            g[index] = (up - down) / (2 * h)
        grads.append(g)
    return grads


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "leaky_relu"])
def test_a_deep_networks_gradients_match_finite_differences(activation):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(7, 3)), rng.integers(0, 4, size=7)
    net = build_network(
        (3, 5, 4, 4),
        activation=activation_layer(ACTIVATIONS[activation]),
        init=INITIALIZERS["lecun"],
        rng=rng,
    )
    assert net.names == ["W1", "b1", "W2", "b2", "W3", "b3"]
    _, grads = net.loss_and_grads(X, y)
    for name, g, numeric in zip(net.names, grads, _numeric_grads(net, X, y), strict=True):
        assert np.allclose(g, numeric, atol=1e-7), name


def test_the_initializers_have_the_documented_spread():
    rng = np.random.default_rng(1)
    assert np.std(INITIALIZERS["he"](400, 300, rng)) == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert np.std(INITIALIZERS["lecun"](400, 300, rng)) == pytest.approx(1 / 20, rel=0.02)


def test_full_batch_descent_keeps_the_last_finite_weights_when_the_cost_overflows():
    rng = np.random.default_rng(0)
    X, y = 50 * rng.normal(size=(40, 2)), rng.integers(0, 2, size=40)

    def net():
        return build_network(
            (2, 8, 2),
            activation=activation_layer(ACTIVATIONS["linear"]),
            init=INITIALIZERS["lecun"],
            rng=np.random.default_rng(0),
        )

    steady = net()
    costs = full_batch_descent(steady, X, y, lr=1e-4, num_iters=20)
    assert costs.shape == (20,) and costs[-1] < costs[0]
    wild = net()
    costs = full_batch_descent(wild, X, y, lr=1e6, num_iters=200)
    assert 0 < costs.size < 200 and np.all(np.isfinite(costs))
    assert np.isfinite(wild.loss(X, y)) and wild.loss(X, y) == costs[-1]


def test_train_stops_when_the_epoch_callback_says_so():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(10, 2)), rng.integers(0, 2, size=10)
    net = build_network(
        (2, 3, 2),
        activation=activation_layer(ACTIVATIONS["relu"]),
        init=INITIALIZERS["he"],
        rng=rng,
    )
    ends = []
    run = train(
        net,
        ((e, X, y, True) for e in range(10)),
        lambda i, p, g, state, t, epoch: p - 0.1 * g,
        on_epoch_end=lambda epoch, net: ends.append(epoch) or epoch == 3,
    )
    assert ends == [0, 1, 2, 3] and run.stopped_at_epoch == 3 and len(run.losses) == 4


# -- train_digits_with's hooks ------------------------------------------------------------------


def test_the_defaults_are_the_week4_network(plain):
    assert fast(hidden=(16,), activation="relu", init="he") == plain


def test_depth_and_width_give_one_weight_array_per_layer():
    shapes = []

    def recording_step(w, dw, state, lr):
        shapes.append(w.shape)
        return w - lr * dw

    fast(step=recording_step, hidden=(12, 8), epochs=1, batch_size=M_TRAIN)
    assert shapes == [(64, 12), (12,), (12, 8), (8,), (8, 10), (10,)]


def test_a_named_activation_and_init_change_the_run(plain):
    assert fast(activation="tanh")["loss"] != plain["loss"]
    lecun = fast(init="lecun")
    assert lecun["loss"] != plain["loss"] and lecun["test_accuracy"][-1] > 0.5


def test_the_students_activation_and_init_are_called_and_used(plain):
    calls = {"forward": 0, "backward": 0, "init": []}

    def relu_fwd(z):
        calls["forward"] += 1
        return np.maximum(z, 0), z

    def relu_bwd(da, z):
        calls["backward"] += 1
        return da * (z > 0)

    def he(n_in, n_out, rng):
        calls["init"].append((n_in, n_out))
        return rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out))

    run = fast(activation=(relu_fwd, relu_bwd), init=he)
    assert run == plain  # the same maths as the built-in ReLU and He init
    assert calls["init"] == [(64, 16), (16, 10)]
    assert calls["backward"] == 2 * PER_EPOCH
    assert calls["forward"] > calls["backward"]  # also when measuring accuracy


def test_a_normalization_layer_is_trained_and_run_in_test_mode_for_accuracy(plain):
    seen = {"training": [], "params": []}

    def init(width):
        return [np.ones(width), np.zeros(width)]

    def forward(z, params, state, training):
        gamma, beta = params
        seen["training"].append(training)
        seen["params"].append(gamma.copy())
        mean, var = z.mean(axis=0), z.var(axis=0) + 1e-5
        if training:
            state["mean"], state["var"] = mean, var
        else:
            mean, var = state["mean"], state["var"]
        x_hat = (z - mean) / np.sqrt(var)
        return gamma * x_hat + beta, (x_hat, gamma, var)

    def backward(dout, cache):
        x_hat, gamma, var = cache
        dx_hat = dout * gamma
        dz = (dx_hat - dx_hat.mean(axis=0) - x_hat * (dx_hat * x_hat).mean(axis=0)) / np.sqrt(var)
        return dz, [np.sum(dout * x_hat, axis=0), np.sum(dout, axis=0)]

    run = fast(normalization=(init, forward, backward))
    assert run["loss"] != plain["loss"] and run["test_accuracy"][-1] > 0.8
    assert True in seen["training"] and False in seen["training"]
    assert not np.array_equal(seen["params"][0], seen["params"][-1])  # gamma was stepped


def test_dropout_gets_the_runs_generator_and_is_off_when_measuring_accuracy(plain):
    modes = []

    def forward(a, rng, training):
        modes.append(training)
        if not training:
            return a, None
        mask = (rng.random(a.shape) >= 0.5) / 0.5
        return a * mask, mask

    run = fast(dropout=(forward, lambda dout, mask: dout * mask))
    assert run["loss"] != plain["loss"]
    assert modes.count(True) == 2 * PER_EPOCH and False in modes
    identity = fast(dropout=(lambda a, rng, training: (a, None), lambda dout, _: dout))
    assert identity == plain


def test_a_weight_penalty_is_added_to_the_loss_and_shrinks_the_weights(plain):
    seen = []

    def l2(weights):
        seen.append([W.shape for W in weights])
        return 0.5 * sum(float(np.sum(W * W)) for W in weights), [W for W in weights]

    run = fast(penalty=l2)
    assert seen[0] == [(64, 16), (16, 10)]
    assert run["loss"][0] > plain["loss"][0] + 1  # the penalty is part of the loss
    zero = fast(penalty=lambda weights: (0.0, [np.zeros_like(W) for W in weights]))
    assert zero == plain


def test_a_callback_sees_each_epoch_and_can_stop_training_early(plain):
    seen = []

    def stop_after_first(epoch, history, scores):
        seen.append((epoch, len(history["test_accuracy"]), scores(np.zeros((3, 64))).shape))
        return True

    run = fast(epochs=5, callback=stop_after_first)
    assert seen == [(0, 1, (3, 10))]
    assert len(run["loss"]) == PER_EPOCH and len(run["test_accuracy"]) == 1
    assert run["loss"] == plain["loss"][:PER_EPOCH]
    assert fast(callback=lambda epoch, history, scores: None) == plain


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"hidden": (16, 0)}, ValueError, r"hidden\[1\] must be a positive integer"),
        ({"hidden": "16"}, TypeError, r"hidden must be a positive integer"),
        ({"activation": "swish"}, ValueError, r"unknown activation 'swish'.*'relu'"),
        ({"activation": (np.tanh,)}, TypeError, r"activation must be a tuple of functions"),
        ({"init": "xavier"}, ValueError, r"unknown init 'xavier'; choose one of 'he', 'lecun'"),
        ({"init": 3}, TypeError, r"init must be a function"),
        ({"init": lambda n_in, n_out, rng: np.zeros(3)}, ValueError, r"init\(64, 16, rng\)"),
        ({"normalization": (len, len)}, TypeError, r"normalization must be a tuple"),
        ({"dropout": [None, None]}, TypeError, r"dropout's forward must be a function"),
        ({"penalty": 0.01}, TypeError, r"penalty must be a function"),
        ({"penalty": lambda ws: 0.1}, TypeError, r"penalty returned float 0.1"),
        ({"callback": True}, TypeError, r"callback must be a function"),
        ({"callback": lambda e, h, s: "stop"}, TypeError, r"callback returned str 'stop'"),
        (
            {"activation": (lambda z: z, lambda da, c: da)},
            TypeError,
            r"activation's forward returned an array .*pair \(out, cache\)",
        ),
        (
            {"dropout": (lambda a, rng, t: (a[:, :2], None), lambda d, c: d)},
            ValueError,
            r"dropout's forward returned an array of shape \(64, 2\).*\(64, 16\)",
        ),
    ],
)
def test_bad_hooks_give_clear_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        fast(**kwargs)
