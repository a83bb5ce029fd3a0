"""The reference network maths: activations and their derivatives, softmax, initializers, and
a fully connected classifier of any depth and width trained on the mean softmax cross-entropy.

Students write activations, the affine layer, softmax cross-entropy and a two-layer network
themselves (weeks 2 and 3), so nothing here is public; no name here is a graded function's.

Conventions: examples in rows; a layer's weights ``W`` have shape (fan_in, fan_out) and its
bias ``b`` shape (fan_out,). The network's parameters are one flat list
``[W1, b1, W2, b2, ..., WL, bL]`` followed by the normalization layers' parameters (if any),
in the order the optimizer steps them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

LEAKY_SLOPE = 0.01
"""Slope of leaky ReLU for z <= 0."""


def log_softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise log of the softmax of Z, shape (k, c), via the max-shifted log-sum-exp."""
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_rows(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax of Z, shape (k, c); every row sums to 1 and nothing overflows."""
    return np.exp(log_softmax(Z))


def logistic(z: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-z)) elementwise, written so that exp never sees a positive argument."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@dataclass(frozen=True)
class Activation:
    """An element-wise activation g with its derivative g′.

    ``value(z)`` is g(z); ``slope(z, g_z)`` is g′(z), given z and the already computed
    ``g_z = g(z)`` (sigmoid and tanh express their derivative through g, which saves
    recomputing it). ``label``, ``formula`` and ``slope_formula`` are texts for figures.
    """

    label: str
    value: Callable[[np.ndarray], np.ndarray]
    slope: Callable[[np.ndarray, np.ndarray], np.ndarray]
    formula: str = ""
    slope_formula: str = ""


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation(
        "sigmoid",
        logistic,
        lambda z, s: s * (1.0 - s),
        "g(z) = 1 / (1 + e^(−z))",
        "g′(z) = g(z) · (1 − g(z))",
    ),
    "tanh": Activation(
        "tanh",
        np.tanh,
        lambda z, t: 1.0 - t**2,
        "g(z) = tanh(z)",
        "g′(z) = 1 − tanh²(z)",
    ),
    "relu": Activation(
        "ReLU",
        lambda z: np.maximum(z, 0.0),
        lambda z, _: (z > 0).astype(np.float64),
        "g(z) = max(0, z)",
        "g′(z) = 1 for z > 0, else 0",
    ),
    "leaky_relu": Activation(
        f"leaky ReLU (α = {LEAKY_SLOPE:g})",
        lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
        lambda z, _: np.where(z > 0, 1.0, LEAKY_SLOPE),
        f"g(z) = z for z > 0, else {LEAKY_SLOPE:g}·z",
        f"g′(z) = 1 for z > 0, else {LEAKY_SLOPE:g}",
    ),
    "linear": Activation(
        "linear (identity)",
        lambda z: np.array(z, dtype=np.float64, copy=True),
        lambda z, _: np.ones_like(z, dtype=np.float64),
        "g(z) = z",
        "g′(z) = 1",
    ),
}
"""The activations by name, in menu order."""


def he_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """He-normal weights, W ~ N(0, 2 / n_in), shape (n_in, n_out) (suits ReLU)."""
    return rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out))


def lecun_normal(n_in: int, n_out: int, rng: np.random.Generator) -> np.ndarray:
    """Weights W ~ N(0, 1 / n_in) (standard deviation 1/√n_in), shape (n_in, n_out)."""
    return rng.normal(0.0, 1.0 / np.sqrt(n_in), size=(n_in, n_out))


INITIALIZERS: dict[str, Callable[[int, int, np.random.Generator], np.ndarray]] = {
    "he": he_normal,
    "lecun": lecun_normal,
}
"""Weight initializers by name; each is ``init(n_in, n_out, rng) -> W``. Biases start at 0."""


INIT_SCHEMES: dict[str, tuple[str, Callable[[int, int], float]]] = {
    "zeros": ("zeros", lambda n_in, n_out: 0.0),
    "normal": ("normal", lambda n_in, n_out: 0.01),
    "uniform": ("uniform", lambda n_in, n_out: 1.0 / np.sqrt(n_in)),
    "xavier_uniform": ("uniform", lambda n_in, n_out: np.sqrt(6.0 / (n_in + n_out))),
    "xavier_normal": ("normal", lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out))),
    "he_uniform": ("uniform", lambda n_in, n_out: np.sqrt(6.0 / n_in)),
    "he_normal": ("normal", lambda n_in, n_out: np.sqrt(2.0 / n_in)),
}
"""The week-5 initialization schemes by name, in menu order: (distribution, scale(n_in, n_out)),
the scale being σ of N(0, σ²) or the bound a of U(−a, a) (seed 003's formulas; torch.nn.init's
with gain 1 for Xavier and ``kaiming_*_(mode="fan_in", nonlinearity="relu")`` for He).
"normal" is the small-random N(0, 0.01²)."""


def init_scale(scheme: str, n_in: int, n_out: int) -> tuple[str, float]:
    """(distribution, scale) of an :data:`INIT_SCHEMES` scheme for a (n_in, n_out) layer."""
    distribution, scale = INIT_SCHEMES[scheme]
    return distribution, float(scale(n_in, n_out))


def draw_scheme(
    scheme: str, n_in: int, n_out: int, rng: np.random.Generator, gain: float = 1.0
) -> np.ndarray:
    """Weights of shape (n_in, n_out) drawn from ``scheme`` with its scale times ``gain``."""
    distribution, scale = init_scale(scheme, n_in, n_out)
    scale *= gain
    if distribution == "zeros":
        return np.zeros((n_in, n_out))
    if distribution == "uniform":
        return rng.uniform(-scale, scale, size=(n_in, n_out))
    return rng.normal(0.0, scale, size=(n_in, n_out))


@dataclass(frozen=True)
class Layer:
    """An element-wise layer in the course's convention: ``forward(z) -> (a, cache)`` and
    ``backward(da, cache) -> dz`` (e.g. a student's ``relu_forward`` and ``relu_backward``)."""

    forward: Callable[[np.ndarray], tuple[np.ndarray, object]]
    backward: Callable[[np.ndarray, object], np.ndarray]


def activation_layer(activation: Activation) -> Layer:
    """``activation`` as a :class:`Layer` (its cache is (z, g(z)))."""

    def forward(z: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray]]:
        a = activation.value(z)
        return a, (z, a)

    def backward(da: np.ndarray, cache: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        return da * activation.slope(*cache)

    return Layer(forward, backward)


@dataclass(frozen=True)
class Normalization:
    """A normalization layer applied to every hidden layer's pre-activation (e.g. batch norm).

    ``init(width) -> params`` makes one layer's parameters (a list of arrays, may be empty);
    ``forward(z, params, state, training) -> (out, cache)`` with ``z`` of shape (b, width) and
    ``state`` the layer's own dict, kept for the whole run (for running averages);
    ``backward(dout, cache) -> (dz, param_grads)``, the gradients in the order of ``params``.
    """

    init: Callable[[int], Sequence[np.ndarray]]
    forward: Callable[..., tuple[np.ndarray, object]]
    backward: Callable[..., tuple[np.ndarray, Sequence[np.ndarray]]]


@dataclass(frozen=True)
class Dropout:
    """A dropout layer applied to every hidden layer's activations.

    ``forward(a, rng, training) -> (out, cache)``, ``backward(dout, cache) -> da``; ``rng`` is
    the run's Generator.
    """

    forward: Callable[..., tuple[np.ndarray, object]]
    backward: Callable[..., np.ndarray]


Penalty = Callable[[list[np.ndarray]], tuple[float, Sequence[np.ndarray]]]
"""``penalty(weights) -> (value, grads)``: a weight penalty on [W1, ..., WL] (not the biases)."""


@dataclass
class Network:
    """A fully connected classifier: (affine → [normalization] → activation → [dropout]) per
    hidden layer, then affine → softmax. ``sizes`` = (n_inputs, hidden..., n_classes)."""

    sizes: tuple[int, ...]
    activation: Layer
    params: list[np.ndarray]
    names: list[str]
    normalization: Normalization | None = None
    dropout: Dropout | None = None
    norm_states: list[dict] = field(default_factory=list)
    _norm_slices: list[slice] = field(default_factory=list)
    _targets: tuple = (None, None)

    @property
    def n_layers(self) -> int:
        """Number of affine layers."""
        return len(self.sizes) - 1

    def weights(self) -> list[np.ndarray]:
        """[W1, ..., WL] (the arrays a weight penalty acts on)."""
        return self.params[0 : 2 * self.n_layers : 2]

    def _forward(
        self, X: np.ndarray, training: bool, rng: np.random.Generator | None
    ) -> tuple[np.ndarray, list]:
        """Class scores of shape (k, n_classes) and each hidden layer's cache."""
        act = self.activation
        a = X
        caches = []
        last = self.n_layers - 1
        for i in range(last + 1):
            z = a @ self.params[2 * i] + self.params[2 * i + 1]
            if i == last:
                return z, caches
            norm_cache = drop_cache = None
            if self.normalization is not None:
                z, norm_cache = self.normalization.forward(
                    z, self.params[self._norm_slices[i]], self.norm_states[i], training
                )
            h, act_cache = act.forward(z)
            out = h
            if self.dropout is not None:
                out, drop_cache = self.dropout.forward(h, rng, training)
            caches.append((act_cache, out, norm_cache, drop_cache))
            a = out
        raise AssertionError("unreachable")  # pragma: no cover

    def hidden_outputs(self, X: np.ndarray) -> list[np.ndarray]:
        """Each hidden layer's output (after its activation) for X, training mode: arrays of
        shape (k, width), first hidden layer first."""
        with np.errstate(all="ignore"):
            _, caches = self._forward(np.asarray(X, dtype=np.float64), True, None)
        return [cache[1] for cache in caches]

    def _scores_gradient(self, log_p: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """d(mean cross-entropy)/d(scores) = (softmax - one-hot(y)) / m, shape (m, classes).

        Full-batch training passes the same ``y`` every time: from the second call on its
        one-hot matrix is kept, which is quicker than subtracting at fancy indices.
        """
        seen, onehot = self._targets
        if seen is y:
            if onehot is None:
                onehot = np.zeros_like(log_p)
                onehot[rows, y] = 1.0
                self._targets = (y, onehot)
            return (np.exp(log_p) - onehot) / len(y)
        self._targets = (y, None)
        d = np.exp(log_p)
        d[rows, y] -= 1.0
        d /= len(y)
        return d

    def scores(self, X: np.ndarray) -> np.ndarray:
        """Class scores (logits) of points X of shape (k, n_inputs), test mode: (k, classes)."""
        with np.errstate(all="ignore"):
            return self._forward(np.asarray(X, dtype=np.float64), False, None)[0]

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Class labels of points X, int64 array of shape (k,) (overflow stays silent)."""
        return np.argmax(self.scores(X), axis=1).astype(np.int64)

    def loss(self, X: np.ndarray, y: np.ndarray) -> float:
        """Mean softmax cross-entropy of labels y, shape (m,), in test mode."""
        log_p = log_softmax(self.scores(X))
        return -float(np.mean(log_p[np.arange(len(y)), y]))

    def loss_and_grads(
        self,
        X: np.ndarray,
        y: np.ndarray,
        *,
        rng: np.random.Generator | None = None,
        penalty: Penalty | None = None,
    ) -> tuple[float, list[np.ndarray]]:
        """Training-mode mean cross-entropy (plus ``penalty``) on (X, y) and its gradients.

        The gradients are in the order of ``params``.
        """
        scores, caches = self._forward(X, True, rng)
        log_p = log_softmax(scores)
        rows = np.arange(len(y))
        loss = -float(np.mean(log_p[rows, y]))
        d = self._scores_gradient(log_p, y, rows)
        grads: list = [None] * len(self.params)
        for i in range(self.n_layers - 1, -1, -1):
            a_in = X if i == 0 else caches[i - 1][1]
            grads[2 * i] = a_in.T @ d
            grads[2 * i + 1] = d.sum(axis=0)
            if i == 0:
                break
            act_cache, _, norm_cache, drop_cache = caches[i - 1]
            d = d @ self.params[2 * i].T
            if self.dropout is not None:
                d = self.dropout.backward(d, drop_cache)
            d = self.activation.backward(d, act_cache)
            if self.normalization is not None:
                d, norm_grads = self.normalization.backward(d, norm_cache)
                where = self._norm_slices[i - 1]
                if len(norm_grads) != where.stop - where.start:
                    raise ValueError(
                        f"the normalization's backward returned {len(norm_grads)} parameter"
                        f" gradients; its init made {where.stop - where.start} parameters"
                    )
                grads[where] = list(norm_grads)
        if penalty is not None:
            value, weight_grads = penalty(self.weights())
            loss += float(value)
            for i, g in enumerate(weight_grads):
                grads[2 * i] = grads[2 * i] + g
        return loss, grads


def build_network(
    sizes: Sequence[int],
    *,
    activation: Layer,
    init: Callable[[int, int, np.random.Generator], np.ndarray],
    rng: np.random.Generator,
    normalization: Normalization | None = None,
    dropout: Dropout | None = None,
) -> Network:
    """A network with fresh weights: ``init`` draws W1, W2, ... in that order from ``rng``.

    The biases start at zero; each normalization layer's parameters come from its ``init``.
    """
    sizes = tuple(int(n) for n in sizes)
    params, names = [], []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        params += [init(n_in, n_out, rng), np.zeros(n_out)]
        names += [f"W{i}", f"b{i}"]
    net = Network(sizes, activation, params, names, normalization, dropout)
    if normalization is not None:
        for i, width in enumerate(sizes[1:-1], start=1):
            layer = [np.asarray(p, dtype=np.float64) for p in normalization.init(width)]
            net._norm_slices.append(slice(len(params), len(params) + len(layer)))
            params += layer
            names += [f"norm{i}[{j}]" for j in range(len(layer))]
            net.norm_states.append({})
    return net
