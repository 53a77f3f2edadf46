"""landscape: cost surfaces, descent paths, Hessians, the bowl of a trained network and its step regimes."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import landscape

WEIGHTS = ((1, 0, 1), (2, 0, 2))


def test_cost_surface_holds_J_at_each_grid_point(sin_problem):
    Theta, X, Y = sin_problem
    W1, W2, J = landscape.cost_surface(Theta, X, Y, WEIGHTS, ((-1, 1), (-2, 0)), n=5, lambda_=0.3)
    assert W1.shape == W2.shape == J.shape == (5, 5)
    assert W1[0, 0] == -1 and W1[0, -1] == 1 and W2[0, 0] == -2 and W2[-1, 0] == 0
    moved = {l: T.copy() for l, T in Theta.items()}
    moved[1][0, 1], moved[2][0, 2] = W1[3, 1], W2[3, 1]
    assert J[3, 1] == pytest.approx(bp.cost(moved, X, Y, 0.3), rel=1e-12)


def test_descent_path_steps_against_the_two_partial_derivatives(sin_problem):
    Theta, X, Y = sin_problem
    path, J = landscape.descent_path(Theta, X, Y, WEIGHTS, alpha=0.5, steps=3)
    assert path.shape == (4, 2) and J.shape == (4,)
    D = bp.backprop(Theta, X, Y)
    expected = np.array([Theta[1][0, 1], Theta[2][0, 2]]) - 0.5 * np.array([D[1][0, 1], D[2][0, 2]])   # (GD)
    np.testing.assert_allclose(path[1], expected, rtol=1e-12, err_msg="one (GD) step on the two weights")
    assert np.all(np.diff(J) < 0), "a small alpha must lower J at every step"


def test_hessian_2d_matches_second_differences_of_J(sin_problem):
    Theta, X, Y = sin_problem
    H = landscape.hessian_2d(Theta, X, Y, WEIGHTS)
    np.testing.assert_allclose(H, H.T)
    h = 1e-4
    def J_at(d1, d2):
        moved = {l: T.copy() for l, T in Theta.items()}
        moved[1][0, 1] += d1
        moved[2][0, 2] += d2
        return bp.cost(moved, X, Y)
    H11 = (J_at(h, 0) - 2 * J_at(0, 0) + J_at(-h, 0)) / h**2
    H12 = (J_at(h, h) - J_at(h, -h) - J_at(-h, h) + J_at(-h, -h)) / (4 * h**2)
    np.testing.assert_allclose([H[0, 0], H[0, 1]], [H11, H12], rtol=1e-4, atol=1e-7)


def test_quadratic_descent_shrinks_each_eigendirection_by_one_minus_alpha_mu():
    H = np.array([[4.0, 0.0], [0.0, 1.0]])
    for alpha in (0.1, 0.4, 0.6):
        path = landscape.quadratic_descent(H, (1.0, 1.0), alpha, 3, center=(0.0, 0.0))
        np.testing.assert_allclose(path[3], [(1 - 4 * alpha) ** 3, (1 - alpha) ** 3], rtol=1e-12)
    diverged = landscape.quadratic_descent(H, (1.0, 1.0), 0.75, 500)
    assert len(diverged) < 501 and np.linalg.norm(diverged[-1]) > 1e6, "alpha * mu_max = 3 must blow up"


@pytest.mark.parametrize("alpha, regime", [
    (0.01, "too small"), (0.049, "too small"), (0.05, "good"), (0.25, "good"), (0.3, "oscillating"),
    (0.49, "oscillating"), (0.5, "steady oscillation"), (0.51, "diverging"), (2.0, "diverging"),
])
def test_step_regime_boundaries_follow_alpha_mu_max(alpha, regime):
    H = np.array([[4.0, 0.0], [0.0, 1.0]])             # mu_max = 4: boundaries 0.05, 0.25, 0.5
    assert landscape.step_regime(alpha, H) == regime


def test_r_equal_to_2_is_a_steady_oscillation_not_divergence():
    H = np.array([[4.0, 0.0], [0.0, 1.0]])
    path = landscape.quadratic_descent(H, (1.0, 0.0), 2 / 4.0, 50)
    np.testing.assert_allclose(path[:, 0], [(-1.0) ** k for k in range(51)], rtol=1e-12,
                               err_msg="at r = alpha * mu_max = 2 the steep direction flips sign and keeps its size")
    assert landscape.step_regime(2 / np.linalg.eigvalsh(H).max(), H) == "steady oscillation"


def test_bowl_functions_reject_a_bowl_without_bottom():
    with pytest.raises(ValueError, match="positive definite"):
        landscape.step_regime(0.1, np.array([[1.0, 0.0], [0.0, -1.0]]))
    W1, W2 = np.meshgrid([0.0, 1.0], [0.0, 2.0])
    np.testing.assert_allclose(landscape.quadratic_cost(np.diag([2.0, 1.0]), W1, W2), [[0, 1], [2, 3]])


def test_bowl_from_network_finds_where_both_partials_vanish(sin_problem):
    Theta, X, Y = sin_problem
    trained, _ = bp.train(Theta, X, Y, alpha=1.0, epochs=200)
    weights = ((1, 0, 0), (2, 0, 0))                   # two bias weights: a well-rounded bowl
    H, center = landscape.bowl_from_network(trained, X, Y, weights)
    moved = {l: T.copy() for l, T in trained.items()}
    moved[1][0, 0], moved[2][0, 0] = center
    D = bp.backprop(moved, X, Y)
    assert abs(D[1][0, 0]) < 1e-9 and abs(D[2][0, 0]) < 1e-9, "w* is where both partial derivatives vanish"
    np.testing.assert_allclose(H, landscape.hessian_2d(moved, X, Y, weights), rtol=1e-12,
                               err_msg="H is the Hessian at w*")
    assert np.all(np.linalg.eigvalsh(H) > 0), "a minimum: the bowl curves up in every direction"


def test_weights_must_name_two_entries_of_theta(sin_problem):
    Theta, X, Y = sin_problem
    with pytest.raises(ValueError, match="not an entry of Theta"):
        landscape.cost_surface(Theta, X, Y, ((1, 5, 0), (2, 0, 1)), ((0, 1), (0, 1)))
    with pytest.raises(ValueError, match="two different"):
        landscape.descent_path(Theta, X, Y, ((1, 0, 1), (1, 0, 1)), 0.1, 1)
    with pytest.raises(TypeError, match="pair"):
        landscape.hessian_2d(Theta, X, Y, (1, 0, 1))
