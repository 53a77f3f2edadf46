"""analysis: cost surfaces, descent paths, the bowl's regimes, confusion matrices, sweeps and stopping rules."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import analysis

WEIGHTS = ((1, 0, 1), (2, 0, 2))


@pytest.fixture(scope="module")
def net():
    Theta = {1: np.sin(np.arange(9.0)).reshape(3, 3), 2: np.cos(np.arange(4.0)).reshape(1, 4)}
    X = np.sin(np.arange(12.0) * 0.7).reshape(2, 6)
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
    return Theta, X, Y


def test_cost_surface_holds_J_at_each_grid_point(net):
    Theta, X, Y = net
    W1, W2, J = analysis.cost_surface(Theta, X, Y, WEIGHTS, ((-1, 1), (-2, 0)), n=5, lambda_=0.3)
    assert W1.shape == W2.shape == J.shape == (5, 5)
    assert W1[0, 0] == -1 and W1[0, -1] == 1 and W2[0, 0] == -2 and W2[-1, 0] == 0
    moved = {l: T.copy() for l, T in Theta.items()}
    moved[1][0, 1], moved[2][0, 2] = W1[3, 1], W2[3, 1]
    assert J[3, 1] == pytest.approx(bp.cost(moved, X, Y, 0.3), rel=1e-12)


def test_descent_path_steps_against_the_two_partial_derivatives(net):
    Theta, X, Y = net
    path, J = analysis.descent_path(Theta, X, Y, WEIGHTS, alpha=0.5, steps=3)
    assert path.shape == (4, 2) and J.shape == (4,)
    D = bp.backprop(Theta, X, Y)
    expected = np.array([Theta[1][0, 1], Theta[2][0, 2]]) - 0.5 * np.array([D[1][0, 1], D[2][0, 2]])   # (GD)
    np.testing.assert_allclose(path[1], expected, rtol=1e-12, err_msg="one (GD) step on the two weights")
    assert np.all(np.diff(J) < 0), "a small alpha must lower J at every step"


def test_hessian_2d_matches_second_differences_of_J(net):
    Theta, X, Y = net
    H = analysis.hessian_2d(Theta, X, Y, WEIGHTS)
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


def test_quadratic_descent_shrinks_each_eigendirection_by_one_minus_alpha_lambda():
    H = np.array([[4.0, 0.0], [0.0, 1.0]])
    for alpha in (0.1, 0.4, 0.6):
        path = analysis.quadratic_descent(H, (1.0, 1.0), alpha, 3, center=(0.0, 0.0))
        np.testing.assert_allclose(path[3], [(1 - 4 * alpha) ** 3, (1 - alpha) ** 3], rtol=1e-12)
    diverged = analysis.quadratic_descent(H, (1.0, 1.0), 0.75, 500)
    assert len(diverged) < 501 and np.linalg.norm(diverged[-1]) > 1e6, "alpha * lambda_max = 3 must blow up"


@pytest.mark.parametrize("alpha, regime", [
    (0.01, "too small"), (0.049, "too small"), (0.05, "good"), (0.25, "good"), (0.3, "oscillating"),
    (0.49, "oscillating"), (0.5, "diverging"), (2.0, "diverging"),
])
def test_step_regime_boundaries_follow_alpha_lambda_max(alpha, regime):
    H = np.array([[4.0, 0.0], [0.0, 1.0]])             # lambda_max = 4: boundaries 0.05, 0.25, 0.5
    assert analysis.step_regime(alpha, H) == regime


def test_bowl_functions_reject_a_bowl_without_bottom():
    with pytest.raises(ValueError, match="positive definite"):
        analysis.step_regime(0.1, np.array([[1.0, 0.0], [0.0, -1.0]]))
    W1, W2 = np.meshgrid([0.0, 1.0], [0.0, 2.0])
    np.testing.assert_allclose(analysis.quadratic_cost(np.diag([2.0, 1.0]), W1, W2), [[0, 1], [2, 3]])


def test_confusion_matrix_counts_true_rows_and_predicted_columns():
    C = analysis.confusion_matrix([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], K=3)
    np.testing.assert_array_equal(C, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert analysis.accuracy([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2]) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="0 .. 2"):
        analysis.confusion_matrix([0, 3], [0, 1], K=3)
    with pytest.raises(ValueError, match="argmax"):
        analysis.confusion_matrix(np.eye(3), np.eye(3), K=3)


def test_lambda_sweep_shrinks_weights_and_reports_every_lambda(net):
    Theta, X, Y = net
    calls = []
    sweep = analysis.lambda_sweep(Theta, X, Y, X, Y, [0.0, 0.5, 3.0], alpha=1.0, epochs=50,
                                  progress=lambda k, lam, epoch: calls.append((k, lam, epoch)))
    assert list(sweep["lambda"]) == [0.0, 0.5, 3.0] and len(sweep["Theta"]) == 3
    for key in ("train_cost", "test_cost", "train_accuracy", "test_accuracy"):
        assert sweep[key].shape == (3,)
    norms = [sum(np.sum(T[l][:, 1:] ** 2) for l in T) for T in sweep["Theta"]]
    assert norms[0] > norms[1] > norms[2], "a larger lambda must leave smaller weights"
    assert sweep["train_cost"][2] > sweep["train_cost"][0], "lambda = 3 under-fits the training set"
    np.testing.assert_allclose(sweep["train_cost"], sweep["test_cost"])      # same data passed twice
    assert calls[0] == (0, 0.0, 0) and calls[-1] == (2, 3.0, 50) and len(calls) == 3 * 51


def test_gradient_norms_and_glorot_range():
    D = {1: np.ones((2, 3)), 2: np.zeros((1, 3))}
    np.testing.assert_allclose(analysis.gradient_norms(D), [np.sqrt(6), 0])
    Theta = analysis.glorot_thetas([4, 12, 2], seed=0)
    assert Theta[1].shape == (12, 5) and Theta[2].shape == (2, 13)
    assert np.abs(Theta[1]).max() <= np.sqrt(6 / 16) and np.abs(Theta[2]).max() <= np.sqrt(6 / 14)
    assert np.abs(Theta[1]).max() > 0.8 * np.sqrt(6 / 16), "the range must actually be used"


def test_hidden_unit_spread_is_zero_only_for_identical_units():
    same = {1: np.tile([[0.1, 0.2, 0.3]], (3, 1)), 2: np.array([[0.5, 0.4, 0.4, 0.4]])}
    assert analysis.hidden_unit_spread(same) == {2: 0.0}
    other_out = {1: same[1], 2: np.array([[0.5, 0.4, 0.4, 0.9]])}
    assert analysis.hidden_unit_spread(other_out)[2] == pytest.approx(0.5), "outgoing weights count too"


def test_zero_initialization_keeps_hidden_units_identical():
    X, Y = bp.datasets.blobs(m=60, centers=3, seed=0)
    Theta, _ = bp.train(bp.init_thetas([2, 4, 3], epsilon_init=0.0), X, Y, alpha=1.0, epochs=20)
    assert analysis.hidden_unit_spread(Theta)[2] < 1e-9
    assert np.abs(Theta[2][:, 1:]).max() > 0.01, "the units did learn, all the same thing"


def test_stop_when_target_and_patience():
    stop = analysis.stop_when(target_cost=0.5)
    assert stop(1, None, {"cost": [0.7]}) is True
    assert stop(2, None, {"cost": [0.5]}) is False and "target" in stop.reason
    stop = analysis.stop_when(patience=2, on="val_cost")
    results = [stop(e, None, {"val_cost": [v]}) for e, v in enumerate([1.0, 0.8, 0.9, 0.85])]
    assert results == [True, True, True, False] and "best 0.8000 at epoch 1" in stop.reason
    with pytest.raises(ValueError, match="validation"):
        analysis.stop_when(patience=2, on="val_cost")(0, None, {"cost": [1.0]})
    with pytest.raises(ValueError, match="needs a rule"):
        analysis.stop_when()


def test_stop_when_stops_train_early(net):
    Theta, X, Y = net
    stop = analysis.stop_when(target_cost=0.6)
    _, history = bp.train(Theta, X, Y, alpha=1.0, epochs=500, callback=stop)
    assert history["stopped_early"] and history["cost"][-1] <= 0.6 < history["cost"][-2]


def test_time_backprop_reports_both_and_their_ratio(net):
    Theta, X, Y = net
    t = analysis.time_backprop(Theta, X, Y, repeats=2)
    assert set(t) == {"loop", "vectorized", "speedup"} and t["loop"] > 0 and t["vectorized"] > 0
    assert t["speedup"] == pytest.approx(t["loop"] / t["vectorized"])


def test_weights_must_name_two_entries_of_theta(net):
    Theta, X, Y = net
    with pytest.raises(ValueError, match="not an entry of Theta"):
        analysis.cost_surface(Theta, X, Y, ((1, 5, 0), (2, 0, 1)), ((0, 1), (0, 1)))
    with pytest.raises(ValueError, match="two different"):
        analysis.descent_path(Theta, X, Y, ((1, 0, 1), (1, 0, 1)), 0.1, 1)
    with pytest.raises(TypeError, match="pair"):
        analysis.hessian_2d(Theta, X, Y, (1, 0, 1))
