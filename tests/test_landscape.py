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


# -- optimizer_path and optimizer_sweep (notebook 16) -------------------------------------------------------

# A valley like notebook 08's: about ten times more curved along w1 than along w2, nearly aligned with the axes.
VALLEY = np.array([[0.0428, 0.0018], [0.0018, 0.0044]])
START = np.array([2.0, -1.5])
ALPHAS = np.geomspace(0.01, 100, 41)                     # the notebook's grid, ten per factor of 10


def _turned(H, degrees):
    """H with the same eigenvalues, its eigenvectors turned by `degrees`."""
    c, s = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    R = np.array([[c, -s], [s, c]])
    return R @ H @ R.T


def test_optimizer_path_gd_is_quadratic_descent():
    center = (0.3, -0.2)
    path = landscape.optimizer_path(VALLEY, START, 20.0, 15, "gd", center)
    np.testing.assert_allclose(path, landscape.quadratic_descent(VALLEY, START, 20.0, 15, center), rtol=1e-13)


def test_optimizer_path_momentum_follows_M1_M2_by_hand():
    center = np.array([0.5, 1.0])
    w, v, expected = START.copy(), np.zeros(2), [START.copy()]
    for _ in range(12):
        v = 0.7 * v + VALLEY @ (w - center)                   # (M1)
        w = w - 3.0 * v                                        # (M2)
        expected.append(w.copy())
    path = landscape.optimizer_path(VALLEY, START, 3.0, 12, "momentum", center, {"beta": 0.7})
    np.testing.assert_allclose(path, expected, rtol=1e-12, err_msg="momentum: v := beta v + D, w := w - alpha v")


def test_optimizer_path_adam_and_rmsprop_follow_A1_to_A5_by_hand():
    def by_hand(beta1, beta2, steps=10, alpha=0.2, epsilon=1e-8):
        w, m, s, out = START.copy(), np.zeros(2), np.zeros(2), [START.copy()]
        for t in range(1, steps + 1):
            D = VALLEY @ w
            m = beta1 * m + (1 - beta1) * D                                 # (A1)
            s = beta2 * s + (1 - beta2) * D ** 2                            # (A2)
            m_hat, s_hat = m / (1 - beta1 ** t), s / (1 - beta2 ** t)       # (A3), (A4)
            w = w - alpha * m_hat / (np.sqrt(s_hat) + epsilon)              # (A5)
            out.append(w.copy())
        return np.array(out)

    adam = landscape.optimizer_path(VALLEY, START, 0.2, 10, "adam")
    np.testing.assert_allclose(adam, by_hand(0.9, 0.999), rtol=1e-12, err_msg="Adam with the default betas")
    rmsprop = landscape.optimizer_path(VALLEY, START, 0.2, 10, "rmsprop", options={"beta2": 0.9})
    np.testing.assert_allclose(rmsprop, by_hand(0.0, 0.9), rtol=1e-12, err_msg="RMSProp is Adam with beta1 = 0")
    # per-weight step sizes: the first step is alpha in each weight, though D differs by a factor of 27
    np.testing.assert_allclose(np.abs(rmsprop[1] - START), 0.2, rtol=1e-5)   # epsilon aside


def test_optimizer_path_stops_once_diverged_and_sweep_reports_inf():
    path = landscape.optimizer_path(VALLEY, START, 60.0, 500, "gd")       # 60 > 2 / mu_max = 46.7
    assert len(path) < 501 and np.linalg.norm(path[-1]) > 1e6 and np.isfinite(path).all()
    J = landscape.optimizer_sweep(VALLEY, START, [10.0, 60.0], 500, "gd")
    assert np.isfinite(J[0]) and J[1] == np.inf
    end = landscape.optimizer_path(VALLEY, START, 10.0, 500, "gd")[-1]
    assert J[0] == pytest.approx(0.5 * end @ VALLEY @ end, rel=1e-12), "the bowl's cost at the end of the path"


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(optimizer="adagrad"), ValueError, "unknown optimizer"),
    (dict(optimizer="gd", options={"beta": 0.9}), ValueError, "not settings of optimizer='gd'"),
    (dict(optimizer="rmsprop", options={"beta1": 0.9}), ValueError, r"it takes \['beta2', 'epsilon'\]"),
    (dict(optimizer="momentum", options=[0.9]), TypeError, "options must be a dict"),
    (dict(optimizer="momentum", options={"beta": 1.0}), ValueError, "beta must be >= 0 and < 1"),
    (dict(start=(1.0, 2.0, 3.0)), ValueError, "pairs of numbers"),
    (dict(alpha=0.0), ValueError, "alpha"),
])
def test_optimizer_path_rejects_bad_settings_with_clear_errors(kwargs, error, words):
    call = dict(H=VALLEY, start=START, alpha=1.0, steps=3, optimizer="gd") | kwargs
    with pytest.raises(error, match=words):
        landscape.optimizer_path(**call)


def _best(H, optimizer, options=None, steps=40):
    """J / J(start) after `steps` steps at the optimizer's best alpha of the notebook's grid."""
    J0 = 0.5 * START @ H @ START
    return float(landscape.optimizer_sweep(H, START, ALPHAS, steps, optimizer, options=options).min() / J0)


def test_per_weight_step_sizes_help_on_an_aligned_valley_and_not_on_a_turned_one():
    # notebook 16: RMSProp straightens a valley that runs along the weights' axes, not a diagonal one
    assert _best(VALLEY, "rmsprop") < 1e-6 * _best(VALLEY, "gd")
    turned = _turned(VALLEY, 45)
    assert _best(turned, "rmsprop") > _best(turned, "gd")


def test_moderate_momentum_beats_gd_and_heavy_momentum_does_not_on_a_mild_valley():
    for H in (VALLEY, _turned(VALLEY, 45)):
        assert _best(H, "momentum", {"beta": 0.5}) < 1e-3 * _best(H, "gd")
        assert _best(H, "momentum", {"beta": 0.9}) > _best(H, "gd")


def test_adam_with_default_betas_does_not_beat_tuned_gd_on_a_mild_quadratic_valley():
    # The honest result of notebook 16: at equal steps, each at its best alpha, plain descent wins here;
    # Adam carries momentum beta1 = 0.9, too much for a curvature ratio of about 10.
    for H in (VALLEY, _turned(VALLEY, 45)):
        assert _best(H, "adam") > _best(H, "gd")
