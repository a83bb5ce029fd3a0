"""Offline, seeded data sets for the course.

Every generator is deterministic: the same arguments (including ``seed``) always give the
same arrays, and all randomness comes from ``numpy.random.default_rng(seed)``.

Conventions
-----------
* Examples are rows: ``X`` has shape ``(m, n)`` and ``y`` has shape ``(m,)``.
* Features and regression targets are float64; class labels are int64.

Contents
--------
housing              1 feature regression: price from size, with a known true line
housing_multi        3 feature regression on very different scales (feature scaling matters)
planar               2-D classification sets: blobs, circles, moons, spirals, xor
breast_cancer        scikit-learn's bundled breast-cancer set (binary classification)
digits               scikit-learn's bundled 8x8 handwritten digits (10 classes)
train_val_test_split shuffle and split into training, validation and test sets
(week 8, from dlcourse.corpus) wiki_articles, lee_corpus, wordsim353, simlex999,
analogy_questions, synthetic_corpus: text and word-similarity sets
"""

from __future__ import annotations

import numpy as np

from dlcourse._core.checks import check_int, is_int, is_real
from dlcourse.corpus import (  # noqa: F401  (week 8, re-exported)
    SYNTHETIC_TOPICS,
    analogy_questions,
    lee_corpus,
    simlex999,
    synthetic_corpus,
    wiki_articles,
    wordsim353,
)

__all__ = [
    "HOUSING_MULTI_TRUE_B",
    "HOUSING_MULTI_TRUE_W",
    "HOUSING_TRUE_B",
    "HOUSING_TRUE_W",
    "PLANAR_NAMES",
    "breast_cancer",
    "digits",
    "housing",
    "housing_multi",
    "planar",
    "train_val_test_split",
    # week 8 (dlcourse.corpus)
    "SYNTHETIC_TOPICS",
    "analogy_questions",
    "lee_corpus",
    "simlex999",
    "synthetic_corpus",
    "wiki_articles",
    "wordsim353",
]

HOUSING_TRUE_W: float = 150.0
"""True slope of the housing set: $1000s of price per 1000 sq ft."""

HOUSING_TRUE_B: float = 50.0
"""True intercept of the housing set, in $1000s."""

HOUSING_MULTI_TRUE_W: np.ndarray = np.array([0.12, 10.0, -1.5])
"""True weights of housing_multi: per sq ft, per bedroom, per year of age (in $1000s)."""
HOUSING_MULTI_TRUE_W.flags.writeable = False

HOUSING_MULTI_TRUE_B: float = 40.0
"""True intercept of housing_multi, in $1000s."""

PLANAR_NAMES: tuple[str, ...] = ("blobs", "circles", "moons", "spirals", "xor")
"""Names accepted by :func:`planar`."""

_PLANAR_DEFAULT_NOISE: dict[str, float] = {
    "blobs": 0.25,
    "circles": 0.08,
    "moons": 0.1,
    "spirals": 0.2,
    "xor": 0.1,
}
_PLANAR_DEFAULT_CLASSES: dict[str, int] = {"blobs": 2, "spirals": 3}
_MOONS_RADIUS = 0.8


# ---------------------------------------------------------------------------------------------
# Input validation
# ---------------------------------------------------------------------------------------------


def _check_noise(noise: object) -> float:
    """Return ``noise`` as a float, or raise if it is not a finite number >= 0."""
    if not is_real(noise):
        raise TypeError(f"noise must be a number >= 0, got {noise!r} ({type(noise).__name__})")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    return float(noise)


def _class_sizes(m: int, n_classes: int) -> np.ndarray:
    """Split ``m`` examples into ``n_classes`` sizes that differ by at most 1.

    Returns
    -------
    sizes : np.ndarray of int64, shape (n_classes,)
        The first ``m % n_classes`` classes get one extra example.
    """
    sizes = np.full(n_classes, m // n_classes, dtype=np.int64)
    sizes[: m % n_classes] += 1
    return sizes


def _labels_for_sizes(sizes: np.ndarray) -> np.ndarray:
    """Labels ``0, 0, ..., 1, 1, ...`` with ``sizes[k]`` copies of ``k``, shape (sum(sizes),)."""
    return np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)


