"""experiments: lambda sweeps, gradient norms, hidden-unit spread, stopping rules and timings."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import experiments


def test_lambda_sweep_shrinks_weights_and_reports_every_lambda(sin_problem):
    Theta, X, Y = sin_problem
    calls = []
    sweep = experiments.lambda_sweep(Theta, X, Y, X, Y, [0.0, 0.5, 3.0], alpha=1.0, epochs=50,
                                  progress=lambda k, lam, epoch: calls.append((k, lam, epoch)))
    assert list(sweep["lambda"]) == [0.0, 0.5, 3.0] and len(sweep["Theta"]) == 3
    for key in ("train_cost", "test_cost", "train_accuracy", "test_accuracy"):
        assert sweep[key].shape == (3,)
    norms = [sum(np.sum(T[l][:, 1:] ** 2) for l in T) for T in sweep["Theta"]]
    assert norms[0] > norms[1] > norms[2], "a larger lambda must leave smaller weights"
    assert sweep["train_cost"][2] > sweep["train_cost"][0], "lambda = 3 under-fits the training set"
    np.testing.assert_allclose(sweep["train_cost"], sweep["test_cost"])      # same data passed twice
    assert calls[0] == (0, 0.0, 0) and calls[-1] == (2, 3.0, 50) and len(calls) == 3 * 51


def test_gradient_norms_are_the_norm_of_each_layer():
    D = {1: np.ones((2, 3)), 2: np.zeros((1, 3))}
    np.testing.assert_allclose(experiments.gradient_norms(D), [np.sqrt(6), 0])


def test_hidden_unit_spread_is_zero_only_for_identical_units():
    same = {1: np.tile([[0.1, 0.2, 0.3]], (3, 1)), 2: np.array([[0.5, 0.4, 0.4, 0.4]])}
    assert experiments.hidden_unit_spread(same) == {2: 0.0}
    other_out = {1: same[1], 2: np.array([[0.5, 0.4, 0.4, 0.9]])}
    assert experiments.hidden_unit_spread(other_out)[2] == pytest.approx(0.5), "outgoing weights count too"


def test_zero_initialization_keeps_hidden_units_identical():
    X, Y = bp.datasets.blobs(m=60, centers=3, seed=0)
    Theta, _ = bp.train(bp.init_thetas([2, 4, 3], epsilon_init=0.0), X, Y, alpha=1.0, epochs=20)
    assert experiments.hidden_unit_spread(Theta)[2] < 1e-9
    assert np.abs(Theta[2][:, 1:]).max() > 0.01, "the units did learn, all the same thing"


def test_stop_when_target_and_patience():
    stop = experiments.stop_when(target_cost=0.5)
    assert stop(1, None, {"cost": [0.7]}) is True
    assert stop(2, None, {"cost": [0.5]}) is False and "target" in stop.reason
    stop = experiments.stop_when(patience=2, on="val_cost")
    results = [stop(e, None, {"val_cost": [v]}) for e, v in enumerate([1.0, 0.8, 0.9, 0.85])]
    assert results == [True, True, True, False] and "best 0.8000 at epoch 1" in stop.reason
    with pytest.raises(ValueError, match="validation"):
        experiments.stop_when(patience=2, on="val_cost")(0, None, {"cost": [1.0]})
    with pytest.raises(ValueError, match="needs a rule"):
        experiments.stop_when()


def test_stop_when_stops_train_early(sin_problem):
    Theta, X, Y = sin_problem
    stop = experiments.stop_when(target_cost=0.6)
    _, history = bp.train(Theta, X, Y, alpha=1.0, epochs=500, callback=stop)
    assert history["stopped_early"] and history["cost"][-1] <= 0.6 < history["cost"][-2]


def test_time_backprop_reports_both_and_their_ratio(sin_problem):
    Theta, X, Y = sin_problem
    t = experiments.time_backprop(Theta, X, Y, repeats=2)
    assert set(t) == {"loop", "vectorized", "speedup"} and t["loop"] > 0 and t["vectorized"] > 0
    assert t["speedup"] == pytest.approx(t["loop"] / t["vectorized"])
