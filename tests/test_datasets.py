"""Tests for backprop_course.datasets: shapes, determinism, geometry, the split, and learnability."""

import hashlib
import subprocess
import sys
from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import backprop_course as bp
from backprop_course import datasets

# name -> (loader with default arguments, expected K)
TOYS = {
    "moons": (datasets.moons, 1),
    "circles": (datasets.circles, 1),
    "spirals": (datasets.spirals, 1),
    "blobs": (datasets.blobs, 3),
    "spirals_3_classes": (lambda **kw: datasets.spirals(classes=3, **kw), 3),
    "blobs_2_centers": (lambda **kw: datasets.blobs(centers=2, **kw), 1),
}
DEFAULT_M = {"moons": 200, "circles": 200, "spirals": 300, "blobs": 200,
             "spirals_3_classes": 300, "blobs_2_centers": 200}


# -- xor -----------------------------------------------------------------------------------------

def test_xor_is_the_truth_table():
    X, Y = datasets.xor()
    assert X.shape == (2, 4) and Y.shape == (1, 4), "xor: X (2, 4) and Y (1, 4), one example per column"
    expected = np.logical_xor(X[0] == 1, X[1] == 1).astype(float)
    np.testing.assert_array_equal(Y[0], expected, err_msg="y must be x1 XOR x2 for every column")


# -- toys: layout, determinism, balance, range ---------------------------------------------------

@pytest.mark.parametrize("name", TOYS)
def test_toy_shapes_and_dtypes_follow_the_column_layout(name):
    loader, K = TOYS[name]
    X, Y = loader()
    m = DEFAULT_M[name]
    assert X.shape == (2, m), f"{name}: X must be (n, m) = (2, {m}), examples as columns; got {X.shape}"
    assert Y.shape == (K, m), f"{name}: Y must be (K, m) = ({K}, {m}); got {Y.shape}"
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", TOYS)
def test_toy_targets_are_binary_or_one_hot(name):
    loader, K = TOYS[name]
    _, Y = loader()
    assert set(np.unique(Y)) <= {0.0, 1.0}, f"{name}: targets must be 0/1"
    if K > 1:
        np.testing.assert_array_equal(Y.sum(axis=0), 1.0, err_msg=f"{name}: each one-hot column sums to 1")


@pytest.mark.parametrize("name", TOYS)
def test_toy_classes_are_balanced(name):
    loader, K = TOYS[name]
    _, Y = loader(m=301) if "xor" not in name else loader()
    counts = np.bincount(bp.labels_from_outputs(Y), minlength=max(K, 2))
    assert counts.max() - counts.min() <= 1, f"{name}: class sizes must differ by at most 1; got {counts}"
    assert counts.sum() == 301