def _shuffled(
    X: np.ndarray, y: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Apply one random permutation to the rows of ``X`` and ``y``."""
    order = rng.permutation(len(y))
    return X[order], y[order]


# ---------------------------------------------------------------------------------------------
# Regression sets
# ---------------------------------------------------------------------------------------------


def housing(m: int = 100, *, noise: float = 25.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """House prices from house sizes, scattered around a known straight line.

    ``price = HOUSING_TRUE_W * size + HOUSING_TRUE_B + Normal(0, noise)``, i.e.
    ``150 * size + 50`` plus noise.

    Parameters
    ----------
    m : int, default 100
        Number of houses (examples), > 0.
    noise : float, default 25.0
        Standard deviation of the Gaussian noise on the price, in $1000s. ``0`` puts every
        point exactly on the true line.
    seed : int, default 0
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    X : np.ndarray of float64, shape (m, 1)
        House sizes in 1000 sq ft, uniform in [0.5, 3.5].
    y : np.ndarray of float64, shape (m,)
        Prices in $1000s.
    """
    m = check_int(m, "m", 1)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    size = rng.uniform(0.5, 3.5, size=m)
    price = HOUSING_TRUE_W * size + HOUSING_TRUE_B + rng.normal(0.0, noise, size=m)
    return size.reshape(m, 1), price


def housing_multi(
    m: int = 200, *, noise: float = 25.0, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """House prices from three features on very different scales.

    The columns are deliberately left unscaled (thousands vs. single digits vs. tens), so
    gradient descent on the raw features converges badly and feature scaling visibly helps.
    ``price = X @ HOUSING_MULTI_TRUE_W + HOUSING_MULTI_TRUE_B + Normal(0, noise)``, with
    weights 0.12 per sq ft, 10 per bedroom, -1.5 per year of age and intercept 40.

    Parameters
    ----------
    m : int, default 200
        Number of houses (examples), > 0.
    noise : float, default 25.0
        Standard deviation of the Gaussian noise on the price, in $1000s (>= 0).
    seed : int, default 0
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    X : np.ndarray of float64, shape (m, 3)
        Columns: size in sq ft (uniform in [500, 3500]); number of bedrooms (whole numbers
        1..5 stored as float, larger houses tend to have more, but not perfectly); age in
        years (uniform in [0, 50]).
    y : np.ndarray of float64, shape (m,)
        Prices in $1000s.
    """
    m = check_int(m, "m", 1)
    noise = _check_noise(noise)
    rng = np.random.default_rng(seed)
    size_sqft = rng.uniform(500.0, 3500.0, size=m)
    # Bedrooms grow with size (about one per 700 sq ft) plus independent jitter, so the
    # columns are correlated like real data but never exactly collinear.
    bedrooms = np.clip(np.round(size_sqft / 700.0 + rng.normal(0.0, 0.7, size=m)), 1.0, 5.0)
    age_years = rng.uniform(0.0, 50.0, size=m)
    X = np.column_stack([size_sqft, bedrooms, age_years])
    y = X @ HOUSING_MULTI_TRUE_W + HOUSING_MULTI_TRUE_B + rng.normal(0.0, noise, size=m)
    return X, y


# ---------------------------------------------------------------------------------------------
# Planar (2-D) classification sets
# ---------------------------------------------------------------------------------------------


def _blobs(sizes: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Gaussian blobs with std ``noise`` around centres evenly spaced on a circle of radius 0.9."""
    angles = np.pi / 4 + 2 * np.pi * np.arange(len(sizes)) / len(sizes)
    centres = 0.9 * np.column_stack([np.cos(angles), np.sin(angles)])
    points = np.repeat(centres, sizes, axis=0)
    return points + rng.normal(0.0, noise, size=points.shape)


def _circles(sizes: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Class 0 on a ring of radius 1, class 1 on a ring of radius 0.5; Gaussian noise ``noise``."""
    radii = np.repeat([1.0, 0.5], sizes)
    angles = rng.uniform(0.0, 2 * np.pi, size=len(radii))
    points = radii[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    return points + rng.normal(0.0, noise, size=points.shape)


def _moons(sizes: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Two interleaving half circles of radius 0.8, centred on the origin; Gaussian noise ``noise``.

    Without noise, class 0 lies on ``0.8 * (cos t, sin t) - c`` and class 1 on
    ``0.8 * (1 - cos t, 0.5 - sin t) - c`` for t in [0, pi], with ``c = (0.4, 0.2)``.
    """
    t_upper = rng.uniform(0.0, np.pi, size=sizes[0])
    t_lower = rng.uniform(0.0, np.pi, size=sizes[1])
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    points = _MOONS_RADIUS * (np.vstack([upper, lower]) - np.array([0.5, 0.25]))
    return points + rng.normal(0.0, noise, size=points.shape)


def _spirals(sizes: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """K interleaved spiral arms (CS231n style); ``noise`` is the angle jitter in radians.

    Arm k runs from the origin out to radius 1 while turning through 4 radians; the K arms
    start at angles spread evenly around the circle.
    """
    n_classes = len(sizes)
    arms = []
    for k, size in enumerate(sizes):
        radius = np.linspace(0.0, 1.0, size)
        start = 2 * np.pi * k / n_classes
        angle = np.linspace(start, start + 4.0, size) + rng.normal(0.0, noise, size=size)
        arms.append(radius[:, None] * np.column_stack([np.sin(angle), np.cos(angle)]))
    return np.vstack(arms)


def _xor(sizes: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """Points in the unit square's quadrants: class 0 where the signs agree, class 1 where not.

    Noise is Gaussian with std ``noise`` on the magnitudes, folded back so no point ever leaves
    its quadrant: the rule ``label == (sign(x0) != sign(x1))`` holds exactly for any noise.
    """
    m = int(sizes.sum())
    magnitudes = np.abs(rng.uniform(0.0, 1.0, size=(m, 2)) + rng.normal(0.0, noise, size=(m, 2)))
    sign_x0 = rng.choice([-1.0, 1.0], size=m)
    same_signs = np.repeat([True, False], sizes)
    sign_x1 = np.where(same_signs, sign_x0, -sign_x0)
    return magnitudes * np.column_stack([sign_x0, sign_x1])


_PLANAR_GENERATORS = {
    "blobs": _blobs,
    "circles": _circles,
    "moons": _moons,
    "spirals": _spirals,
    "xor": _xor,
}


def _check_planar_name(name: object) -> str:
    """Return the lower-cased set name, or raise listing the valid names."""
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, one of: {', '.join(PLANAR_NAMES)}; got {name!r}")
    key = name.lower()
    if key not in PLANAR_NAMES:
        raise ValueError(f"unknown data set {name!r}; choose one of: {', '.join(PLANAR_NAMES)}")
    return key


def _check_n_classes(name: str, n_classes: object) -> int:
    """Return the number of classes for set ``name``, or raise if it is not allowed."""
    if n_classes is None:
        return _PLANAR_DEFAULT_CLASSES.get(name, 2)
    if not is_int(n_classes):
        raise TypeError(
            f"n_classes must be an integer >= 2, got {n_classes!r} ({type(n_classes).__name__})"
        )
    if name not in _PLANAR_DEFAULT_CLASSES:
        if n_classes != 2:
            allowed = " and ".join(repr(n) for n in _PLANAR_DEFAULT_CLASSES)
            raise ValueError(
                f"the {name!r} set is binary, so n_classes must be 2 (or None), got {n_classes}; "
                f"only {allowed} accept other values"
            )
        return 2
    if n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes}")
    return int(n_classes)


def planar(
    name: str,
    m: int = 200,
    *,
    noise: float | None = None,
    n_classes: int | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """A 2-D toy classification set, for plotting decision boundaries.

    All sets lie roughly within [-1.5, 1.5]^2, have balanced classes (sizes differ by at most
    1) and come with their rows shuffled.

    ======== ========= ======================================================== =============
    name     classes   description                                              default noise
    ======== ========= ======================================================== =============
    blobs    2 (any K) Gaussian blobs (std = noise) around K centres on a circle 0.25
    circles  2         class 0 on an outer ring (radius 1), class 1 on an inner  0.08
                       ring (radius 0.5); Gaussian noise on the coordinates
    moons    2         two interleaving half circles; Gaussian coordinate noise 0.1
    spirals  3 (any K) K interleaved spiral arms (CS231n style); noise is the    0.2
                       jitter of the angle, in radians. Not linearly separable,
                       but a small MLP fits it almost perfectly
    xor      2         points in the four quadrants, label 1 where the signs of  0.1
                       the two coordinates differ; noise jitters the points but
                       never moves one across an axis, so the rule is exact
    ======== ========= ======================================================== =============

    Parameters
    ----------
    name : str
        One of ``PLANAR_NAMES`` (any letter case).
    m : int, default 200
        Number of examples; must be at least the number of classes.
    noise : float or None, default None
        Amount of noise (>= 0, meaning per set as in the table); None uses the set's default.
    n_classes : int or None, default None
        Number of classes K >= 2; only "blobs" (default 2) and "spirals" (default 3) accept
        values other than 2. None uses the set's default.
    seed : int, default 0
        Seed for ``numpy.random.default_rng``.

    Returns
    -------
    X : np.ndarray of float64, shape (m, 2)
        The points.
    y : np.ndarray of int64, shape (m,)
        Class labels 0..K-1.
    """
    key = _check_planar_name(name)
    m = check_int(m, "m", 1)
    noise = _PLANAR_DEFAULT_NOISE[key] if noise is None else _check_noise(noise)
    k = _check_n_classes(key, n_classes)
    if m < k:
        raise ValueError(f"m must be at least n_classes={k} so every class gets examples, got {m}")
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(m, k)
    X = _PLANAR_GENERATORS[key](sizes, noise, rng)
    y = _labels_for_sizes(sizes)
    return _shuffled(X.astype(np.float64), y, rng)


# ---------------------------------------------------------------------------------------------
# scikit-learn's bundled sets (shipped with the package, no download)
# ---------------------------------------------------------------------------------------------


def breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """The Wisconsin diagnostic breast-cancer set bundled with scikit-learn.

    Returns
    -------
    X : np.ndarray of float64, shape (569, 30)
        30 real-valued features computed from images of cell nuclei (unscaled).
    y : np.ndarray of int64, shape (569,)
        scikit-learn's own label meaning: **0 = malignant, 1 = benign** (212 and 357 cases).
    """
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer()
    return np.array(bunch.data, dtype=np.float64), np.array(bunch.target, dtype=np.int64)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The 8x8 handwritten digits bundled with scikit-learn.

    Returns
    -------
    X : np.ndarray of float64, shape (1797, 64)
        Each row is one 8x8 image flattened row by row (``X[i].reshape(8, 8)`` gives the
        image back), with pixel intensities 0..16.
    y : np.ndarray of int64, shape (1797,)
        The digit shown, 0..9.
    """
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return np.array(bunch.data, dtype=np.float64), np.array(bunch.target, dtype=np.int64)


# ---------------------------------------------------------------------------------------------
# Splitting
# ---------------------------------------------------------------------------------------------


def _check_fractions(fractions: object) -> tuple[float, float, float]:
    """Return the three split fractions as floats, or raise explaining what is wrong."""
    try:
        values = tuple(fractions)  # type: ignore[arg-type]
    except TypeError:
        raise TypeError(
            f"fractions must be 3 numbers (train, val, test), got {fractions!r}"
        ) from None
    if len(values) != 3 or not all(is_real(v) for v in values):
        raise ValueError(f"fractions must be 3 numbers (train, val, test), got {fractions!r}")
    if any(not np.isfinite(v) or v < 0 for v in values):
        raise ValueError(f"fractions must all be >= 0, got {fractions!r}")
    if abs(sum(values) - 1.0) > 1e-9:
        raise ValueError(f"fractions must sum to 1, got {fractions!r} (sum {sum(values)!r})")
    return float(values[0]), float(values[1]), float(values[2])


def _split_sizes(m: int, fractions: tuple[float, float, float]) -> tuple[int, int, int]:
    """Sizes (n_train, n_val, n_test); raises if any split would be empty."""
    n_train = round(fractions[0] * m)
    n_val = round(fractions[1] * m)
    n_test = m - n_train - n_val
    for split, size in zip(("train", "validation", "test"), (n_train, n_val, n_test), strict=True):
        if size <= 0:
            raise ValueError(
                f"the {split} split would be empty: {m} examples with fractions {fractions} give "
                f"sizes (train, val, test) = ({n_train}, {n_val}, {max(n_test, 0)}); "
                "use more examples or larger fractions"
            )
    return n_train, n_val, n_test


def train_val_test_split(
    X: np.ndarray,
    y: np.ndarray,
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2),
    *,
    seed: int | None = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle the examples and split them into training, validation and test sets.

    Parameters
    ----------
    X : np.ndarray, shape (m, ...)
        Examples in rows, usually shape (m, n).
    y : np.ndarray, shape (m, ...)
        Targets, usually shape (m,).
    fractions : tuple of 3 floats, default (0.6, 0.2, 0.2)
        Fractions for (train, validation, test); each >= 0, summing to 1. The sizes are
        ``n_train = round(f0 * m)``, ``n_val = round(f1 * m)`` (Python's ``round``) and the
        test set gets the rest. Every split must come out non-empty.
    seed : int or None, default 0
        Seed for the one permutation drawn from ``numpy.random.default_rng(seed)``.
        ``None`` means no shuffling: the splits are consecutive blocks in the original order.

    Returns
    -------
    X_train, y_train, X_val, y_val, X_test, y_test : np.ndarray
        New arrays (copies; the inputs are never modified) with ``n_train``, ``n_val`` and
        ``n_test`` rows respectively.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"X and y must be arrays with examples in rows, got shapes {X.shape} and {y.shape}"
        )
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows (examples), got X with shape {X.shape} "
            f"and y with shape {y.shape}"
        )
    sizes = _split_sizes(X.shape[0], _check_fractions(fractions))
    if seed is None:
        order = np.arange(X.shape[0])
    else:
        order = np.random.default_rng(seed).permutation(X.shape[0])
    bounds = np.cumsum(sizes)[:-1]
    parts = np.split(order, bounds)
    return tuple(array[part] for part in parts for array in (X, y))  # type: ignore[return-value]
