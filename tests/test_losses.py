"""Tests of backprop_course.losses: the cost J, its regularization term and the output delta d(L).

The key property: d(L) is the derivative of one example's cost with respect to z(L), so m times
the numerical derivative of the averaged J must reproduce it for every supported (output, loss).
"""

import math
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course.losses import data_cost, output_delta, regularization_cost

PAIRS = [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "mse"), ("identity", "mse")]
H = {"sigmoid": bp.sigmoid, "softmax": bp.softmax, "identity": bp.identity}

K, M = 3, 4
Z_L = np.sin(np.arange(K * M) * 1.3 + 0.2).reshape(K, M) * 3.0


def targets(output):
    if output == "softmax":
        return bp.one_hot([2, 0, 1, 1], K)
    if output == "identity":
        return np.cos(np.arange(K * M)).reshape(K, M)
    return np.array([[1.0, 0.0, 0.3, 1.0], [0.0, 0.0, 1.0, 0.8], [1.0, 1.0, 0.0, 0.5]])


@pytest.fixture
def strict_numerics():
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        yield


# -- the values of J -----------------------------------------------------------------------------------

def test_sigmoid_cross_entropy_matches_the_textbook_formula():
    a, Y = bp.sigmoid(Z_L), targets("sigmoid")
    textbook = -np.sum(Y * np.log(a) + (1 - Y) * np.log(1 - a)) / M
    assert_allclose(data_cost(a, Z_L, Y, "sigmoid", "cross_entropy"), textbook, rtol=1e-13,
                    err_msg="J = -(1/m) sum [y log a + (1 - y) log(1 - a)], summed over K outputs (J)")


def test_softmax_cross_entropy_matches_the_textbook_formula():
    a, Y = bp.softmax(Z_L), targets("softmax")
    textbook = -np.sum(Y * np.log(a)) / M
    assert_allclose(data_cost(a, Z_L, Y, "softmax", "cross_entropy"), textbook, rtol=1e-13,
                    err_msg="categorical cross-entropy J = -(1/m) sum_t sum_k y_k log a_k")


@pytest.mark.parametrize("output", ["sigmoid", "identity"])
def test_mse_is_half_the_mean_squared_distance(output):
    a, Y = H[output](Z_L), targets(output)
    textbook = sum((a[k, t] - Y[k, t]) ** 2 for k in range(K) for t in range(M)) / (2 * M)
    assert_allclose(data_cost(a, Z_L, Y, output, "mse"), textbook, rtol=1e-14,
                    err_msg="mse J = (1/(2m)) sum_t ||a(L) - y||^2")


def test_regularization_cost_skips_the_bias_column():
    Theta = {1: np.array([[100.0, 1.0, -2.0], [-100.0, 0.5, 0.0]]), 2: np.array([[7.0, 3.0, 1.0]])}
    # (lambda / 2m) * (1 + 4 + 0.25 + 0 + 9 + 1) with lambda = 2, m = 5: 0.2 * 15.25 = 3.05
    assert_allclose(regularization_cost(Theta, 2.0, 5), 3.05, rtol=1e-15,
                    err_msg="penalty = lambda/(2m) sum_l sum_i sum_{j>=1} Theta_ij^2; column 0 excluded")
    assert regularization_cost(Theta, 0.0, 5) == 0.0


# -- saturation: J stays finite and exact when outputs round to 0 or 1 --------------------------------------

def test_sigmoid_cross_entropy_is_finite_when_outputs_saturate(strict_numerics):
    # One weight, no bias: z = 800 x. a(L) rounds to exactly 1 and 0, yet J stays exact:
    # -log(1 - g(800)) = 800 (to within e^-800) and -log g(-800) = 800.
    Theta, X = {1: np.array([[0.0, 800.0]])}, np.array([[1.0, -1.0]])
    a, _ = bp.forward(Theta, X)
    assert_array_equal(a[2], [[1.0, 0.0]], err_msg="the fixture should saturate a(L)")
    assert bp.cost(Theta, X, np.array([[0.0, 1.0]])) == 800.0, "confidently wrong: J = (800 + 800) / 2"
    assert bp.cost(Theta, X, np.array([[1.0, 0.0]])) == 0.0, "confidently right: J = log(1 + e^-800) = 0"
    D = bp.backprop(Theta, X, np.array([[0.0, 1.0]]))
    assert_array_equal(D[1], [[0.0, 1.0]], err_msg="d(L) = a - y = (1, -1); D = (1/m) d a(1)'")


def test_softmax_cross_entropy_is_finite_when_outputs_saturate(strict_numerics):
    Theta, X = {1: np.array([[0.0, 800.0], [0.0, -800.0]])}, np.array([[1.0, -1.0]])
    Y_wrong = bp.one_hot([1, 0], 2)          # the class the network gives probability e^-1600 to
    assert bp.cost(Theta, X, Y_wrong, output="softmax") == 1600.0, "J = -log softmax = z_max - z_true = 1600"
    assert bp.cost(Theta, X, bp.one_hot([0, 1], 2), output="softmax") == 0.0


