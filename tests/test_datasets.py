"""Tests for dlcourse.datasets."""

import numpy as np
import pytest

from dlcourse import datasets
from dlcourse.datasets import (
    HOUSING_MULTI_TRUE_B,
    HOUSING_MULTI_TRUE_W,
    HOUSING_TRUE_B,
    HOUSING_TRUE_W,
    PLANAR_NAMES,
    breast_cancer,
    digits,
    housing,
    housing_multi,
    planar,
    train_val_test_split,
)

# ---------------------------------------------------------------------------------------------
# Shared argument validation (m, noise)
# ---------------------------------------------------------------------------------------------

GENERATORS = {
    "housing": housing,
    "housing_multi": housing_multi,
    "planar": lambda *args, **kwargs: planar("moons", *args, **kwargs),
}


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
@pytest.mark.parametrize("m", [0, -3])
def test_non_positive_m_raises_value_error(generate, m):
    with pytest.raises(ValueError, match=f"m must be a positive integer, got {m}"):
        generate(m)


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
@pytest.mark.parametrize("m", [2.5, 10.0, True, "10", None])
def test_non_integer_m_raises_type_error(generate, m):
    with pytest.raises(TypeError, match="m must be a positive integer"):
        generate(m)


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
def test_numpy_integer_m_is_accepted(generate):
    X, y = generate(np.int64(12))
    assert X.shape[0] == 12 and y.shape == (12,)


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
def test_negative_noise_raises_value_error(generate):
    with pytest.raises(ValueError, match="noise must be a finite number >= 0, got -1"):
        generate(20, noise=-1.0)


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
def test_non_numeric_noise_raises_type_error(generate):
    with pytest.raises(TypeError, match="noise must be a number >= 0"):
        generate(20, noise="high")