@pytest.mark.parametrize("name", TOYS)
def test_toy_same_seed_same_data_other_seed_other_data(name):
    loader, _ = TOYS[name]
    X1, Y1 = loader(seed=3)
    X2, Y2 = loader(seed=3)
    X3, _ = loader(seed=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(Y1, Y2)
    assert not np.allclose(X1, X3), f"{name}: seeds 3 and 4 gave the same X"


@pytest.mark.parametrize("name", TOYS)
def test_toy_accepts_a_generator_as_seed(name):
    loader, _ = TOYS[name]
    X1, _ = loader(seed=np.random.default_rng(7))
    X2, _ = loader(seed=np.random.default_rng(7))
    np.testing.assert_array_equal(X1, X2)


@pytest.mark.parametrize("name", TOYS)
def test_toy_is_centered_and_fits_a_sigmoids_input_range(name):
    loader, _ = TOYS[name]
    X, _ = loader()
    assert np.abs(X.mean(axis=1)).max() < 0.2, f"{name}: the data should be centered; means {X.mean(axis=1)}"
    assert np.abs(X).max() < 2.5, f"{name}: coordinates should stay within about [-1.5, 1.5]; max |x| {np.abs(X).max()}"
    assert X.std(axis=1).max() > 0.3, f"{name}: the points should spread out; stds {X.std(axis=1)}"


@pytest.mark.parametrize("name", TOYS)
def test_toy_columns_are_shuffled(name):
    loader, _ = TOYS[name]
    _, Y = loader()
    y = bp.labels_from_outputs(Y)
    assert len(np.unique(y[:20])) > 1, f"{name}: the first 20 columns all have class {y[0]}; columns must be mixed"


# -- toys: exact geometry without noise -----------------------------------------------------------

def test_circles_without_noise_lie_on_radius_1_and_factor():
    X, Y = datasets.circles(m=101, noise=0.0, factor=0.3, seed=1)
    r = np.hypot(X[0], X[1])
    np.testing.assert_allclose(r[Y[0] == 0], 1.0, atol=1e-12, err_msg="class 0 must lie on the unit circle")
    np.testing.assert_allclose(r[Y[0] == 1], 0.3, atol=1e-12, err_msg="class 1 must lie on the circle of radius factor")


def test_moons_without_noise_lie_on_their_arcs():
    X, Y = datasets.moons(m=50, noise=0.0)
    upper = X[:, Y[0] == 0] + np.array([[0.5], [0.25]])
    lower = X[:, Y[0] == 1] + np.array([[0.5], [0.25]])
    np.testing.assert_allclose(np.hypot(upper[0], upper[1]), 1.0, atol=1e-12)
    assert upper[1].min() >= -1e-12, "the upper moon is the half circle with y >= 0"
    np.testing.assert_allclose(np.hypot(lower[0] - 1.0, lower[1] - 0.5), 1.0, atol=1e-12)
    assert lower[1].max() <= 0.5 + 1e-12, "the lower moon opens upward around (1, 0.5)"
    np.testing.assert_allclose(X[0].min(), -1.5, atol=1e-12)
    np.testing.assert_allclose(X[0].max(), 1.5, atol=1e-12)


def test_spirals_without_noise_follow_the_arm_formula():
    X, Y = datasets.spirals(m=90, noise=0.0, classes=3, turns=1.5)
    r = np.hypot(X[0], X[1])
    k = bp.labels_from_outputs(Y)
    phi = np.arctan2(X[1], X[0])
    expected = 2 * np.pi * k / 3 + 2 * np.pi * 1.5 * r
    # angles agree modulo a full turn
    np.testing.assert_allclose(np.cos(phi - expected), 1.0, atol=1e-9)
    assert r.min() == pytest.approx(0.1) and r.max() == pytest.approx(1.0)


def test_blobs_cluster_around_centers_on_the_unit_circle():
    X, Y = datasets.blobs(m=3000, centers=4, std=1.0, seed=2)
    k = bp.labels_from_outputs(Y)
    for c in range(4):
        angle = 2 * np.pi * c / 4 + np.pi / 2
        mean = X[:, k == c].mean(axis=1)
        np.testing.assert_allclose(mean, [np.cos(angle), np.sin(angle)], atol=0.05,
                                   err_msg=f"blob {c} should be centered on the unit circle")
        np.testing.assert_allclose(X[:, k == c].std(axis=1), 0.25, rtol=0.1, err_msg="std=1 means 0.25 in X")
    Xz, _ = datasets.blobs(m=8, centers=4, std=0.0)
    np.testing.assert_allclose(np.hypot(Xz[0], Xz[1]), 1.0, atol=1e-12)


def test_more_noise_spreads_the_moons():
    X_low, _ = datasets.moons(noise=0.05, seed=0)
    X_high, _ = datasets.moons(noise=0.5, seed=0)
    assert X_high.std() > X_low.std()


# -- train_test_split -----------------------------------------------------------------------------

def _column_ids(X):
    return [tuple(col) for col in X.T]


def test_split_is_a_partition_of_the_columns():
    X, Y = datasets.moons(m=203, seed=5)
    X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(X, Y, test_fraction=0.3, seed=1)
    assert X_te.shape == (2, 61) and Y_te.shape == (1, 61), "test set gets round(0.3 * 203) = 61 columns"
    assert X_tr.shape == (2, 142) and Y_tr.shape == (1, 142)
    train, test, whole = _column_ids(X_tr), _column_ids(X_te), _column_ids(X)
    assert not set(train) & set(test), "no example may be in both the training and the test set"
    assert sorted(train + test) == sorted(whole), "together the two sets must be exactly the original columns"


def test_split_keeps_each_x_with_its_y():
    X, Y = datasets.spirals(m=120, classes=3, seed=2)
    target_of = {tuple(x): tuple(y) for x, y in zip(X.T, Y.T, strict=True)}
    X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(X, Y, seed=3)
    for Xp, Yp in ((X_tr, Y_tr), (X_te, Y_te)):
        for x, y in zip(Xp.T, Yp.T, strict=True):
            assert target_of[tuple(x)] == tuple(y), "a column of X was separated from its column of Y"


def test_split_is_stratified():
    X, Y = datasets.blobs(m=200, centers=4, seed=0)
    _, Y_tr, _, Y_te = datasets.train_test_split(X, Y, test_fraction=0.25, seed=0)
    np.testing.assert_array_equal(Y_te.sum(axis=1), [13, 13, 12, 12],
                                  err_msg="50 test examples from four classes of 50: 12 or 13 each "
                                          "(the two leftover examples go to the lower classes)")
    np.testing.assert_array_equal(Y_tr.sum(axis=1) + Y_te.sum(axis=1), 50)


def test_split_of_unbalanced_binary_targets_keeps_the_ratio():
    X = np.arange(40.0).reshape(1, 40)
    Y = (np.arange(40) % 4 == 0).astype(float).reshape(1, 40)   # 10 positives, 30 negatives
    _, _, _, Y_te = datasets.train_test_split(X, Y, test_fraction=0.2, seed=0)
    assert Y_te.shape == (1, 8) and Y_te.sum() == 2, "20% of 10 positives and of 30 negatives: 2 and 6"


def test_split_of_regression_targets_falls_back_to_a_shuffle():
    X = np.arange(20.0).reshape(2, 10)
    Y = np.linspace(-3, 3, 10).reshape(1, 10)
    X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(X, Y, test_fraction=0.3, seed=0)
    assert X_te.shape == (2, 3) and sorted(np.concatenate([Y_tr[0], Y_te[0]])) == sorted(Y[0])


def test_split_is_seeded():
    X, Y = datasets.moons(seed=0)
    a = datasets.train_test_split(X, Y, seed=4)
    b = datasets.train_test_split(X, Y, seed=4)
    c = datasets.train_test_split(X, Y, seed=5)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p, q)
    assert not np.array_equal(a[2], c[2]), "different seeds should give different test sets"


