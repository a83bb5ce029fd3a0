"""The reference update rules of week 4 (for the optimizer race and the digits demo), their
runs on a 2-D surface, and the exponentially weighted average of the EWA explorer.

Students write these update rules themselves in the week-4 exercise, so nothing here is
exported: the library only uses them to compute what it draws. The rules and the fixed
hyperparameters are PyTorch's (``torch.optim`` with its defaults), for a gradient g at step
t = 1, 2, ...:

==========  ===================================================================================
sgd         p ← p − lr·g
momentum    v ← βv + g  (v = g at t = 1),  p ← p − lr·v
nesterov    v ← βv + g,  p ← p − lr·(g + βv)
adagrad     s ← s + g²,  p ← p − lr·g / (√s + 1e-10)
rmsprop     s ← αs + (1 − α)g² with α = 0.99,  p ← p − lr·g / (√s + 1e-8)
adadelta    s ← ρs + (1 − ρ)g²,  Δ = √(u + ε) / √(s + ε) · g,  u ← ρu + (1 − ρ)Δ²,  p ← p − lr·Δ
            with ρ = 0.9, ε = 1e-6
adam        m ← βm + (1 − β)g,  s ← β₂s + (1 − β₂)g² with β₂ = 0.999,
            p ← p − lr · (m / (1 − βᵗ)) / (√(s / (1 − β₂ᵗ)) + 1e-8)
==========  ===================================================================================

β is the race's β slider: the momentum coefficient of momentum and Nesterov, and Adam's β₁.
All operations are element-wise (on p = (x, y) in the race, on a weight array in the demo).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from dlcourse.surfaces import Surface


@dataclass(frozen=True)
class OptimizerInfo:
    """How the race and the demo name and group an optimizer.

    ``family`` is "sgd" for the rules whose step is lr times a gradient (or a sum of
    gradients), "adaptive" for those that divide by a running gradient size, so each step
    moves about lr whatever the gradient's scale, and "adadelta" for Adadelta, whose step
    size comes from its own running averages (torch's default lr = 1 leaves it unscaled).
    """

    label: str
    family: str
    uses_beta: bool


OPTIMIZER_INFO: dict[str, OptimizerInfo] = {
    "sgd": OptimizerInfo("SGD", "sgd", False),
    "momentum": OptimizerInfo("momentum", "sgd", True),
    "nesterov": OptimizerInfo("Nesterov", "sgd", True),
    "adagrad": OptimizerInfo("AdaGrad", "adaptive", False),
    "rmsprop": OptimizerInfo("RMSProp", "adaptive", False),
    "adadelta": OptimizerInfo("Adadelta", "adadelta", False),
    "adam": OptimizerInfo("Adam", "adaptive", True),
}

_RMSPROP_ALPHA = 0.99
_RMSPROP_EPS = 1e-8
_ADAGRAD_EPS = 1e-10
_ADADELTA_RHO = 0.9
_ADADELTA_EPS = 1e-6
_ADAM_BETA2 = 0.999
_ADAM_EPS = 1e-8

DIVERGED_RADIUS = 1e6
"""A run stops once its point is farther than this from the origin (it has diverged)."""


def reference_update(
    name: str, p: np.ndarray, g: np.ndarray, state: dict, t: int, lr: float, beta: float
) -> np.ndarray:
    """The point after one update of optimizer ``name`` (see the module docstring).

    ``p`` and ``g`` have shape (2,); ``state`` holds the running quantities, created here at
    t = 1 and updated in place afterwards.
    """
    if name == "sgd":
        return p - lr * g
    if name in ("momentum", "nesterov"):
        state["v"] = g.copy() if t == 1 else beta * state["v"] + g
        direction = g + beta * state["v"] if name == "nesterov" else state["v"]
        return p - lr * direction
    if name == "adagrad":
        state["s"] = state.get("s", 0.0) + g * g
        return p - lr * g / (np.sqrt(state["s"]) + _ADAGRAD_EPS)
    if name == "rmsprop":
        state["s"] = _RMSPROP_ALPHA * state.get("s", 0.0) + (1 - _RMSPROP_ALPHA) * g * g
        return p - lr * g / (np.sqrt(state["s"]) + _RMSPROP_EPS)
    if name == "adadelta":
        rho, eps = _ADADELTA_RHO, _ADADELTA_EPS
        state["s"] = rho * state.get("s", 0.0) + (1 - rho) * g * g
        delta = np.sqrt(state.get("u", 0.0) + eps) / np.sqrt(state["s"] + eps) * g
        state["u"] = rho * state.get("u", 0.0) + (1 - rho) * delta * delta
        return p - lr * delta
    if name == "adam":
        state["m"] = beta * state.get("m", 0.0) + (1 - beta) * g
        state["s"] = _ADAM_BETA2 * state.get("s", 0.0) + (1 - _ADAM_BETA2) * g * g
        m_hat = state["m"] / (1 - beta**t)
        s_hat = state["s"] / (1 - _ADAM_BETA2**t)
        return p - lr * m_hat / (np.sqrt(s_hat) + _ADAM_EPS)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(OPTIMIZER_INFO)}")


def run_on_surface(
    optimizer_name: str,
    surface: Surface,
    start: np.ndarray,
    lr: float,
    beta: float,
    steps: int,
) -> np.ndarray:
    """The points an optimizer visits on a surface, starting point first.

    The run stops early, without warnings, when a point or a gradient becomes NaN or infinite
    (that update is dropped) or a point lands farther than ``DIVERGED_RADIUS`` from the
    origin (that point is kept, and is the last).

    Parameters
    ----------
    optimizer_name : str
        A key of ``OPTIMIZER_INFO``.
    surface : Surface
    start : np.ndarray, shape (2,)
    lr : float
        The learning rate the rule uses (already scaled for its family by the caller).
    beta : float
        Momentum coefficient (momentum, Nesterov) and Adam's β₁; ignored by the others.
    steps : int
        Number of updates to try.

    Returns
    -------
    path : np.ndarray, shape (k + 1, 2)
        The start, then the point after each of the k updates made, k <= steps.
    """
    if optimizer_name not in OPTIMIZER_INFO:
        raise ValueError(
            f"unknown optimizer {optimizer_name!r}; choose one of {', '.join(OPTIMIZER_INFO)}"
        )
    p = np.array(start, dtype=np.float64).reshape(2)
    path = np.empty((steps + 1, 2), dtype=np.float64)
    path[0] = p
    count = 0
    state: dict = {}
    with np.errstate(all="ignore"):
        for t in range(1, steps + 1):
            g = np.array(surface._gradient(p[0], p[1]), dtype=np.float64)
            if not np.all(np.isfinite(g)):
                break
            p = reference_update(optimizer_name, p, g, state, t, lr, beta)
            if not np.all(np.isfinite(p)):
                break
            path[t] = p
            count = t
            if np.hypot(p[0], p[1]) > DIVERGED_RADIUS:
                break
    return path[: count + 1].copy()


def surface_grid(surface: Surface, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, Y, F): meshgrid of the surface's box and f on it, each of shape (size, size)."""
    X, Y = np.meshgrid(np.linspace(*surface.x_range, size), np.linspace(*surface.y_range, size))
    return X, Y, surface._value(X, Y)


def weighted_average(values: np.ndarray, beta: float, bias_correction: bool) -> np.ndarray:
    """Exponentially weighted averages v_1..v_n of θ_1..θ_n, shape (n,).

    v_0 = 0, v_t = β v_(t−1) + (1 − β) θ_t; with bias correction each v_t is divided by
    1 − β^t.
    """
    averages = np.empty_like(values, dtype=np.float64)
    v = 0.0
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1.0 - beta) * theta
        averages[t - 1] = v / (1.0 - beta**t) if bias_correction else v
    return averages