@pytest.mark.parametrize("generate", GENERATORS.values(), ids=GENERATORS.keys())
def test_same_seed_same_data_different_seed_different_data(generate):
    X1, y1 = generate(50, seed=3)
    X2, y2 = generate(50, seed=3)
    X3, y3 = generate(50, seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_generators_do_not_touch_global_numpy_random_state():
    np.random.seed(123)
    expected = np.random.random(3)
    np.random.seed(123)
    housing(10)
    housing_multi(10)
    for name in PLANAR_NAMES:
        planar(name, 10)
    train_val_test_split(np.zeros((10, 2)), np.zeros(10))
    np.testing.assert_array_equal(np.random.random(3), expected)


# ---------------------------------------------------------------------------------------------
# housing
# ---------------------------------------------------------------------------------------------


def test_housing_constants():
    assert HOUSING_TRUE_W == 150.0
    assert HOUSING_TRUE_B == 50.0


def test_housing_shapes_dtypes_and_size_range():
    X, y = housing(80)
    assert X.shape == (80, 1) and X.dtype == np.float64
    assert y.shape == (80,) and y.dtype == np.float64
    assert X.min() >= 0.5 and X.max() <= 3.5
    # Sizes really spread over the interval.
    assert X.min() < 0.7 and X.max() > 3.3


def test_housing_defaults():
    X, y = housing()
    assert X.shape == (100, 1) and y.shape == (100,)


def test_housing_without_noise_lies_exactly_on_the_true_line():
    X, y = housing(50, noise=0.0)
    np.testing.assert_array_equal(y, HOUSING_TRUE_W * X[:, 0] + HOUSING_TRUE_B)


def test_housing_fit_recovers_the_true_line():
    X, y = housing(1000, seed=1)
    slope, intercept = np.polyfit(X[:, 0], y, deg=1)
    assert slope == pytest.approx(HOUSING_TRUE_W, abs=5.0)
    assert intercept == pytest.approx(HOUSING_TRUE_B, abs=10.0)


def test_housing_noise_is_the_standard_deviation_of_the_residuals():
    X, y = housing(4000, noise=25.0, seed=2)
    residuals = y - (HOUSING_TRUE_W * X[:, 0] + HOUSING_TRUE_B)
    assert np.std(residuals) == pytest.approx(25.0, rel=0.05)
    assert abs(np.mean(residuals)) < 2.0


# ---------------------------------------------------------------------------------------------
# housing_multi
# ---------------------------------------------------------------------------------------------


def test_housing_multi_constants():
    assert HOUSING_MULTI_TRUE_W.shape == (3,)
    assert HOUSING_MULTI_TRUE_W.dtype == np.float64
    np.testing.assert_array_equal(HOUSING_MULTI_TRUE_W, [0.12, 10.0, -1.5])
    assert HOUSING_MULTI_TRUE_B == 40.0


def test_housing_multi_true_weights_are_read_only():
    with pytest.raises(ValueError):
        HOUSING_MULTI_TRUE_W[0] = 1.0


def test_housing_multi_shapes_dtypes_and_feature_ranges():
    X, y = housing_multi(300)
    assert X.shape == (300, 3) and X.dtype == np.float64
    assert y.shape == (300,) and y.dtype == np.float64
    size, bedrooms, age = X.T
    assert size.min() >= 500 and size.max() <= 3500
    assert set(np.unique(bedrooms)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert len(np.unique(bedrooms)) >= 4
    assert age.min() >= 0 and age.max() <= 50


def test_housing_multi_defaults():
    X, y = housing_multi()
    assert X.shape == (200, 3) and y.shape == (200,)


def test_housing_multi_features_are_on_very_different_scales():
    X, _ = housing_multi(300)
    spreads = X.std(axis=0)
    assert spreads.max() / spreads.min() > 100


def test_housing_multi_features_are_not_collinear():
    X, _ = housing_multi(300)
    design = np.column_stack([X, np.ones(len(X))])
    assert np.linalg.matrix_rank(design) == 4
    correlations = np.corrcoef(X.T)[np.triu_indices(3, k=1)]
    assert np.all(np.abs(correlations) < 0.95)


def test_housing_multi_without_noise_follows_the_true_weights():
    X, y = housing_multi(40, noise=0.0)
    np.testing.assert_allclose(y, X @ HOUSING_MULTI_TRUE_W + HOUSING_MULTI_TRUE_B, rtol=1e-12)


def test_housing_multi_least_squares_recovers_the_true_weights():
    X, y = housing_multi(3000, seed=5)
    design = np.column_stack([X, np.ones(len(X))])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    np.testing.assert_allclose(coef[:3], HOUSING_MULTI_TRUE_W, rtol=0.1)
    assert coef[3] == pytest.approx(HOUSING_MULTI_TRUE_B, abs=10.0)


# ---------------------------------------------------------------------------------------------
# planar
# ---------------------------------------------------------------------------------------------


def test_planar_names():
    assert PLANAR_NAMES == ("blobs", "circles", "moons", "spirals", "xor")


@pytest.mark.parametrize("name", PLANAR_NAMES)
def test_planar_shapes_dtypes_and_range(name):
    X, y = planar(name, 301)
    assert X.shape == (301, 2) and X.dtype == np.float64
    assert y.shape == (301,) and y.dtype == np.int64
    assert np.all(np.isfinite(X))
    assert np.abs(X).max() < 2.0
    assert np.mean(np.all(np.abs(X) <= 1.5, axis=1)) > 0.95


@pytest.mark.parametrize("name", PLANAR_NAMES)
def test_planar_default_m_is_200(name):
    X, y = planar(name)
    assert X.shape == (200, 2) and y.shape == (200,)


@pytest.mark.parametrize(
    ("name", "expected_classes"),
    [("blobs", 2), ("circles", 2), ("moons", 2), ("spirals", 3), ("xor", 2)],
)
@pytest.mark.parametrize("m", [200, 301, 7])
def test_planar_default_classes_are_balanced(name, expected_classes, m):
    _, y = planar(name, m)
    counts = np.bincount(y)
    assert len(counts) == expected_classes
    assert counts.max() - counts.min() <= 1
    assert counts.sum() == m


@pytest.mark.parametrize("name", ["blobs", "spirals"])
@pytest.mark.parametrize("n_classes", [2, 4, 5])
def test_planar_multiclass_sets_accept_n_classes(name, n_classes):
    _, y = planar(name, 103, n_classes=n_classes)
    counts = np.bincount(y)
    assert len(counts) == n_classes
    assert counts.max() - counts.min() <= 1


@pytest.mark.parametrize("name", ["circles", "moons", "xor"])
def test_planar_binary_sets_reject_other_n_classes(name):
    with pytest.raises(ValueError, match=f"the '{name}' set is binary, so n_classes must be 2"):
        planar(name, n_classes=3)


@pytest.mark.parametrize("name", ["circles", "moons", "xor"])
def test_planar_binary_sets_accept_n_classes_2(name):
    _, y = planar(name, n_classes=2)
    assert set(np.unique(y)) == {0, 1}


@pytest.mark.parametrize("n_classes", [1, 0, -2])
def test_planar_n_classes_below_2_raises(n_classes):
    with pytest.raises(ValueError, match=f"n_classes must be an integer >= 2, got {n_classes}"):
        planar("blobs", n_classes=n_classes)


def test_planar_non_integer_n_classes_raises_type_error():
    with pytest.raises(TypeError, match="n_classes must be an integer >= 2"):
        planar("spirals", n_classes=3.0)


def test_planar_m_smaller_than_n_classes_raises():
    with pytest.raises(ValueError, match="m must be at least n_classes=3"):
        planar("spirals", 2)


def test_planar_unknown_name_lists_the_valid_names():
    with pytest.raises(
        ValueError,
        match="unknown data set 'moon'; choose one of: blobs, circles, moons, spirals, xor",
    ):
        planar("moon")


def test_planar_name_must_be_a_string():
    with pytest.raises(TypeError, match="name must be a string"):
        planar(3)


def test_planar_name_is_case_insensitive():
    X1, y1 = planar("Moons", 50)
    X2, y2 = planar("moons", 50)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)


@pytest.mark.parametrize("name", PLANAR_NAMES)
def test_planar_seeds(name):
    X1, y1 = planar(name, 60, seed=7)
    X2, y2 = planar(name, 60, seed=7)
    X3, _ = planar(name, 60, seed=8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", PLANAR_NAMES)
def test_planar_rows_are_shuffled(name):
    _, y = planar(name, 100)
    assert not np.all(np.diff(y) >= 0)


@pytest.mark.parametrize("name", ["blobs", "circles", "moons"])
def test_planar_noise_is_the_standard_deviation_of_gaussian_coordinate_noise(name):
    X_clean, y_clean = planar(name, 2000, noise=0.0, seed=1)
    X_noisy, y_noisy = planar(name, 2000, noise=0.3, seed=1)
    np.testing.assert_array_equal(y_clean, y_noisy)
    assert np.std(X_noisy - X_clean) == pytest.approx(0.3, rel=0.05)


@pytest.mark.parametrize("name", PLANAR_NAMES)
def test_planar_default_noise_is_not_zero(name):
    X_default, _ = planar(name, 50)
    X_clean, _ = planar(name, 50, noise=0.0)
    assert not np.array_equal(X_default, X_clean)


def test_planar_blobs_without_noise_sit_on_the_centres():
    X, y = planar("blobs", 40, noise=0.0, n_classes=4)
    for k in range(4):
        assert len(np.unique(X[y == k], axis=0)) == 1
    assert len(np.unique(X, axis=0)) == 4


def test_planar_xor_label_is_1_exactly_where_signs_differ():
    for noise in (None, 0.0, 0.5):
        X, y = planar("xor", 400, noise=noise)
        np.testing.assert_array_equal(y, (np.sign(X[:, 0]) != np.sign(X[:, 1])).astype(np.int64))


def test_planar_xor_fills_all_four_quadrants():
    X, _ = planar("xor", 400)
    quadrants = {(bool(a), bool(b)) for a, b in X > 0}
    assert len(quadrants) == 4


def test_planar_circles_without_noise_are_two_rings():
    X, y = planar("circles", 200, noise=0.0)
    radius = np.linalg.norm(X, axis=1)
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.5)


def test_planar_moons_without_noise_lie_on_two_half_circles():
    X, y = planar("moons", 200, noise=0.0)
    points = X / 0.8 + np.array([0.5, 0.25])
    upper, lower = points[y == 0], points[y == 1]
    np.testing.assert_allclose(np.linalg.norm(upper, axis=1), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    np.testing.assert_allclose(np.linalg.norm(lower - [1.0, 0.5], axis=1), 1.0)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)


def test_planar_blobs_are_separable_by_nearest_centroid():
    X, y = planar("blobs", 300, n_classes=4)
    centroids = np.array([X[y == k].mean(axis=0) for k in range(4)])
    nearest = np.argmin(np.linalg.norm(X[:, None, :] - centroids[None], axis=2), axis=1)
    assert np.mean(nearest == y) > 0.9


def _least_squares_training_accuracy(X, y):
    design = np.column_stack([X, np.ones(len(X))])
    targets = np.eye(y.max() + 1)[y]  # one-vs-rest
    coef = np.linalg.lstsq(design, targets, rcond=None)[0]
    return np.mean(np.argmax(design @ coef, axis=1) == y)


def test_planar_spirals_defeat_a_linear_classifier():
    X, y = planar("spirals", 300)
    assert _least_squares_training_accuracy(X, y) < 0.6


def test_planar_blobs_are_fit_by_a_linear_classifier():
    # Sanity check of the helper above: it does work on linearly separable data.
    X, y = planar("blobs", 300, n_classes=3)
    assert _least_squares_training_accuracy(X, y) > 0.9


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_planar_spirals_are_learnable_by_a_small_mlp():
    from sklearn.neural_network import MLPClassifier

    X, y = planar("spirals", 300)
    # A capped number of L-BFGS steps keeps this fast; it already fits all but the few points
    # where the arms meet at the origin.
    mlp = MLPClassifier(hidden_layer_sizes=(64,), solver="lbfgs", max_iter=200, random_state=0)
    assert mlp.fit(X, y).score(X, y) >= 0.97


# ---------------------------------------------------------------------------------------------
# breast_cancer, digits
# ---------------------------------------------------------------------------------------------


def test_breast_cancer_arrays():
    X, y = breast_cancer()
    assert X.shape == (569, 30) and X.dtype == np.float64
    assert y.shape == (569,) and y.dtype == np.int64
    assert isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    # scikit-learn's meaning: 0 = malignant (212 cases), 1 = benign (357 cases).
    np.testing.assert_array_equal(np.bincount(y), [212, 357])


def test_breast_cancer_returns_fresh_arrays():
    X1, _ = breast_cancer()
    X1[0, 0] = -1.0
    X2, _ = breast_cancer()
    assert X2[0, 0] != -1.0


def test_digits_arrays():
    X, y = digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 16.0
    np.testing.assert_array_equal(X, np.round(X))
    np.testing.assert_array_equal(np.unique(y), np.arange(10))


def test_digits_rows_are_flattened_8x8_images():
    from sklearn.datasets import load_digits

    X, _ = digits()
    np.testing.assert_array_equal(X[5].reshape(8, 8), load_digits().images[5])


# ---------------------------------------------------------------------------------------------
# train_val_test_split
# ---------------------------------------------------------------------------------------------


def _ids(m):
    """X whose first column identifies the row, and y equal to that id."""
    ids = np.arange(m)
    return np.column_stack([ids, ids * 10]).astype(np.float64), ids.astype(np.int64)


def test_split_sizes_follow_the_fractions():
    X, y = _ids(10)
    parts = train_val_test_split(X, y)
    assert [len(p) for p in parts] == [6, 6, 2, 2, 2, 2]
    parts = train_val_test_split(*_ids(7), (0.6, 0.2, 0.2))
    # round(4.2) = 4, round(1.4) = 1, the test set gets the rest.
    assert [len(p) for p in parts[::2]] == [4, 1, 2]


def test_split_partitions_the_examples_exactly_once():
    X, y = _ids(101)
    X_tr, y_tr, X_va, y_va, X_te, y_te = train_val_test_split(X, y, (0.5, 0.3, 0.2), seed=4)
    all_ids = np.concatenate([y_tr, y_va, y_te])
    np.testing.assert_array_equal(np.sort(all_ids), np.arange(101))
    assert len(set(y_tr) & set(y_va)) == 0
    assert len(set(y_tr) & set(y_te)) == 0
    assert len(set(y_va) & set(y_te)) == 0
    # Rows of X stay with their labels.
    for X_part, y_part in [(X_tr, y_tr), (X_va, y_va), (X_te, y_te)]:
        np.testing.assert_array_equal(X_part[:, 0], y_part)
        np.testing.assert_array_equal(X_part[:, 1], 10 * y_part)


def test_split_shuffles_deterministically():
    X, y = _ids(50)
    first = train_val_test_split(X, y, seed=1)
    again = train_val_test_split(X, y, seed=1)
    other = train_val_test_split(X, y, seed=2)
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert not np.array_equal(first[1], np.arange(30))  # actually shuffled


def test_split_uses_one_permutation_from_default_rng():
    X, y = _ids(20)
    order = np.random.default_rng(9).permutation(20)
    _, y_tr, _, y_va, _, y_te = train_val_test_split(X, y, seed=9)
    np.testing.assert_array_equal(np.concatenate([y_tr, y_va, y_te]), order)


def test_split_without_seed_keeps_the_order():
    X, y = _ids(10)
    X_tr, y_tr, X_va, y_va, X_te, y_te = train_val_test_split(X, y, seed=None)
    np.testing.assert_array_equal(y_tr, np.arange(6))
    np.testing.assert_array_equal(y_va, [6, 7])
    np.testing.assert_array_equal(y_te, [8, 9])
    np.testing.assert_array_equal(X_te, X[8:])


def test_split_does_not_modify_inputs_and_returns_copies():
    X, y = _ids(20)
    X_before, y_before = X.copy(), y.copy()
    for seed in (0, None):
        parts = train_val_test_split(X, y, seed=seed)
        np.testing.assert_array_equal(X, X_before)
        np.testing.assert_array_equal(y, y_before)
        for part in parts:
            assert not np.shares_memory(part, X) and not np.shares_memory(part, y)
        parts[0][:] = -1.0
        np.testing.assert_array_equal(X, X_before)


def test_split_keeps_dtypes_and_trailing_shape():
    X = np.zeros((10, 3, 4), dtype=np.float32)
    y = np.arange(10, dtype=np.int64)
    X_tr, y_tr, *_ = train_val_test_split(X, y)
    assert X_tr.shape == (6, 3, 4) and X_tr.dtype == np.float32
    assert y_tr.dtype == np.int64


@pytest.mark.parametrize("fractions", [(0.8, 0.2), (0.5, 0.2, 0.2, 0.1), (0.6, "0.2", 0.2)])
def test_split_fractions_must_be_three_numbers(fractions):
    with pytest.raises(ValueError, match=r"fractions must be 3 numbers \(train, val, test\)"):
        train_val_test_split(*_ids(10), fractions)


def test_split_fractions_not_a_sequence_raises_type_error():
    with pytest.raises(TypeError, match="fractions must be 3 numbers"):
        train_val_test_split(*_ids(10), 0.6)


def test_split_negative_fraction_raises():
    with pytest.raises(ValueError, match="fractions must all be >= 0"):
        train_val_test_split(*_ids(10), (0.9, -0.1, 0.2))


@pytest.mark.parametrize("fractions", [(0.6, 0.2, 0.1), (0.6, 0.3, 0.3)])
def test_split_fractions_must_sum_to_1(fractions):
    with pytest.raises(ValueError, match="fractions must sum to 1"):
        train_val_test_split(*_ids(10), fractions)


def test_split_fractions_sum_tolerance():
    parts = train_val_test_split(*_ids(10), (0.7, 0.2, 0.1))  # sums to 0.9999999999999999
    assert sum(len(p) for p in parts[::2]) == 10


def test_split_mismatched_rows_raises():
    with pytest.raises(ValueError, match=r"same number of rows.*\(10, 2\).*\(9,\)"):
        train_val_test_split(np.zeros((10, 2)), np.zeros(9))


@pytest.mark.parametrize(
    ("m", "fractions", "split"),
    [(3, (0.6, 0.2, 0.2), "test"), (10, (0.0, 0.5, 0.5), "train"), (10, (0.9, 0.04, 0.06), "val")],
)
def test_split_empty_split_raises(m, fractions, split):
    with pytest.raises(ValueError, match=f"the {split}[a-z]* split would be empty"):
        train_val_test_split(*_ids(m), fractions)


def test_split_scalar_input_raises():
    with pytest.raises(ValueError, match="examples in rows"):
        train_val_test_split(np.float64(1.0), np.zeros(1))


def test_module_exports():
    missing = [name for name in datasets.__all__ if not hasattr(datasets, name)]
    assert not missing, f"__all__ names undefined attributes: {missing}"
    assert {"housing", "planar", "train_val_test_split"} <= set(datasets.__all__)
