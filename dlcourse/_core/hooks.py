"""A student's functions passed to the training harness (``train_digits_with``), checked as
they are called: every malformed result raises a TypeError or ValueError that names the
function, what it returned and what was expected.

Each ``*_hook`` turns a student's functions into what :mod:`dlcourse._core.network` takes.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from dlcourse._core.checks import check_callable, check_int, check_real, describe, is_real
from dlcourse._core.network import (
    ACTIVATIONS,
    INITIALIZERS,
    Dropout,
    Layer,
    Network,
    Normalization,
    activation_layer,
)


def check_step_accepts(step: Callable, hyperparameters: dict) -> None:
    """TypeError now, rather than mid-training, if ``step`` cannot take the hyperparameters."""
    try:
        signature = inspect.signature(step)
    except (TypeError, ValueError):  # some builtins have no signature: just try it later
        return
    try:
        signature.bind(None, None, None, **hyperparameters)
    except TypeError as error:
        given = "".join(f", {k}={v!r}" for k, v in hyperparameters.items())
        raise TypeError(
            f"step cannot be called as step(w, dw, state{given}): {error}. It must accept"
            " (w, dw, state) and every hyperparameter passed to train_digits_with by name"
        ) from None


def scheduled_lr(schedule: Callable, epoch: int) -> float:
    lr = schedule(epoch)
    if isinstance(lr, np.ndarray) and lr.size == 1:
        lr = lr.reshape(()).item()
    if not is_real(lr):
        raise TypeError(
            f"schedule({epoch}) returned {describe(lr)}: it must return the learning rate of"
            " that epoch as a number (did you forget `return`?)"
        )
    if not (np.isfinite(lr) and lr >= 0):
        raise ValueError(f"schedule({epoch}) returned {lr}: a learning rate must be >= 0")
    return float(lr)


def epoch_batches(
    minibatches: Callable,
    X: np.ndarray,
    y: np.ndarray,
    batch_size: int,
    rng: np.random.Generator,
    epoch: int,
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every (X_batch, y_batch) ``minibatches`` gives for one epoch, checked against the data.

    Raises TypeError or ValueError naming ``minibatches`` and what is wrong with its batches.
    """
    call = f"minibatches(X_train, y_train, {batch_size}, rng) (epoch {epoch})"
    result = minibatches(X, y, batch_size, rng)
    if result is None:
        raise TypeError(
            f"{call} returned None: it must yield (X_batch, y_batch) pairs (did you forget"
            " `yield`?)"
        )
    if isinstance(result, np.ndarray) or not isinstance(result, Iterable):
        raise TypeError(
            f"{call} returned {describe(result)}: it must yield (X_batch, y_batch) pairs"
        )
    m, n = X.shape
    batches = []
    for index, item in enumerate(result):
        if not (isinstance(item, (tuple, list)) and len(item) == 2):
            raise TypeError(
                f"{call}: batch {index} is {describe(item)}; each item must be a pair"
                " (X_batch, y_batch), e.g. `yield X[rows], y[rows]`"
            )
        X_batch, y_batch = np.asarray(item[0]), np.asarray(item[1])
        if X_batch.ndim != 2 or X_batch.shape[1] != n or y_batch.shape != X_batch.shape[:1]:
            raise ValueError(
                f"{call}: batch {index} has X_batch of shape {X_batch.shape} and y_batch of"
                f" shape {y_batch.shape}; expected (b, {n}) and (b,), b examples of X and y"
            )
        batches.append((X_batch, y_batch))
    sizes = [len(y_batch) for _, y_batch in batches]
    expected = [batch_size] * (m // batch_size) + ([m % batch_size] if m % batch_size else [])
    if sum(sizes) != m:
        raise ValueError(
            f"{call} yielded {len(sizes)} batches holding {sum(sizes)} examples in total; one"
            f" epoch must use each of the {m} training examples exactly once"
            + (" (is the last, smaller batch missing?)" if sum(sizes) < m else "")
        )
    if sizes != expected:
        shown = sizes if len(sizes) <= 8 else sizes[:4] + ["..."] + sizes[-3:]
        raise ValueError(
            f"{call} yielded batches of sizes {shown}; with {m} examples every batch but the"
            f" last must hold batch_size = {batch_size} examples and the last the"
            f" {m % batch_size or batch_size} left over"
        )
    X_seen = np.concatenate([X_batch for X_batch, _ in batches])
    y_seen = np.concatenate([y_batch for _, y_batch in batches])
    if not np.array_equal(_sorted_rows(X_seen), _sorted_rows(X)):
        raise ValueError(
            f"{call} repeats some training examples and leaves out others: one epoch must use"
            " each example exactly once (shuffle one permutation of the row indices and cut it"
            " into slices, rather than drawing rows at random)"
        )
    if not np.array_equal(
        _sorted_rows(np.column_stack([X_seen, y_seen])), _sorted_rows(np.column_stack([X, y]))
    ):
        raise ValueError(
            f"{call} pairs some rows of X with the wrong labels: X_batch and y_batch must be"
            " taken with the same row indices"
        )
    return batches


def _sorted_rows(A: np.ndarray) -> np.ndarray:
    """The rows of a 2-D array in lexicographic order (a canonical form of the multiset)."""
    return A[np.lexsort(A.T[::-1])]


def checked_step(
    step: Callable, w: np.ndarray, dw: np.ndarray, state: dict, hyper: dict, where: str
) -> np.ndarray:
    """``step(w, dw, state, **hyper)`` as a float64 array of w's shape, or a clear error."""
    new = step(w, dw, state, **hyper)
    if new is None:
        raise TypeError(
            f"step returned None for {where}: it must return the updated weights (did you"
            " forget `return`?)"
        )
    try:
        array = np.asarray(new, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(
            f"step returned {describe(new)} for {where}: it must return the updated weights, an"
            f" array of shape {w.shape}"
        ) from None
    if array.shape != w.shape:
        raise ValueError(
            f"step returned an array of shape {array.shape} for {where}: the updated weights"
            f" must have the shape of w, {w.shape}"
        )
    return array


def checked_clip(
    clip: Callable, grads: list[np.ndarray], names: list[str], where: str
) -> list[np.ndarray]:
    """The clipped gradients ``clip(grads)`` returns, checked; its norm is not used."""
    clipped, _ = returned_pair(
        clip([g.copy() for g in grads]),
        "clip",
        "a pair (clipped gradients, total norm), e.g. `clip=lambda g: clip_grad_norm(g, 5.0)`",
        f" at {where}",
    )
    if not (isinstance(clipped, (tuple, list)) and len(clipped) == len(grads)):
        raise TypeError(
            f"clip returned {describe(clipped)} as the clipped gradients at {where}: expected a"
            f" list of {len(grads)} arrays, the gradients of {', '.join(names)}"
        )
    checked = []
    for name, g, c in zip(names, grads, clipped, strict=True):
        try:
            array = np.asarray(c, dtype=np.float64)
        except (TypeError, ValueError):
            array = None
        if array is None or array.shape != g.shape:
            raise ValueError(
                f"clip returned {describe(c)} as the clipped gradient of {name} at {where};"
                f" expected an array of shape {g.shape}"
            )
        checked.append(array)
    return checked


def check_hidden(hidden: object) -> tuple[int, ...]:
    """``hidden`` as a tuple of layer widths: an int is one layer."""
    if isinstance(hidden, Sequence) and not isinstance(hidden, str):
        return tuple(check_int(h, f"hidden[{i}]", 1) for i, h in enumerate(hidden))
    return (check_int(hidden, "hidden", 1),)


def _check_tuple(value: object, name: str, parts: tuple[str, ...]) -> tuple[Callable, ...]:
    """``value`` as a tuple of len(parts) functions, or TypeError naming the parts."""
    contract = "(" + ", ".join(parts) + ")"
    if not (isinstance(value, (tuple, list)) and len(value) == len(parts)):
        raise TypeError(f"{name} must be a tuple of functions {contract}, got {describe(value)}")
    for part, fn in zip(parts, value, strict=True):
        check_callable(fn, f"{name}'s {part.split('(')[0]}", part)
    return tuple(value)


def returned_pair(
    result: object, what: str, contract: str, where: str = ""
) -> tuple[object, object]:
    """``result`` as a pair, else TypeError "{what} returned ...{where}: it must return ..."."""
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(f"{what} returned {describe(result)}{where}: it must return {contract}")
    return result[0], result[1]


def _pair(result: object, what: str, shape: tuple[int, ...]) -> tuple[np.ndarray, object]:
    """``result`` checked to be (array of ``shape``, anything), else TypeError/ValueError."""
    out, cache = returned_pair(result, what, "a pair (out, cache)")
    return _array(out, what, shape), cache


def _array(value: object, what: str, shape: tuple[int, ...]) -> np.ndarray:
    """``value`` as a float64 array of ``shape``, else TypeError/ValueError naming ``what``."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if array is None or array.shape != shape:
        raise (TypeError if array is None else ValueError)(
            f"{what} returned {describe(value)}; expected an array of shape {shape}"
        )
    return array


def activation_hook(activation: object) -> Layer:
    """A named activation, or the student's (forward, backward) pair, checked when called."""
    if isinstance(activation, str):
        names = tuple(ACTIVATIONS)
        if activation not in names:
            listed = ", ".join(repr(n) for n in names)
            raise ValueError(
                f"unknown activation {activation!r}; choose one of {listed}, or pass your pair"
                " (forward, backward)"
            )
        return activation_layer(ACTIVATIONS[activation])
    forward, backward = _check_tuple(
        activation, "activation", ("forward(z) -> (a, cache)", "backward(da, cache) -> dz")
    )
    return Layer(
        lambda z: _pair(forward(z), "activation's forward", z.shape),
        lambda da, cache: _array(backward(da, cache), "activation's backward", da.shape),
    )


def init_hook(init: object) -> Callable[[int, int, np.random.Generator], np.ndarray]:
    """A named initializer, or the student's ``init(fan_in, fan_out, rng)``, checked."""
    if isinstance(init, str):
        if init not in INITIALIZERS:
            listed = ", ".join(repr(n) for n in INITIALIZERS)
            raise ValueError(f"unknown init {init!r}; choose one of {listed}, or pass a function")
        return INITIALIZERS[init]
    check_callable(init, "init", "init(fan_in, fan_out, rng) -> W, or a name")
    return lambda n_in, n_out, rng: _array(
        init(n_in, n_out, rng), f"init({n_in}, {n_out}, rng)", (n_in, n_out)
    )


def normalization_hook(normalization: object) -> Normalization:
    """The student's (init, forward, backward) normalization layer, checked when called."""
    init, forward, backward = _check_tuple(
        normalization,
        "normalization",
        (
            "init(width) -> params",
            "forward(z, params, state, training) -> (out, cache)",
            "backward(dout, cache) -> (dz, param grads)",
        ),
    )

    def checked_init(width: int) -> list[np.ndarray]:
        params = init(width)
        if not isinstance(params, (tuple, list)):
            raise TypeError(
                f"normalization's init({width}) returned {describe(params)}: it must return a"
                " list of parameter arrays (possibly empty)"
            )
        return [np.array(p, dtype=np.float64) for p in params]

    def checked_backward(dout: np.ndarray, cache: object) -> tuple[np.ndarray, list]:
        dz, grads = _pair(backward(dout, cache), "normalization's backward", dout.shape)
        if not isinstance(grads, (tuple, list)):
            raise TypeError(
                f"normalization's backward returned {describe(grads)} as the parameter"
                " gradients: it must return (dz, list of gradients)"
            )
        return dz, list(grads)

    return Normalization(
        checked_init,
        lambda z, params, state, training: _pair(
            forward(z, params, state, training), "normalization's forward", z.shape
        ),
        checked_backward,
    )


def dropout_hook(dropout: object) -> Dropout:
    """The student's (forward, backward) dropout layer, checked when called."""
    forward, backward = _check_tuple(
        dropout,
        "dropout",
        ("forward(a, rng, training) -> (out, cache)", "backward(dout, cache) -> da"),
    )
    return Dropout(
        lambda a, rng, training: _pair(forward(a, rng, training), "dropout's forward", a.shape),
        lambda dout, cache: _array(backward(dout, cache), "dropout's backward", dout.shape),
    )


def checked_penalty(penalty: Callable, net: Network) -> Callable:
    """The student's ``penalty(weights) -> (value, grads)``, checked when called."""
    shapes = [W.shape for W in net.weights()]

    def checked(weights: list[np.ndarray]) -> tuple[float, list[np.ndarray]]:
        value, grads = returned_pair(
            penalty([W.copy() for W in weights]),
            "penalty",
            "(value, list of one gradient per weight matrix)",
        )
        value = check_real(value, "the penalty's value")
        if not (isinstance(grads, (tuple, list)) and len(grads) == len(shapes)):
            raise TypeError(
                f"penalty returned {describe(grads)} as the gradients: expected a list of"
                f" {len(shapes)} arrays, one per weight matrix W1..W{len(shapes)}"
            )
        return value, [
            _array(g, f"penalty (gradient of W{i})", shape)
            for i, (g, shape) in enumerate(zip(grads, shapes, strict=True), start=1)
        ]

    return checked


def callback_says_stop(callback: Callable, epoch: int, history: dict, net: Network) -> bool:
    """Call the student's ``callback(epoch, history, scores)``: True stops training."""
    answer = callback(epoch, {key: list(values) for key, values in history.items()}, net.scores)
    if answer is None or answer is False or answer is True:
        return bool(answer)
    if isinstance(answer, np.bool_):
        return bool(answer)
    raise TypeError(
        f"callback returned {describe(answer)} after epoch {epoch}: return True to stop"
        " training, None or False to go on"
    )
