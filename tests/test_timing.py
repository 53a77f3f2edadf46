"""Tests of backprop_course.timing: what time_gradients returns and that its counts are true.

Never its speed (tests do not time things; benchmarks/ does): the structure of the result, the counts
against hand-computed values and against the forward passes actually made, and the argument checks.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose

import backprop_course as bp
from backprop_course import network, timing


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
    assert timing.backprop_passes(Theta) == pytest.approx(2 + 8 / 26, rel=1e-15)
    # 64-25-10 (the digits network): N = 25 * 65 + 10 * 26 = 1885, Theta(2)' d(3): 25 * 10 = 250.
    assert timing.backprop_passes(bp.init_thetas([64, 25, 10], seed=0)) == pytest.approx(2 + 250 / 1885, rel=1e-15)
    # No hidden layer: a forward pass and Delta only.
    assert timing.backprop_passes({1: np.ones((2, 4))}) == 2.0
    # Many equal hidden layers come close to, but never reach, 3.
    deep = bp.init_thetas([1] + [50] * 6 + [1], seed=0)
    assert 2.9 < timing.backprop_passes(deep) < 3.0


def test_time_gradients_reports_times_ratio_and_counts():
    Theta, X, Y = small_network()
    result = timing.time_gradients(Theta, X, Y, repeats=2, lambda_=0.5, output="softmax")
    assert set(result) == {"weights", "numerical_seconds", "backprop_seconds", "ratio", "numerical_passes",
                           "backprop_passes", "predicted_ratio", "relative_error"}
    assert result["weights"] == 26
    assert result["numerical_passes"] == 2 * 26, "central differences: two forward passes per weight (NG)"
    assert result["backprop_passes"] == timing.backprop_passes(Theta)
    assert result["predicted_ratio"] == pytest.approx(52 / timing.backprop_passes(Theta), rel=1e-15)
    assert result["numerical_seconds"] > 0 and result["backprop_seconds"] > 0
    assert result["ratio"] == pytest.approx(result["numerical_seconds"] / result["backprop_seconds"], rel=1e-12)
    assert result["relative_error"] < 1e-8, "both timed computations produced the same D"


def test_the_counted_forward_passes_are_the_ones_made(monkeypatch):
    calls = []
    real_forward = network._forward

    def counting_forward(*args, **kwargs):
        calls.append(1)
        return real_forward(*args, **kwargs)

    monkeypatch.setattr(network, "_forward", counting_forward)
    Theta, X, Y = small_network()
    result = timing.time_gradients(Theta, X, Y, repeats=3)
    assert len(calls) == 3 * (result["numerical_passes"] + 1), (
        "per repeat: numerical_passes forward passes for the numerical gradient, one for backprop")


def test_time_gradients_checks_its_arguments():
    Theta, X, Y = small_network()
    with pytest.raises(ValueError, match="repeats must be >= 1"):
        timing.time_gradients(Theta, X, Y, repeats=0)
    with pytest.raises(ValueError, match="X has shape"):
        timing.time_gradients(Theta, X.T, Y)
    with pytest.raises(ValueError, match="epsilon must be > 0"):
        timing.time_gradients(Theta, X, Y, epsilon=0)
    with pytest.raises(TypeError, match="Theta must be a dict"):
        timing.backprop_passes([Theta[1], Theta[2]])


def test_timing_is_loaded_on_first_use():
    assert bp.timing is timing
    assert_allclose(bp.timing.backprop_passes({1: np.ones((1, 2))}), 2.0)
