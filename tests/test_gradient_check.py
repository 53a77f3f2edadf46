"""Tests of backprop_course.gradient_check: numerical_gradient and relative_error.

numerical_gradient is checked against an oracle that does not use backpropagation: for a single
linear layer with mse (linear regression) the gradient has the closed form
D = (1/m)(Theta X1 - Y) X1' + (lambda/m) Theta with column 0 unpenalized, and J is quadratic in
Theta, so central differences are exact up to rounding.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp

THETA_LIN = {1: np.array([[0.5, -1.0, 2.0], [0.25, 0.75, -0.5]])}          # 2 outputs, 2 inputs + bias
X_LIN = np.array([[1.0, -2.0, 0.5, 3.0], [0.0, 1.0, -1.5, 2.0]])
Y_LIN = np.array([[1.0, 0.0, -1.0, 2.0], [0.5, 0.5, 0.0, -1.0]])
LINEAR = dict(activation="identity", output="identity", loss="mse")


def linear_regression_gradient(Theta, X, Y, lambda_):
    m = X.shape[1]
    X1 = np.vstack([np.ones((1, m)), X])
    D = (Theta @ X1 - Y) @ X1.T / m
    D[:, 1:] += lambda_ / m * Theta[:, 1:]
    return D


@pytest.mark.parametrize("lambda_", [0.0, 1.5])
def test_numerical_gradient_matches_closed_form_for_linear_regression(lambda_):
    D_num = bp.numerical_gradient(THETA_LIN, X_LIN, Y_LIN, lambda_=lambda_, **LINEAR)
    expected = linear_regression_gradient(THETA_LIN[1], X_LIN, Y_LIN, lambda_)
    assert_allclose(D_num[1], expected, rtol=1e-9, atol=1e-10,
                    err_msg="numerical D[1], shape (2, 3): (J(Theta + eps E) - J(Theta - eps E)) / 2 eps (NG)")


def test_numerical_gradient_returns_D_shaped_like_Theta():
    Theta = bp.init_thetas([3, 4, 2], seed=1)
    X = np.sin(np.arange(6.0)).reshape(3, 2)
    D = bp.numerical_gradient(Theta, X, np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert sorted(D) == [1, 2]
    assert all(D[l].shape == Theta[l].shape for l in Theta), "D[l] has Theta[l]'s shape"


def test_numerical_gradient_step_size_matters_as_theory_says():
    # The central difference's error shrinks like epsilon^2 until round-off takes over:
    # epsilon = 1e-2 is visibly worse than 1e-4 on a non-quadratic (sigmoid) cost.
    Theta = {1: np.array([[0.3, -1.2, 0.8]])}
    X, Y = np.array([[1.0, -1.0, 2.0], [0.5, 2.0, -1.0]]), np.array([[1.0, 0.0, 1.0]])
    D = bp.backprop(Theta, X, Y)
    err_big = bp.relative_error(D, bp.numerical_gradient(Theta, X, Y, epsilon=1e-2))
    err_good = bp.relative_error(D, bp.numerical_gradient(Theta, X, Y, epsilon=1e-4))
    assert err_good < 1e-8 and err_big > 50 * err_good, f"eps=1e-2: {err_big:.1e}, eps=1e-4: {err_good:.1e}"


def test_numerical_gradient_does_not_modify_its_inputs():
    Theta = {1: THETA_LIN[1].copy()}
    X, Y = X_LIN.copy(), Y_LIN.copy()
    bp.numerical_gradient(Theta, X, Y, lambda_=1.0, **LINEAR)
    assert_array_equal(Theta[1], THETA_LIN[1], err_msg="Theta[1] must be restored (NG perturbs a private copy)")
    assert_array_equal(X, X_LIN, err_msg="X was modified")
    assert_array_equal(Y, Y_LIN, err_msg="Y was modified")


def test_numerical_gradient_of_float32_network_is_computed_in_float64():
    Theta32 = {1: THETA_LIN[1].astype(np.float32)}
    D = bp.numerical_gradient(Theta32, X_LIN.astype(np.float32), Y_LIN.astype(np.float32), **LINEAR)
    assert D[1].dtype == np.float64, "a float32 J cannot resolve an epsilon of 1e-4; compute in float64"
    assert_allclose(D[1], linear_regression_gradient(THETA_LIN[1], X_LIN, Y_LIN, 0.0), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("epsilon", [0.0, -1e-4])
def test_numerical_gradient_rejects_non_positive_epsilon(epsilon):
    with pytest.raises(ValueError, match=r"epsilon must be > 0.*1e-4"):
        bp.numerical_gradient(THETA_LIN, X_LIN, Y_LIN, epsilon=epsilon, **LINEAR)


# -- relative_error --------------------------------------------------------------------------------------

def test_relative_error_of_identical_arrays_is_zero():
    A = np.sin(np.arange(6.0)).reshape(2, 3)
    assert bp.relative_error(A, A.copy()) == 0.0
    assert bp.relative_error(np.zeros(3), np.zeros(3)) == 0.0, "two zero gradients agree (no 0/0)"


def test_relative_error_known_values():
    # ||A - B|| / (||A|| + ||B||): orthogonal unit vectors give sqrt(2) / 2; A vs -A gives 1.
    assert_allclose(bp.relative_error(np.array([1.0, 0.0]), np.array([0.0, 1.0])), np.sqrt(2) / 2, rtol=1e-15)
    assert_allclose(bp.relative_error(np.array([3.0, 4.0]), np.array([-3.0, -4.0])), 1.0, rtol=1e-15)
    assert_allclose(bp.relative_error(np.array([1.0]), np.array([1.0 + 1e-8])), 1e-8 / (2 + 1e-8), rtol=1e-7)


def test_relative_error_is_symmetric_and_scale_free():
    A, B = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.1, 2.0], [2.9, 4.2]])
    assert bp.relative_error(A, B) == bp.relative_error(B, A)
    assert_allclose(bp.relative_error(1e6 * A, 1e6 * B), bp.relative_error(A, B), rtol=1e-12)


def test_relative_error_of_dicts_measures_all_layers_together():
    A = {1: np.array([[3.0]]), 2: np.array([[0.0, 4.0]])}
    B = {2: np.array([[0.0, 4.0]]), 1: np.array([[0.0]])}                   # key order does not matter
    # ||A - B|| = 3, ||A|| = 5, ||B|| = 4
    assert_allclose(bp.relative_error(A, B), 3.0 / 9.0, rtol=1e-15)


def test_relative_error_rejects_mismatched_inputs():
    with pytest.raises(ValueError, match="same keys"):
        bp.relative_error({1: np.ones(2)}, {2: np.ones(2)})
    with pytest.raises(ValueError, match="same keys"):
        bp.relative_error({1: np.ones(2)}, np.ones(2))
    with pytest.raises(ValueError, match=r"one shape; got \(2,\) and \(3,\)"):
        bp.relative_error(np.ones(2), np.ones(3))


def test_relative_error_refuses_nan_instead_of_returning_it():
    with pytest.raises(ValueError, match="A contains 1 NaN or infinite"):
        bp.relative_error({1: np.array([np.nan, 1.0])}, {1: np.array([1.0, 1.0])})
    with pytest.raises(ValueError, match="B contains 1 NaN or infinite"):
        bp.relative_error(np.array([1.0]), np.array([np.inf]))