def test_split_returns_copies():
    X, Y = datasets.moons(m=20, seed=0)
    X_before, Y_before = X.copy(), Y.copy()
    for part in datasets.train_test_split(X, Y):
        part[...] = -7.0
    np.testing.assert_array_equal(X, X_before, err_msg="writing into a split must not change X")
    np.testing.assert_array_equal(Y, Y_before)


def test_split_smallest_possible_sets():
    X, Y = datasets.xor()
    X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(X, Y, test_fraction=0.25)
    assert X_tr.shape == (2, 3) and X_te.shape == (2, 1)


@settings(max_examples=60, deadline=None)
@given(m=st.integers(2, 60), K=st.integers(1, 4), fraction=st.floats(0.05, 0.95), seed=st.integers(0, 2**32 - 1))
def test_split_is_always_a_partition_with_the_promised_sizes(m, K, fraction, seed):
    m_test = round(fraction * m)
    if not 1 <= m_test <= m - 1:
        with pytest.raises(ValueError, match="at least one example"):
            datasets.train_test_split(np.zeros((1, m)), np.zeros((1, m)), test_fraction=fraction)
        return
    rng = np.random.default_rng(seed)
    X = np.vstack([np.arange(m), np.ones(m), -np.arange(m)]).astype(float)   # X[0, t] = t traces column t
    y = rng.integers(0, max(K, 2), size=m)
    Y = y.reshape(1, m).astype(float) if K == 1 else bp.one_hot(y % K, K)
    X_tr, Y_tr, X_te, Y_te = datasets.train_test_split(X, Y, test_fraction=fraction, seed=seed)
    assert X_te.shape == (3, m_test) and X_tr.shape == (3, m - m_test)
    t = np.concatenate([X_tr[0], X_te[0]]).astype(int)
    np.testing.assert_array_equal(np.sort(t), np.arange(m), err_msg="each column exactly once")
    np.testing.assert_array_equal(np.hstack([Y_tr, Y_te]), Y[:, t], err_msg="targets travel with their inputs")
    # stratified: each class's test share is its exact quota rounded down or up
    y_all, y_te = bp.labels_from_outputs(Y), bp.labels_from_outputs(Y_te)
    for c in np.unique(y_all):
        quota = m_test * np.mean(y_all == c)
        assert np.floor(quota) <= np.sum(y_te == c) <= np.ceil(quota)


