"""Week 4's solution against PyTorch: update rules, gradient clipping and learning-rate decay.

The course promises (CONTRIBUTING.md) that every ``name_step`` of week 4 is ``torch.optim``'s update
rule with torch's defaults. These tests exec the answer cells of the week-4 source notebook
(``solutions/week04_optimizers/optimizers.ipynb``, in a namespace holding ``np`` and ``math``,
as its setup cell does) and run them side by side with PyTorch on the CPU in float64:

* each optimizer, at its defaults and with a few other hyperparameters, for 200 steps on four
  parameter arrays (shapes (1,), (40,), (8, 5), (2, 3, 4)) whose gradients come from
  ``numpy.random.default_rng`` -- no model, so the comparison is pure: every entry has its
  own scale from 1e-6 to 1e3, the signs change from step to step, some entries are always
  exactly zero and others are zero at random steps. After every step the new weights must
  match torch's to 1e-10 relative (absolute floor 1e-12);
* ``clip_grad_norm`` against ``torch.nn.utils.clip_grad_norm_`` (the norm and the clipped
  arrays), below, at and above ``max_norm``;
* ``step_decay``, ``exponential_decay`` and ``inverse_time_decay`` against ``StepLR``,
  ``ExponentialLR`` (gamma = e^-k) and ``LambdaLR`` (1 / (1 + k t)) over 50 epochs.

torch is not a course dependency; ``make test`` installs it (the ``torch-check`` extra of
pyproject.toml). Without it these tests skip locally, and fail in CI (environment variable
``CI`` set), so a broken install cannot pass unnoticed.
"""

from __future__ import annotations

import inspect
import math
from pathlib import Path

import numpy as np
import pytest
from helpers import require_torch, torch_or_skip

from autograder import notebooks

REPO = Path(__file__).resolve().parent.parent
SOLUTION = REPO / "solutions" / "week04_optimizers" / "optimizers.ipynb"
FUNCTIONS = (
    "sgd_step",
    "momentum_step",
    "adagrad_step",
    "rmsprop_step",
    "adadelta_step",
    "adam_step",
    "clip_grad_norm",
    "step_decay",
    "exponential_decay",
    "inverse_time_decay",
)
STEPS = 200
EPOCHS = 50
RTOL = 1e-10
ATOL = 1e-12
SHAPES = {"a": (1,), "b": (40,), "W": (8, 5), "T": (2, 3, 4)}
"""The parameter arrays each optimizer updates, by name (as a failure message names them)."""
SMALLEST_SCALE, LARGEST_SCALE = -6, 3
"""Each gradient entry has a fixed scale 10**e, e evenly spread over [-6, 3]."""
ALWAYS_ZERO = 0.1
SOMETIMES_ZERO = 0.1
"""Fractions of gradient entries that are always exactly 0, and of entries zeroed per step."""


torch = torch_or_skip()


@pytest.fixture(autouse=True)
def _torch_is_required_in_ci():
    require_torch(torch, "the week-4 comparison with torch.optim")


@pytest.fixture(scope="module")
def solution() -> dict:
    """The week-4 solution's functions, defined from the source notebook's answer cells."""
    if not SOLUTION.exists():
        pytest.fail(f"{SOLUTION.relative_to(REPO)} not found: it holds the functions under test")
    return notebooks.define_answers(SOLUTION, FUNCTIONS)


# ---------------------------------------------------------------------------------------------
# Update rules
# ---------------------------------------------------------------------------------------------

