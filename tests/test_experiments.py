"""experiments: lambda sweeps, gradient norms, hidden-unit spread, stopping rules and timings."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import experiments, network


def test_lambda_sweep_shrinks_weights_and_reports_every_lambda(sin_problem):
    Theta, X, Y = sin_problem
    calls = []
    sweep = experiments.lambda_sweep(Theta, X, Y, X, Y, [0.0, 0.5, 3.0], alpha=1.0, epochs=50,
                                  progress=lambda k, lam, epoch: calls.append((k, lam, epoch)))
    assert list(sweep["lambda"]) == [0.0, 0.5, 3.0] and len(sweep["Theta"]) == 3
    for key in ("train_cost", "val_cost", "train_accuracy", "val_accuracy"):
        assert sweep[key].shape == (3,)
    norms = [sum(np.sum(T[l][:, 1:] ** 2) for l in T) for T in sweep["Theta"]]
    assert norms[0] > norms[1] > norms[2], "a larger lambda must leave smaller weights"
    assert sweep["train_cost"][2] > sweep["train_cost"][0], "lambda = 3 under-fits the training set"
    np.testing.assert_allclose(sweep["train_cost"], sweep["val_cost"])      # same data passed twice
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


# -- timing: the numerical gradient against backprop ------------------------------------------------------

def small_network(sizes=(3, 4, 2), m=6):
    Theta = {l: np.sin(np.arange(sizes[l] * (sizes[l - 1] + 1)) + l).reshape(sizes[l], sizes[l - 1] + 1) / 2
             for l in range(1, len(sizes))}
    X = np.cos(np.arange(sizes[0] * m)).reshape(sizes[0], m)
    Y = bp.one_hot(np.arange(m) % sizes[-1], sizes[-1])
    return Theta, X, Y


def test_backprop_passes_by_hand():
    # 3-4-2: N = 4 * 4 + 2 * 5 = 26 weights; forward and Delta (BP3) 26 multiply-adds each per example,
    # Theta(2)' d(3) (BP2) 4 * 2 = 8 more; layer 1's Theta(1)' d(2) is never computed.
    Theta, _, _ = small_network()
    assert experiments.backprop_passes(Theta) == pytest.approx(2 + 8 / 26, rel=1e-15)
    # 64-25-10 (the digits network): N = 25 * 65 + 10 * 26 = 1885, Theta(2)' d(3): 25 * 10 = 250.
    assert experiments.backprop_passes(bp.init_thetas([64, 25, 10], seed=0)) == pytest.approx(2 + 250 / 1885, rel=1e-15)
    # No hidden layer: a forward pass and Delta only.
    assert experiments.backprop_passes({1: np.ones((2, 4))}) == 2.0
    # Many equal hidden layers come close to, but never reach, 3.
    deep = bp.init_thetas([1] + [50] * 6 + [1], seed=0)
    assert 2.9 < experiments.backprop_passes(deep) < 3.0


def test_time_gradients_reports_times_ratio_and_counts():
    Theta, X, Y = small_network()
    result = experiments.time_gradients(Theta, X, Y, repeats=2, lambda_=0.5, output="softmax")
    assert set(result) == {"weights", "numerical_seconds", "backprop_seconds", "ratio", "numerical_passes",
                           "backprop_passes", "predicted_ratio", "relative_error"}
    assert result["weights"] == 26
    assert result["numerical_passes"] == 2 * 26, "central differences: two forward passes per weight (NG)"
    assert result["backprop_passes"] == experiments.backprop_passes(Theta)
    assert result["predicted_ratio"] == pytest.approx(52 / experiments.backprop_passes(Theta), rel=1e-15)
    assert result["numerical_seconds"] > 0 and result["backprop_seconds"] > 0
    assert result["ratio"] == pytest.approx(result["numerical_seconds"] / result["backprop_seconds"], rel=1e-12)
    assert result["relative_error"] < 1e-8, "both timed computations produced the same D"


def test_the_counted_forward_passes_are_the_ones_made(monkeypatch):
    calls = []
    real_forward = network.forward_unchecked

    def counting_forward(*args, **kwargs):
        calls.append(1)
        return real_forward(*args, **kwargs)

    monkeypatch.setattr(network, "forward_unchecked", counting_forward)
    Theta, X, Y = small_network()
    result = experiments.time_gradients(Theta, X, Y, repeats=3)
    assert len(calls) == 3 * (result["numerical_passes"] + 1), (
        "per repeat: numerical_passes forward passes for the numerical gradient, one for backprop")


def test_time_gradients_checks_its_arguments():
    Theta, X, Y = small_network()
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        experiments.time_gradients(Theta, X, Y, repeats=0)
    with pytest.raises(ValueError, match="X has shape"):
        experiments.time_gradients(Theta, X.T, Y)
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        experiments.time_gradients(Theta, X, Y, epsilon=0)
    with pytest.raises(TypeError, match="Theta must be a dict"):
        experiments.backprop_passes([Theta[1], Theta[2]])


# -- compare_optimizers and layer_statistics (notebooks 16 and 17) ------------------------------------------

def test_compare_optimizers_picks_the_best_held_out_alpha_and_trains_every_seed(moons):
    X, Y = moons
    X_fit, Y_fit, X_val, Y_val = X[:, :40], Y[:, :40], X[:, 40:], Y[:, 40:]
    grids = {"gd": [0.3, 3.0], "adam": [0.003, 0.1]}
    result = experiments.compare_optimizers([2, 4, 1], X_fit, Y_fit, X_val, Y_val, grids, epochs=15,
                                            seeds=(1, 2, 3), batch_size=10, sweep_seed=0)
    for optimizer, grid in grids.items():
        sweep = result["sweep"][optimizer]
        assert sweep.shape == (2,)
        assert result["alpha"][optimizer] == grid[int(np.argmin(sweep))], "the lowest held-out cost wins"
        assert result["cost"][optimizer].shape == result["val_cost"][optimizer].shape == (3, 16)
        assert len(result["Theta"][optimizer]) == 3
        # seed s: init_thetas(seed=s) and train(seed=s), as the docstring says
        _, history = bp.train(bp.init_thetas([2, 4, 1], seed=2), X_fit, Y_fit, result["alpha"][optimizer],
                              epochs=15, batch_size=10, seed=2, optimizer=optimizer, validation=(X_val, Y_val))
        np.testing.assert_allclose(result["cost"][optimizer][1], history["cost"], rtol=1e-12)
        np.testing.assert_allclose(result["val_cost"][optimizer][1], history["val_cost"], rtol=1e-12)
        # the sweep's score is the held-out cost after the last epoch of the sweep seed
        _, sweep_history = bp.train(bp.init_thetas([2, 4, 1], seed=0), X_fit, Y_fit, grid[0], epochs=15,
                                    batch_size=10, seed=0, optimizer=optimizer, validation=(X_val, Y_val))
        assert sweep[0] == pytest.approx(sweep_history["val_cost"][-1], rel=1e-12)


def test_compare_optimizers_scores_a_diverging_rate_as_inf(moons):
    X, Y = moons
    Y_real = X[:1] + 0.5 * X[1:]                               # a regression target for identity + mse
    linear = dict(activation="identity", output="identity", loss="mse")       # nothing saturates: it blows up
    result = experiments.compare_optimizers([2, 3, 1], X[:, :40], Y_real[:, :40], X[:, 40:], Y_real[:, 40:],
                                            {"gd": [0.05, 1e4]}, epochs=10, seeds=(1,), **linear)
    assert np.isfinite(result["sweep"]["gd"][0]) and result["sweep"]["gd"][1] == np.inf
    assert result["alpha"]["gd"] == 0.05
    with pytest.raises(bp.TrainingDiverged, match="diverged at every learning rate"):
        experiments.compare_optimizers([2, 3, 1], X[:, :40], Y_real[:, :40], X[:, 40:], Y_real[:, 40:],
                                       {"gd": [1e4]}, epochs=10, seeds=(1,), **linear)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(alphas=[0.1]), TypeError, "alphas must be a dict"),
    (dict(alphas={"sgd": [0.1]}), ValueError, "unknown optimizer"),
    (dict(alphas={"gd": []}), ValueError, "is empty"),
    (dict(alphas={"gd": 0.1}), TypeError, "must be a list of learning rates"),
    (dict(alphas={"gd": [0.1, -1.0]}), ValueError, "alpha"),
    (dict(seeds=()), ValueError, "at least one seed"),
    (dict(seeds=(1.5,)), TypeError, "whole number"),
])
def test_compare_optimizers_checks_its_arguments(moons, kwargs, error, words):
    X, Y = moons
    call = dict(layer_sizes=[2, 3, 1], X_train=X, Y_train=Y, X_val=X, Y_val=Y, alphas={"gd": [0.1]},
                epochs=1) | kwargs
    with pytest.raises(error, match=words):
        experiments.compare_optimizers(**call)


def test_layer_statistics_are_the_forward_and_backward_values_per_layer(sin_problem):
    Theta = {1: np.sin(np.arange(12.0)).reshape(3, 4), 2: np.cos(np.arange(8.0)).reshape(2, 4),
             3: np.sin(np.arange(3.0) + 1).reshape(1, 3)}
    X = np.sin(np.arange(15.0) * 0.7).reshape(3, 5)
    Y = np.array([[0.0, 1.0, 1.0, 0.0, 1.0]])
    stats = experiments.layer_statistics(Theta, X, Y, lambda_=0.4, activation="tanh")
    a, z = bp.forward(Theta, X, activation="tanh")
    D = bp.backprop(Theta, X, Y, 0.4, activation="tanh")
    assert sorted(stats["a"]) == sorted(stats["g_prime"]) == [2, 3] and sorted(stats["D"]) == [1, 2, 3]
    for l in (2, 3):
        np.testing.assert_array_equal(stats["a"][l], a[l][1:], err_msg=f"a({l}) without its bias row")
        np.testing.assert_allclose(stats["g_prime"][l], bp.tanh_gradient(z[l]), rtol=1e-15)
        assert stats["a_std"][l] == pytest.approx(np.std(a[l][1:]))
    for l in (1, 2, 3):
        np.testing.assert_array_equal(stats["D"][l], D[l][:, 1:], err_msg=f"D({l}) without its bias column")
        assert stats["D_std"][l] == pytest.approx(np.std(D[l][:, 1:]))


def test_scaled_ranges_keep_deep_signals_steady_and_small_ones_vanish():
    # Notebook 17 in small: L = 8 layers of 60 units on the digits. He keeps ReLU's activations and
    # gradients within a few times from layer to layer, Glorot keeps tanh's; 0.01 makes them vanish;
    # 1.0 makes ReLU explode.
    X, Y = bp.datasets.digits()
    X, Y = X[:, :200], Y[:, :200]
    sizes = [64] + [60] * 6 + [10]

    def stats(g, epsilon_init):
        return experiments.layer_statistics(bp.init_thetas(sizes, epsilon_init=epsilon_init, seed=3), X, Y,
                                            activation=g)

    for g, rule in (("relu", "he"), ("tanh", "glorot")):
        s = stats(g, rule)
        assert 0.5 < s["a_std"][7] / s["a_std"][2] < 2, f"{g} with {rule}: activations steady"
        assert 0.1 < s["D_std"][1] / s["D_std"][6] < 10, f"{g} with {rule}: gradients steady"
        small = stats(g, 0.01)
        assert small["D_std"][1] / small["D_std"][6] < 1e-4, f"{g} with 0.01: the gradient vanishes"
    large = stats("relu", 1.0)
    assert large["a_std"][7] / large["a_std"][2] > 100, "relu with 1.0: the signal explodes"


def test_layer_statistics_checks_its_inputs(sin_problem):
    Theta, X, Y = sin_problem
    with pytest.raises(ValueError, match="unknown activation"):
        experiments.layer_statistics(Theta, X, Y, activation="sigmoidd")
    with pytest.raises(ValueError, match="X has shape"):
        experiments.layer_statistics(Theta, X.T, Y)