# -- bad arguments --------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, pattern", [
    (lambda: datasets.moons(m=1), ValueError, r"m must be >= 2; got 1\..*at least one example"),
    (lambda: datasets.moons(m=2.5), TypeError, r"m must be a whole number; got 2\.5"),
    (lambda: datasets.moons(noise=-0.1), ValueError, r"noise must be >= 0.0; got -0\.1.*standard deviation"),
    (lambda: datasets.circles(factor=1.0), ValueError, r"factor must be < 1.*got 1\.0"),
    (lambda: datasets.circles(factor=0.0), ValueError, r"factor must be > 0.0 and <= 1.0; got 0\.0"),
    (lambda: datasets.circles(m="200"), TypeError, r"m must be a whole number; got '200'"),
    (lambda: datasets.spirals(classes=1), ValueError, r"classes must be >= 2; got 1\..*at least 2 classes"),
    (lambda: datasets.spirals(m=4, classes=5), ValueError, r"m must be >= 5; got 4\..*each of the 5|5 classes"),
    (lambda: datasets.spirals(turns=0), ValueError, r"turns must be > 0.0; got 0"),
    (lambda: datasets.blobs(centers=1), ValueError, r"centers must be >= 2; got 1"),
    (lambda: datasets.blobs(std=-1), ValueError, r"std must be >= 0.0; got -1"),
    (lambda: datasets.blobs(seed=-3), ValueError, r"seed must be a non-negative int; got -3"),
    (lambda: datasets.blobs(seed="a"), TypeError, r"seed must be None, an int or a numpy Generator"),
    (lambda: datasets.moons(noise=float("nan")), ValueError, r"noise must be finite"),
])
def test_toy_bad_arguments_are_named_in_the_message(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_split_rejects_mismatched_columns_and_suggests_transpose():
    X = np.zeros((2, 10))
    with pytest.raises(ValueError, match=r"X has m = 10 columns.*Y has 3.*same column of Y"):
        datasets.train_test_split(X, np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"use \.T"):
        datasets.train_test_split(X, np.zeros((10, 1)))


@pytest.mark.parametrize("fraction, pattern", [
    (0.0, r"test_fraction must be > 0.0 and <= 1.0; got 0\.0"),
    (1.0, r"test_fraction must be < 1.*got 1\.0"),
    (1.5, r"test_fraction must be > 0.0 and <= 1.0; got 1\.5"),
    (0.01, r"test_fraction=0\.01 of m = 10 examples leaves 0 for testing.*test set is empty"),
    (0.99, r"leaves 10 for testing and 0 for training.*training set is empty"),
])
def test_split_rejects_fractions_that_leave_a_set_empty(fraction, pattern):
    X, Y = datasets.moons(m=10)
    with pytest.raises(ValueError, match=pattern):
        datasets.train_test_split(X, Y, test_fraction=fraction)


def test_split_rejects_non_finite_data():
    X = np.ones((2, 4))
    X[1, 2] = np.nan
    with pytest.raises(ValueError, match=r"X contains 1 non-finite"):
        datasets.train_test_split(X, np.ones((1, 4)))


# -- learnability: training lowers the cost on every toy ------------------------------------------

@pytest.mark.parametrize("name, sizes, output", [
    ("xor", [2, 3, 1], "sigmoid"),
    ("moons", [2, 8, 1], "sigmoid"),
    ("circles", [2, 8, 1], "sigmoid"),
    ("spirals", [2, 30, 1], "sigmoid"),
    ("blobs", [2, 5, 3], "softmax"),
    ("spirals_3_classes", [2, 30, 3], "softmax"),
])
def test_training_lowers_the_cost_on_each_toy(name, sizes, output):
    X, Y = datasets.xor() if name == "xor" else TOYS[name][0]()
    Theta = bp.init_thetas(sizes, epsilon_init=1.0, seed=0)
    _, history = bp.train(Theta, X, Y, alpha=1.0, epochs=300, output=output)
    J0, J = history["cost"][0], history["cost"][-1]
    assert J < 0.7 * J0, (
        f"{name}: 300 epochs of full-batch gradient descent (alpha = 1) should cut the cost J by 30% "
        f"or more; it went from {J0:.4f} to {J:.4f}. Is the data in the column layout, X (n, m), Y (K, m)?"
    )


# -- what each toy teaches: which ones a network without a hidden layer can solve ---------------

@pytest.mark.parametrize("name, low, high", [
    ("moons", 0.80, 0.93),     # curved boundary: a line gets most, not all
    ("circles", 0.35, 0.65),   # closed boundary: a line is no better than a coin
    ("spirals", 0.35, 0.65),
    ("blobs", 0.97, 1.00),     # separable by lines: no hidden layer needed
])
def test_linear_model_accuracy_matches_the_docstring_story(name, low, high):
    X, Y = TOYS[name][0]()
    K = Y.shape[0]
    output = "sigmoid" if K == 1 else "softmax"
    Theta, _ = bp.train(bp.init_thetas([2, K], seed=0), X, Y, alpha=1.0, epochs=2000, output=output)
    accuracy = np.mean(bp.predict(Theta, X, output=output) == bp.labels_from_outputs(Y))
    assert low <= accuracy <= high, (
        f"{name}: a network without a hidden layer (logistic/softmax regression) should reach between "
        f"{low:.0%} and {high:.0%} training accuracy; it reached {accuracy:.1%}"
    )


# -- digits ---------------------------------------------------------------------------------------

DIGITS_IMAGES_SHA256 = "8f26b2bd9d135c256808f68f14fdabddde6d9c7f869ae419704b051f0f14b3b3"
DIGITS_LABELS_SHA256 = "8ba4f891220f5e4c9c819638d1602d74b83618f167043c6da52a2a247841ddf0"
DIGITS_PER_CLASS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


def test_digits_file_matches_the_pinned_checksums():
    from backprop_course.datasets.digits import _load_raw
    images, digit = _load_raw()
    assert images.dtype == np.uint8 and images.shape == (1797, 8, 8)
    assert digit.dtype == np.uint8 and digit.shape == (1797,)
    assert hashlib.sha256(np.ascontiguousarray(images).tobytes()).hexdigest() == DIGITS_IMAGES_SHA256, (
        "the shipped digits images changed; see backprop_course/datasets/data/README.md for how the file is made"
    )
    assert hashlib.sha256(np.ascontiguousarray(digit).tobytes()).hexdigest() == DIGITS_LABELS_SHA256


def test_digits_file_is_package_data_that_a_wheel_ships():
    data = resources.files("backprop_course.datasets").joinpath("data")
    names = sorted(f.name for f in data.iterdir())
    assert "digits.npz" in names and "README.md" in names, f"data files: {names}"
    tomllib = pytest.importorskip("tomllib")   # Python >= 3.11
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    globs = tomllib.loads(pyproject.read_text())["tool"]["setuptools"]["package-data"]["backprop_course"]
    for name in names:
        assert any(fnmatch(f"datasets/data/{name}", g) for g in globs), (
            f"datasets/data/{name} is not matched by [tool.setuptools.package-data] {globs}, "
            f"so an installed (non-editable) package would miss it"
        )


def test_digits_shapes_range_and_counts():
    X, Y = datasets.digits()
    assert X.shape == (64, 1797) and Y.shape == (10, 1797), "digits: X (64, 1797), Y one-hot (10, 1797)"
    assert X.dtype == np.float64 and Y.dtype == np.float64
    assert X.min() == 0.0 and X.max() == 1.0, "pixels 0..16 are scaled by 1/16 into [0, 1]"
    np.testing.assert_array_equal(np.unique(X * 16), np.arange(17), err_msg="X * 16 must be the ink counts 0..16")
    np.testing.assert_array_equal(Y.sum(axis=0), 1.0, err_msg="each column of Y is one-hot")
    np.testing.assert_array_equal(Y.sum(axis=1), DIGITS_PER_CLASS, err_msg="images per digit 0..9")


def test_digits_returns_fresh_arrays():
    X1, Y1 = datasets.digits()
    X1[:] = -1.0
    Y1[:] = -1.0
    X2, Y2 = datasets.digits()
    assert X2.min() == 0.0 and Y2.min() == 0.0, "writing into one result must not change the next call's data"


def test_digit_images_reshape_columns_row_by_row():
    X, _ = datasets.digits()
    images = datasets.digit_images(X[:, :5])
    assert images.shape == (5, 8, 8)
    np.testing.assert_array_equal(images[2, 1], X[8:16, 2], err_msg="row 1 of image 2 is pixels 8..15 of column 2")
    # The first image of the file is a zero: a ring of ink with an empty middle.
    assert bp.labels_from_outputs(datasets.digits()[1][:, :1])[0] == 0
    assert images[0, 3:5, 3:5].max() < 0.2 and images[0, 2:6, 1:3].mean() > 0.4


def test_digit_images_reject_images_as_rows_with_a_hint():
    X, _ = datasets.digits()
    with pytest.raises(ValueError, match=r"64 rows.*got shape \(3, 64\).*Pass X\.T"):
        datasets.digit_images(X[:, :3].T)
    with pytest.raises(ValueError, match=r"reshape\(64, 1\)"):
        datasets.digit_images(X[:, 0])


def test_digits_docstring_carries_license_and_citation():
    doc = datasets.digits.__doc__
    assert "CC BY 4.0" in doc and "10.24432/C50P49" in doc and "Alpaydin" in doc
    assert "10.24432/C50P49" in datasets.DIGITS_CITATION


def test_a_small_sigmoid_network_learns_the_digits():
    """64-25-10, sigmoid units and outputs, mini-batch gradient descent: >= 95% on unseen images.

    Measured with these seeds: 96.7% (434 of 449) test accuracy, 99.9% on the training set; over
    10 splits x 2 initializations the worst was 96.4% and the mean 97.5%. Training took 0.3-1.0 s
    on a busy 2-core machine (this test asserts accuracy, never time).
    """
    X, Y = datasets.digits()
    X_train, Y_train, X_test, Y_test = datasets.train_test_split(X, Y, test_fraction=0.25, seed=0)
    assert X_test.shape == (64, 449)
    Theta = bp.init_thetas([64, 25, 10], seed=0)
    Theta, history = bp.train(Theta, X_train, Y_train, alpha=1.0, epochs=60, batch_size=32, seed=0)
    accuracy = np.mean(bp.predict(Theta, X_test) == bp.labels_from_outputs(Y_test))
    assert history["cost"][-1] < 0.2 * history["cost"][0], "training should cut the cost J by 80% or more"
    assert accuracy >= 0.95, (
        f"a 64-25-10 sigmoid network trained for 60 epochs (alpha = 1, batches of 32) should classify at "
        f"least 95% of the 449 held-out digits correctly; it got {accuracy:.1%}. If every toy test passes, "
        f"check the digits' layout: X (64, m) with pixels in [0, 1], Y one-hot (10, m)."
    )


def test_importing_datasets_needs_no_plotting_libraries():
    code = ("import sys, backprop_course.datasets as d; d.digits(); "
            "bad = [m for m in ('matplotlib', 'ipywidgets', 'sklearn') if m in sys.modules]; "
            "assert not bad, bad")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"datasets must stay numpy-only; loaded: {result.stderr[-300:]}"


# -- xor_clouds -------------------------------------------------------------------------------------

def test_xor_clouds_are_the_four_corners_with_noise():
    X, Y = datasets.xor_clouds(m=40, noise=0.0, seed=0)
    assert X.shape == (2, 40) and Y.shape == (1, 40)
    corners = {tuple(c) for c in X.T}
    assert corners == {(-1.0, -1.0), (-1.0, 1.0), (1.0, -1.0), (1.0, 1.0)}, "xor()'s corners, centered"
    np.testing.assert_array_equal(Y[0], (np.sign(X[0]) != np.sign(X[1])).astype(float),
                                  err_msg="y = 1 exactly where one input is high: XOR")
    counts = np.bincount(Y[0].astype(int))
    assert abs(counts[0] - counts[1]) <= 1, "balanced classes"
    noisy, _ = datasets.xor_clouds(m=40, noise=0.2, seed=0)
    assert 0.1 < np.std(noisy - X) < 0.3, "noise is the standard deviation around each corner"
    again, _ = datasets.xor_clouds(m=40, noise=0.2, seed=0)
    np.testing.assert_array_equal(noisy, again, err_msg="same seed, same data")