RULES = {
    # our function: (torch optimizer, our defaults, {our name: torch name})
    "sgd_step": ("SGD", {"lr": 1e-3}, {}),
    "momentum_step": (
        "SGD",
        {"lr": 1e-3, "beta": 0.9, "nesterov": False},
        {"beta": "momentum"},
    ),
    "adagrad_step": ("Adagrad", {"lr": 1e-2, "eps": 1e-10}, {}),
    "rmsprop_step": ("RMSprop", {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8}, {}),
    "adadelta_step": ("Adadelta", {"lr": 1.0, "rho": 0.9, "eps": 1e-6}, {}),
    "adam_step": ("Adam", {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, {}),
}
"""The contract's defaults (CONTRIBUTING.md): torch's, but momentum's beta (torch: 0)."""

CASES = [
    ("sgd_step", {}),
    ("sgd_step", {"lr": 0.1}),
    ("sgd_step", {"lr": 1e-6}),
    ("momentum_step", {}),
    ("momentum_step", {"nesterov": True}),
    ("momentum_step", {"lr": 0.05, "beta": 0.5}),
    ("momentum_step", {"lr": 0.01, "beta": 0.99, "nesterov": True}),
    ("momentum_step", {"beta": 0.0}),
    ("adagrad_step", {}),
    ("adagrad_step", {"lr": 0.5}),
    ("adagrad_step", {"lr": 1e-3, "eps": 1e-4}),
    ("rmsprop_step", {}),
    ("rmsprop_step", {"alpha": 0.9}),
    ("rmsprop_step", {"lr": 1e-3, "alpha": 0.5, "eps": 1e-4}),
    ("adadelta_step", {}),
    ("adadelta_step", {"rho": 0.5}),
    ("adadelta_step", {"lr": 0.1, "rho": 0.99, "eps": 1e-3}),
    ("adam_step", {}),
    ("adam_step", {"lr": 1e-2, "beta1": 0.5}),
    ("adam_step", {"beta2": 0.9, "eps": 1e-4}),
    ("adam_step", {"lr": 0.1, "beta1": 0.0, "beta2": 0.5}),
]


def _case_id(case: tuple[str, dict]) -> str:
    name, hyper = case
    return name + "(" + ", ".join(f"{k}={v!r}" for k, v in hyper.items()) + ")"


def _torch_optimizer(name: str, params: list, hyper: dict):
    """torch's optimizer for our rule ``name`` with our (complete) hyperparameters."""
    cls, _, rename = RULES[name]
    kwargs = {rename.get(k, k): v for k, v in hyper.items()}
    if "beta1" in kwargs:
        kwargs["betas"] = (kwargs.pop("beta1"), kwargs.pop("beta2"))
    return getattr(torch.optim, cls)(params, **kwargs)


def _gradient_stream(seed: int):
    """Yield {array name: gradient} for ever: entry scales 1e-6..1e3, sign changes, zeros."""
    rng = np.random.default_rng(seed)
    sizes = {key: math.prod(shape) for key, shape in SHAPES.items()}
    total = sum(sizes.values())
    exponents = rng.permutation(np.linspace(SMALLEST_SCALE, LARGEST_SCALE, total))
    scale = 10.0**exponents
    scale[rng.random(total) < ALWAYS_ZERO] = 0.0
    drift = rng.choice([-1.0, 0.0, 1.0], size=total)  # some entries keep mostly one sign
    bounds = np.cumsum(list(sizes.values()))[:-1]
    while True:
        g = scale * (drift + rng.normal(size=total))
        g[rng.random(total) < SOMETIMES_ZERO] = 0.0
        yield {
            key: part.reshape(SHAPES[key])
            for key, part in zip(SHAPES, np.split(g, bounds), strict=True)
        }


def _start_weights(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {key: rng.normal(size=shape) for key, shape in SHAPES.items()}


def _first_mismatch(ours: np.ndarray, theirs: np.ndarray) -> tuple | None:
    """Index of the worst entry off by more than RTOL (relative, floor ATOL), or None."""
    err = np.abs(ours - theirs)
    allowed = RTOL * np.abs(theirs) + ATOL
    bad = ~(err <= allowed)  # also catches NaN
    if not bad.any():
        return None
    worst = np.where(bad, np.nan_to_num(err / allowed, nan=np.inf), -np.inf)
    return np.unravel_index(int(np.argmax(worst)), err.shape)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_update_rule_matches_torch_optim(solution, case):
    name, hyper = case
    step = solution[name]
    full = {**RULES[name][1], **hyper}
    seed = CASES.index(case)
    ours = _start_weights(seed)
    params = {
        key: torch.tensor(w, dtype=torch.float64, requires_grad=True) for key, w in ours.items()
    }
    optimizer = _torch_optimizer(name, list(params.values()), full)
    states: dict[str, dict] = {key: {} for key in SHAPES}
    gradients = _gradient_stream(seed)
    for t in range(1, STEPS + 1):
        grads = next(gradients)
        for key, p in params.items():
            p.grad = torch.from_numpy(grads[key].copy())
        optimizer.step()
        for key in SHAPES:
            new = step(ours[key], grads[key].copy(), states[key], **hyper)
            new = np.asarray(new, dtype=np.float64)
            theirs = params[key].detach().numpy()
            assert new.shape == theirs.shape, (
                f"{_case_id(case)} step {t}, array {key!r}: returned shape {new.shape},"
                f" expected {theirs.shape}"
            )
            where = _first_mismatch(new, theirs)
            if where is not None:
                rel = abs(new[where] - theirs[where]) / max(abs(theirs[where]), ATOL)
                pytest.fail(
                    f"{_case_id(case)} differs from torch.optim.{RULES[name][0]} at step {t} of"
                    f" {STEPS}, array {key!r} {SHAPES[key]} entry {tuple(map(int, where))}:"
                    f" ours {float(new[where])!r}, torch {float(theirs[where])!r} (relative"
                    f" error {rel:.2e}, allowed {RTOL:g}); this step's gradient there"
                    f" {float(grads[key][where])!r}",
                    pytrace=False,
                )
            ours[key] = new


def test_our_defaults_are_torchs_defaults():
    """The defaults the cases assume are torch's own (momentum's beta aside: torch has 0)."""
    for name, (cls, defaults, rename) in RULES.items():
        signature = inspect.signature(getattr(torch.optim, cls)).parameters
        for ours, value in defaults.items():
            if name == "momentum_step" and ours == "beta":
                continue
            if ours in ("beta1", "beta2"):
                torch_default = signature["betas"].default[ours == "beta2"]
            else:
                torch_default = signature[rename.get(ours, ours)].default
            assert torch_default == value, (name, ours, torch_default, value)


def test_the_gradient_stream_covers_what_it_promises():
    g = np.concatenate([a.ravel() for a in next(_gradient_stream(0)).values()])
    nonzero = np.abs(g[g != 0])
    assert (g == 0).any() and (g > 0).any() and (g < 0).any()
    assert nonzero.min() < 1e-5 and nonzero.max() > 1e2


# ---------------------------------------------------------------------------------------------
# Gradient clipping
# ---------------------------------------------------------------------------------------------

CLIP_CASES = {
    # id: (shapes, exponent range of the entries' scales, max_norm as a multiple of the norm)
    "one array, far above": ([(30,)], (-2, 2), 0.01),
    "several arrays, above": ([(5, 4), (4,), (4, 3), (3,)], (-6, 3), 0.5),
    "several arrays, just above": ([(5, 4), (4,), (4, 3), (3,)], (-1, 1), 0.999),
    "several arrays, exactly max_norm": ([(5, 4), (4,)], (-1, 1), 1.0),
    "several arrays, below": ([(5, 4), (4,), (4, 3), (3,)], (-6, 3), 2.0),
    "several arrays, far below": ([(2, 3, 4), (7,)], (-3, 0), 1e6),
    "tiny gradients, tiny max_norm": ([(6,), (2, 2)], (-9, -7), 0.3),
}


@pytest.mark.parametrize("case", list(CLIP_CASES), ids=list(CLIP_CASES))
def test_clip_grad_norm_matches_torch(solution, case):
    shapes, (low, high), ratio = CLIP_CASES[case]
    rng = np.random.default_rng(len(case))
    grads = []
    for shape in shapes:
        scales = 10.0 ** rng.uniform(low, high, size=shape)
        g = scales * rng.normal(size=shape)
        g[rng.random(shape) < 0.1] = 0.0
        grads.append(g)
    norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
    max_norm = ratio * norm
    _compare_clipping(solution, case, grads, max_norm)


def test_clip_grad_norm_of_all_zero_gradients_matches_torch(solution):
    _compare_clipping(solution, "all zero", [np.zeros((3, 2)), np.zeros(4)], 1.0)


def _compare_clipping(solution, case: str, grads: list, max_norm: float) -> None:
    params = []
    for g in grads:
        p = torch.zeros(g.shape, dtype=torch.float64, requires_grad=True)
        p.grad = torch.from_numpy(g.copy())
        params.append(p)
    torch_norm = float(torch.nn.utils.clip_grad_norm_(params, max_norm))
    clipped, norm = solution["clip_grad_norm"]([g.copy() for g in grads], max_norm)
    assert math.isclose(norm, torch_norm, rel_tol=RTOL, abs_tol=ATOL), (
        f"{case}: total norm ours {norm!r}, torch {torch_norm!r}"
    )
    assert len(clipped) == len(grads), f"{case}: {len(clipped)} arrays back for {len(grads)}"
    for i, (ours, p) in enumerate(zip(clipped, params, strict=True)):
        theirs = p.grad.numpy()
        ours = np.asarray(ours)
        assert ours.shape == theirs.shape, f"{case}: array {i} has shape {ours.shape}"
        where = _first_mismatch(ours, theirs)
        assert where is None, (
            f"{case} (max_norm {max_norm:.6g}, norm {torch_norm:.6g}): clipped array {i} entry"
            f" {tuple(map(int, where))} is {float(ours[where])!r}, torch {float(theirs[where])!r}"
        )


# ---------------------------------------------------------------------------------------------
# Learning-rate schedules
# ---------------------------------------------------------------------------------------------


def _torch_lrs(lr0: float, make_scheduler) -> list[float]:
    """The learning rate of each epoch 0..EPOCHS-1 under a torch scheduler."""
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr0)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(EPOCHS):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()  # no gradient: changes nothing, but keeps torch's call order
        scheduler.step()
    return lrs


def _compare_schedule(label: str, ours_at, theirs: list[float]) -> None:
    for t, expected in enumerate(theirs):
        got = ours_at(t)
        assert math.isclose(got, expected, rel_tol=RTOL, abs_tol=0.0), (
            f"{label} at epoch t={t}: ours {got!r}, torch {expected!r}"
        )


@pytest.mark.parametrize(
    ("lr0", "step_size", "gamma"),
    [(0.1, 1, 0.5), (0.5, 7, None), (1.0, 10, 0.9), (3e-3, 3, 0.3), (2.0, 60, 0.5)],
)
def test_step_decay_matches_steplr(solution, lr0, step_size, gamma):
    extra = {} if gamma is None else {"gamma": gamma}
    theirs = _torch_lrs(
        lr0, lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=step_size, **extra)
    )
    _compare_schedule(
        f"step_decay({lr0}, t, {step_size}{', gamma=' + str(gamma) if extra else ''})",
        lambda t: solution["step_decay"](lr0, t, step_size, **extra),
        theirs,
    )


@pytest.mark.parametrize(("lr0", "k"), [(0.1, 0.05), (1.0, 0.5), (0.01, 1e-3), (2.0, 0.0)])
def test_exponential_decay_matches_exponentiallr(solution, lr0, k):
    theirs = _torch_lrs(
        lr0, lambda opt: torch.optim.lr_scheduler.ExponentialLR(opt, gamma=math.exp(-k))
    )
    _compare_schedule(
        f"exponential_decay({lr0}, t, {k})",
        lambda t: solution["exponential_decay"](lr0, t, k),
        theirs,
    )


@pytest.mark.parametrize(("lr0", "k"), [(0.1, 0.5), (1.0, 0.01), (0.05, 2.0), (0.3, 0.0)])
def test_inverse_time_decay_matches_lambdalr(solution, lr0, k):
    theirs = _torch_lrs(
        lr0, lambda opt: torch.optim.lr_scheduler.LambdaLR(opt, lambda t: 1 / (1 + k * t))
    )
    _compare_schedule(
        f"inverse_time_decay({lr0}, t, {k})",
        lambda t: solution["inverse_time_decay"](lr0, t, k),
        theirs,
    )