# -- d(L) is the derivative of one example's cost with respect to z(L) --------------------------------------

@pytest.mark.parametrize("output,loss", PAIRS)
def test_output_delta_is_m_times_dJ_dz(output, loss):
    Y, eps = targets(output), 1e-6
    numeric = np.zeros_like(Z_L)
    for k in range(K):
        for t in range(M):
            zp, zm = Z_L.copy(), Z_L.copy()
            zp[k, t] += eps
            zm[k, t] -= eps
            numeric[k, t] = (data_cost(H[output](zp), zp, Y, output, loss)
                             - data_cost(H[output](zm), zm, Y, output, loss)) / (2 * eps)
    d_L = output_delta(H[output](Z_L), Z_L, Y, output, loss)
    assert_allclose(d_L, M * numeric, rtol=1e-6, atol=1e-9,
                    err_msg=f"d(L), shape (K, m), must be m dJ/dz(L) for {output}/{loss} (BP1)")


@pytest.mark.parametrize("output,loss", [p for p in PAIRS if p != ("sigmoid", "mse")])
def test_matched_pairs_give_the_simple_delta(output, loss):
    a, Y = H[output](Z_L), targets(output)
    assert_allclose(output_delta(a, Z_L, Y, output, loss), a - Y, rtol=1e-15,
                    err_msg=f"{output}/{loss} is a matched pair: d(L) = a(L) - y (BP1)")


def test_sigmoid_mse_delta_keeps_the_g_prime_factor():
    a, Y = bp.sigmoid(Z_L), targets("sigmoid")
    assert_allclose(output_delta(a, Z_L, Y, "sigmoid", "mse"), (a - Y) * a * (1 - a), rtol=1e-14,
                    err_msg="sigmoid with mse: d(L) = (a - y) .* g'(z(L)), g' = a(1 - a)")


def test_softmax_cross_entropy_delta_is_the_jacobian_chain_rule_when_targets_sum_to_one():
    # Notebook 12: d = (diag(a) - a a')' (-y / a) collapses to a - y because sum_k y_k = 1; for a
    # target that sums to s it is s a - y instead.
    Y = targets("softmax")
    for t in range(M):
        a, y = bp.softmax(Z_L[:, [t]]), Y[:, [t]]
        jacobian = np.diagflat(a) - a @ a.T                                     # (SMJ)
        assert_allclose(jacobian, jacobian.T, rtol=0, atol=0)
        assert_allclose(jacobian.sum(axis=1), 0.0, atol=1e-15)
        assert_allclose(jacobian.T @ (-y / a), a - y, rtol=1e-12, atol=1e-15)
        two_labels = np.ones((K, 1)) - y                                        # sums to K - 1 = 2
        assert_allclose(jacobian.T @ (-two_labels / a), 2 * a - two_labels, rtol=1e-12, atol=1e-15)


def test_a_confidently_wrong_sigmoid_learns_far_more_slowly_with_mse_than_with_cross_entropy():
    # Notebook 12: z = 4, target 0; the mse delta carries g'(4) = 0.018, about 57 times smaller.
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    epochs_to_half = {}
    for loss in ("cross_entropy", "mse"):
        outputs = []
        bp.train({1: np.array([[2.0, 2.0]])}, X, Y, alpha=1.0, epochs=100, loss=loss,
                 callback=lambda epoch, T, h, seen=outputs: seen.append(bp.forward(T, X)[0][2][0, 0]))
        epochs_to_half[loss] = int(np.argmax(np.array(outputs) < 0.5))
    assert 0 < epochs_to_half["cross_entropy"] <= 5
    assert epochs_to_half["mse"] > 5 * epochs_to_half["cross_entropy"]


def test_output_delta_does_not_modify_its_inputs():
    a, Y = bp.sigmoid(Z_L), targets("sigmoid")
    a0, Y0, z0 = a.copy(), Y.copy(), Z_L.copy()
    for output, loss in PAIRS:
        output_delta(a, Z_L, Y, output, loss)
    assert_array_equal(a, a0, err_msg="a(L) was modified in place")
    assert_array_equal(Y, Y0, err_msg="Y was modified in place")
    assert_array_equal(Z_L, z0, err_msg="z(L) was modified in place")


def test_cross_entropy_with_soft_targets_is_minimal_at_the_target():
    # For y in (0, 1), the per-output cost -[y log a + (1 - y) log(1 - a)] is smallest at a = y.
    y = 0.3
    z_best = math.log(y / (1 - y))            # g(z_best) = y
    Y = np.array([[y]])
    costs = [data_cost(bp.sigmoid(np.array([[z]])), np.array([[z]]), Y, "sigmoid", "cross_entropy")
             for z in (z_best - 0.01, z_best, z_best + 0.01)]
    assert costs[1] < costs[0] and costs[1] < costs[2], f"J around g^-1(y): {costs}"
