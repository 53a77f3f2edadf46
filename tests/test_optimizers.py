"""Tests of the optimizers in backprop_course.training: momentum_step, adam_step, clip_by_norm, train(optimizer=).

The oracles are the published recurrences written out weight by weight in plain Python floats (no
numpy, no library code): momentum as torch.optim.SGD(momentum=beta, dampening=0) defines it, Adam as
Kingma & Ba (2015), Algorithm 1. Then train(optimizer=...) must be exactly those steps, one per batch.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course import training

X_XOR, Y_XOR = bp.datasets.xor()


def xor_start(seed=0):
    return bp.init_thetas([2, 3, 1], epsilon_init=1.0, seed=seed)


def flat(Theta):
    """Theta's entries as one list of Python floats (layer by layer, row by row)."""
    return [float(w) for l in sorted(Theta) for w in np.ravel(Theta[l])]


def layered(values, like):
    """The inverse of flat: a dict shaped like `like`, filled from a list of floats."""
    out, k = {}, 0
    for l in sorted(like):
        size = like[l].size
        out[l] = np.array(values[k:k + size]).reshape(like[l].shape)
        k += size
    return out


# A quadratic valley J = sum_i c_i w_i^2 / 2, narrow in some directions: D = c w, written per weight.
THETA0 = {1: np.array([[0.5, -1.2, 2.0], [0.3, 0.8, -0.6]]), 2: np.array([[1.5, -0.4, 0.9]])}
CURVATURE = [0.1, 4.0, 1.0, 25.0, 0.5, 2.0, 9.0, 0.05, 1.5]


def valley_D(Theta):
    return layered([c * w for c, w in zip(CURVATURE, flat(Theta), strict=True)], Theta)


# -- momentum_step ---------------------------------------------------------------------------------------

def momentum_by_hand(theta0, gradient_of, alpha, beta, steps):
    """v := beta v + g; w := w - alpha v, one weight at a time in Python floats (torch's SGD convention)."""
    theta, velocity = list(theta0), [0.0] * len(theta0)
    for _ in range(steps):
        g = gradient_of(theta)
        velocity = [beta * v_i + g_i for v_i, g_i in zip(velocity, g, strict=True)]
        theta = [w - alpha * v_i for w, v_i in zip(theta, velocity, strict=True)]
    return theta, velocity


def test_momentum_matches_the_recurrence_by_hand_over_200_steps():
    alpha, beta, steps = 0.03, 0.9, 200
    Theta, velocity = THETA0, None
    for _ in range(steps):
        Theta, velocity = bp.momentum_step(Theta, valley_D(Theta), velocity, alpha, beta)
    theta, v = momentum_by_hand(flat(THETA0), lambda w: [c * w_i for c, w_i in zip(CURVATURE, w, strict=True)],
                                alpha, beta, steps)
    assert_allclose(flat(Theta), theta, rtol=1e-12, atol=1e-300, err_msg="Theta after 200 steps of (M1), (M2)")
    assert_allclose(flat(velocity), v, rtol=1e-12, atol=1e-300, err_msg="velocity after 200 steps of (M1)")
    J = lambda w: sum(c * w_i ** 2 / 2 for c, w_i in zip(CURVATURE, w, strict=True))   # noqa: E731
    assert J(theta) < 1e-5 * J(flat(THETA0)), "the sequence reaches the valley's floor (J falls 10^5-fold)"


def test_momentum_pinned_first_steps():
    # One weight, D = 2 each step, alpha = 0.1, beta = 0.5: v = 2, 3, 3.5; w = 1 - 0.2, - 0.3, - 0.35.
    Theta, velocity = {1: np.array([[1.0, 0.0]])}, None
    D = {1: np.array([[2.0, 0.0]])}
    expected = [(0.8, 2.0), (0.5, 3.0), (0.15, 3.5)]
    for w, v in expected:
        Theta, velocity = bp.momentum_step(Theta, D, velocity, alpha=0.1, beta=0.5)
        assert_allclose([Theta[1][0, 0], velocity[1][0, 0]], [w, v], rtol=1e-15)


def test_momentum_with_velocity_none_starts_from_zeros_and_first_step_is_plain_descent():
    D = valley_D(THETA0)
    from_none = bp.momentum_step(THETA0, D, None, 0.1)
    from_zeros = bp.momentum_step(THETA0, D, {l: np.zeros_like(T) for l, T in THETA0.items()}, 0.1)
    plain = bp.gradient_descent_step(THETA0, D, 0.1)
    for l in THETA0:
        assert_array_equal(from_none[0][l], from_zeros[0][l])
        assert_array_equal(from_none[1][l], D[l], err_msg="the first velocity is D itself")
        assert_array_equal(from_none[0][l], plain[l], err_msg="the first momentum step is (GD)")


def test_momentum_with_beta_0_is_gradient_descent():
    Theta, velocity = THETA0, None
    plain = THETA0
    for _ in range(5):
        Theta, velocity = bp.momentum_step(Theta, valley_D(Theta), velocity, 0.05, beta=0.0)
        plain = bp.gradient_descent_step(plain, valley_D(plain), 0.05)
    for l in THETA0:
        assert_array_equal(Theta[l], plain[l])


# -- adam_step -------------------------------------------------------------------------------------------

def adam_by_hand(theta0, gradient_of, alpha, steps, beta1=0.9, beta2=0.999, epsilon=1e-8):
    """Kingma & Ba (2015), Algorithm 1, one weight at a time in Python floats."""
    theta, m, v = list(theta0), [0.0] * len(theta0), [0.0] * len(theta0)
    for t in range(1, steps + 1):
        g = gradient_of(theta)
        m = [beta1 * m_i + (1 - beta1) * g_i for m_i, g_i in zip(m, g, strict=True)]
        v = [beta2 * v_i + (1 - beta2) * g_i ** 2 for v_i, g_i in zip(v, g, strict=True)]
        m_hat = [m_i / (1 - beta1 ** t) for m_i in m]
        v_hat = [v_i / (1 - beta2 ** t) for v_i in v]
        theta = [w - alpha * mh / (math.sqrt(vh) + epsilon) for w, mh, vh in zip(theta, m_hat, v_hat, strict=True)]
    return theta, m, v


@pytest.mark.parametrize("betas", [(0.9, 0.999, 1e-8), (0.5, 0.9, 1e-6)], ids=["defaults", "other-betas"])
def test_adam_matches_algorithm_1_by_hand_over_300_steps(betas):
    beta1, beta2, epsilon = betas
    alpha, steps = 0.01, 300
    Theta, state = THETA0, None
    for _ in range(steps):
        Theta, state = bp.adam_step(Theta, valley_D(Theta), state, alpha, beta1, beta2, epsilon)
    theta, m, v = adam_by_hand(flat(THETA0), lambda w: [c * w_i for c, w_i in zip(CURVATURE, w, strict=True)],
                               alpha, steps, beta1, beta2, epsilon)
    assert state["t"] == steps, "t counts the steps"
    assert_allclose(flat(Theta), theta, rtol=1e-12, atol=1e-15, err_msg="Theta after 300 Adam steps (A1)-(A5)")
    assert_allclose(flat(state["m"]), m, rtol=1e-12, atol=1e-300, err_msg="m, the moving average of D (A1)")
    assert_allclose(flat(state["v"]), v, rtol=1e-12, atol=1e-300, err_msg="v, the moving average of D^2 (A2)")


def test_adam_pinned_first_step():
    # One weight, D = 0.5, alpha = 0.1: m = 0.05, v = 0.00025; m_hat = 0.5, v_hat = 0.25;
    # step = 0.1 * 0.5 / (0.5 + 1e-8).
    Theta, state = bp.adam_step({1: np.array([[1.0, 0.0]])}, {1: np.array([[0.5, 0.0]])}, None, alpha=0.1)
    assert_allclose(Theta[1][0, 0], 1.0 - 0.1 * 0.5 / (0.5 + 1e-8), rtol=1e-15)
    assert_allclose([state["m"][1][0, 0], state["v"][1][0, 0]], [0.05, 0.00025], rtol=1e-14)
    assert state["t"] == 1
    assert Theta[1][0, 1] == 0.0, "a weight whose D is 0 does not move (epsilon keeps 0 / 0 away)"


def test_adam_bias_correction_makes_the_first_steps_alpha_whatever_the_gradients_scale():
    # A constant D of very different sizes per weight: after bias correction m_hat = D and
    # v_hat = D^2 exactly in exact arithmetic, so every weight moves by alpha D / (|D| + epsilon).
    D = {1: np.array([[1e-3, -1.0, 1e3]])}
    Theta, state, alpha = {1: np.zeros((1, 3))}, None, 0.01
    for t in range(1, 6):
        before = Theta[1].copy()
        Theta, state = bp.adam_step(Theta, D, state, alpha)
        assert_allclose(Theta[1] - before, -alpha * D[1] / (np.abs(D[1]) + 1e-8), rtol=1e-12,
                        err_msg=f"step {t}: the bias-corrected step is alpha per weight")
    # Without (A3) and (A4) the first step would be (1 - beta1) / sqrt(1 - beta2) = 3.16 times larger
    # than alpha: the averages start at 0, and v's is the smaller fraction of its target.
    uncorrected = alpha * (0.1 * 1.0) / (math.sqrt(0.001 * 1.0 ** 2) + 1e-8)       # m = 0.1 D, v = 0.001 D^2
    first = bp.adam_step({1: np.zeros((1, 3))}, D, None, alpha)[0][1]
    assert_allclose(abs(first[0, 1]), alpha, rtol=1e-7)
    assert uncorrected / alpha == pytest.approx(3.1623, rel=1e-4)


def test_without_bias_correction_the_early_steps_would_be_too_large_not_too_small():
    # Notebook 16's table: a constant D for 1000 steps. With (A3), (A4) every step is alpha; without
    # them the step is alpha (1 - beta1^t) / sqrt(1 - beta2^t): 3.16 alpha at t = 1, about 6.6 alpha
    # near t = 12, still above alpha at t = 1000. Only with beta1 = beta2 would it be too small.
    alpha, D = 0.1, 0.5
    Theta, state = {1: np.zeros((1, 2))}, None
    m = v = 0.0
    ratios = []
    for _ in range(1000):
        before = Theta[1][0, 0]
        Theta, state = bp.adam_step(Theta, {1: np.full((1, 2), D)}, state, alpha)
        assert before - Theta[1][0, 0] == pytest.approx(alpha, rel=1e-7), "the corrected step is alpha"
        m = 0.9 * m + 0.1 * D                                                   # (A1)
        v = 0.999 * v + 0.001 * D ** 2                                          # (A2)
        ratios.append(m / (math.sqrt(v) + 1e-8))             # uncorrected step / alpha: (A5) without (A3), (A4)
    assert ratios[0] == pytest.approx(0.1 / math.sqrt(0.001), rel=1e-6)        # 3.16
    assert max(ratios) == pytest.approx(6.57, abs=0.01) and int(np.argmax(ratios)) + 1 == 12
    assert min(ratios) > 1 and ratios[-1] == pytest.approx(1.26, abs=0.01)
    same_betas = [(1 - 0.9 ** t) / math.sqrt(1 - 0.9 ** t) for t in range(1, 50)]
    assert max(same_betas) < 1, "with beta1 = beta2 the uncorrected steps would be too small"


def test_adam_with_state_none_starts_at_step_0_with_zeros():
    D = valley_D(THETA0)
    zeros = {l: np.zeros_like(T) for l, T in THETA0.items()}
    A, state_a = bp.adam_step(THETA0, D, None, 0.1)
    B, state_b = bp.adam_step(THETA0, D, {"t": 0, "m": zeros, "v": dict(zeros)}, 0.1)
    assert state_a["t"] == state_b["t"] == 1
    for l in THETA0:
        assert_array_equal(A[l], B[l])
        assert_array_equal(state_a["m"][l], state_b["m"][l])


# -- inputs are never modified -----------------------------------------------------------------------------

def snapshot(*dicts):
    return [{k: (np.array(v, copy=True) if not isinstance(v, dict) else snapshot(v)[0]) for k, v in d.items()}
            for d in dicts]


def assert_unchanged(before, after, what):
    for key in before:
        if isinstance(before[key], dict):
            assert_unchanged(before[key], after[key], f"{what}[{key!r}]")
        else:
            assert_array_equal(after[key], before[key], err_msg=f"{what}[{key!r}] was modified in place")


@pytest.mark.parametrize("step", ["momentum", "adam"])
def test_steps_never_modify_their_inputs_and_return_new_arrays(step):
    Theta, D = {l: T.copy() for l, T in THETA0.items()}, valley_D(THETA0)
    if step == "momentum":
        state = bp.momentum_step(Theta, D, None, 0.1)[1]
        call = lambda: bp.momentum_step(Theta, D, state, 0.1)              # noqa: E731
        state_arrays = lambda s: s.values()                               # noqa: E731
    else:
        state = bp.adam_step(Theta, D, None, 0.1)[1]
        call = lambda: bp.adam_step(Theta, D, state, 0.1)                  # noqa: E731
        state_arrays = lambda s: [*s["m"].values(), *s["v"].values()]     # noqa: E731
    before = snapshot(Theta, D, state)
    new_Theta, new_state = call()
    for b, now, name in zip(before, (Theta, D, state), ("Theta", "D", "state"), strict=True):
        assert_unchanged(b, now, name)
    for new in [*new_Theta.values(), *state_arrays(new_state)]:
        for old in [*Theta.values(), *D.values(), *state_arrays(state)]:
            assert not np.shares_memory(new, old), "the returned arrays must be new"


@pytest.mark.parametrize("step", [bp.momentum_step, bp.adam_step], ids=["momentum", "adam"])
def test_steps_keep_float32(step):
    Theta = {l: T.astype(np.float32) for l, T in THETA0.items()}
    D = {l: T.astype(np.float32) for l, T in valley_D(THETA0).items()}
    new, state = step(Theta, D, None, 0.1)
    new, state = step(new, D, state, 0.1)
    assert all(T.dtype == np.float32 for T in new.values()), "float32 in, float32 out"


# -- clear errors ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("call, error, words", [
    (lambda D: bp.momentum_step(THETA0, D, None, 0.1, beta=1.0), ValueError, "beta must be >= 0 and < 1; got 1.0"),
    (lambda D: bp.momentum_step(THETA0, D, None, 0.1, beta=-0.1), ValueError, "beta must be >= 0 and < 1; got -0.1"),
    (lambda D: bp.momentum_step(THETA0, D, None, 0.0), ValueError, "alpha must be > 0"),
    (lambda D: bp.momentum_step(THETA0, D, [np.zeros((2, 3))], 0.1), TypeError, "velocity must be a dict"),
    (lambda D: bp.momentum_step(THETA0, D, {1: np.zeros((2, 3))}, 0.1), ValueError, r"velocity has keys \[1\]"),
    (lambda D: bp.momentum_step(THETA0, D, {1: np.zeros((3, 2)), 2: np.zeros((1, 3))}, 0.1), ValueError,
     r"velocity\[1\] has shape \(3, 2\) but Theta\[1\] has shape \(2, 3\)"),
    (lambda D: bp.momentum_step(THETA0, D, {1: np.full((2, 3), np.nan), 2: np.zeros((1, 3))}, 0.1), ValueError,
     r"velocity\[1\] contains NaN.*velocity=None"),
    (lambda D: bp.momentum_step(THETA0, {1: D[1]}, None, 0.1), ValueError, "D has keys"),
    (lambda D: bp.adam_step(THETA0, D, None, 0.1, beta1=1.0), ValueError, "beta1 must be >= 0 and < 1"),
    (lambda D: bp.adam_step(THETA0, D, None, 0.1, beta2=2.0), ValueError, "beta2 must be >= 0 and < 1; got 2.0"),
    (lambda D: bp.adam_step(THETA0, D, None, 0.1, epsilon=0.0), ValueError, "epsilon must be > 0"),
    (lambda D: bp.adam_step(THETA0, D, {"m": {}, "v": {}}, 0.1), TypeError, "keys 't', 'm' and 'v'"),
    (lambda D: bp.adam_step(THETA0, D, {"t": -1, "m": D, "v": D}, 0.1), ValueError, r"state\['t'\] must be >= 0"),
    (lambda D: bp.adam_step(THETA0, D, {"t": 1, "m": D, "v": {l: -T ** 2 for l, T in D.items()}}, 0.1),
     ValueError, r"state\['v'\]\[1\] has negative entries"),
    (lambda D: bp.adam_step(THETA0, D, {"t": 1, "m": {1: D[1]}, "v": D}, 0.1), ValueError, r"state\['m'\] has keys"),
])
def test_bad_step_arguments_get_clear_errors(call, error, words):
    with pytest.raises(error, match=words):
        call(valley_D(THETA0))


def test_an_overflowing_step_raises_a_teaching_error():
    huge = {1: np.array([[1e300, 0.0]])}
    with pytest.raises(bp.TrainingDiverged, match="momentum_step overflowed.*smaller alpha"):
        bp.momentum_step({1: np.array([[-1e300, 0.0]])}, huge, {1: np.array([[1e308, 0.0]])}, 10.0)
    with pytest.raises(bp.TrainingDiverged, match="adam_step overflowed.*bp.clip_by_norm"):
        bp.adam_step({1: np.array([[0.0, 0.0]])}, huge, None, 0.1)


# -- clip_by_norm ------------------------------------------------------------------------------------------------

def test_clip_by_norm_measures_the_global_norm_over_all_layers():
    D = {1: np.array([[3.0, 0.0]]), 2: np.array([[0.0, 4.0], [12.0, 0.0]])}   # sqrt(9 + 16 + 144) = 13
    clipped, norm = bp.clip_by_norm(D, 6.5)
    assert norm == 13.0
    assert_allclose(clipped[1], [[1.5, 0.0]], rtol=1e-15)
    assert_allclose(clipped[2], [[0.0, 2.0], [6.0, 0.0]], rtol=1e-15,
                    err_msg="one factor 6.5 / 13 for every layer, not a per-layer norm")


def test_clip_by_norm_keeps_the_direction_and_reaches_max_norm():
    D = valley_D(THETA0)
    clipped, norm = bp.clip_by_norm(D, 0.5)
    assert norm > 0.5
    ratios = np.concatenate([np.ravel(clipped[l]) / np.ravel(D[l]) for l in D])
    assert_allclose(ratios, 0.5 / norm, rtol=1e-14, err_msg="the same positive factor for every entry")
    assert_allclose(math.sqrt(sum(float(np.sum(clipped[l] ** 2)) for l in D)), 0.5, rtol=1e-14)


def test_clip_by_norm_leaves_a_short_gradient_alone():
    D = valley_D(THETA0)
    norm_D = math.sqrt(sum(float(np.sum(T ** 2)) for T in D.values()))
    for max_norm in (norm_D, 2 * norm_D):
        clipped, norm = bp.clip_by_norm(D, max_norm)
        assert_allclose(norm, norm_D, rtol=1e-14)
        for l in D:
            assert_array_equal(clipped[l], D[l], err_msg=f"norm {norm:.3g} <= max_norm {max_norm:.3g}: no clipping")
            assert not np.shares_memory(clipped[l], D[l]), "a copy, not D itself"


def test_clip_by_norm_handles_exploding_and_zero_gradients():
    clipped, norm = bp.clip_by_norm({1: np.array([[3e200, -4e200]])}, 1.0)
    assert_allclose(norm, 5e200, rtol=1e-14, err_msg="squaring 1e200 overflows; the norm must not")
    assert_allclose(clipped[1], [[0.6, -0.8]], rtol=1e-14)
    clipped, norm = bp.clip_by_norm({1: np.zeros((1, 2))}, 1.0)
    assert norm == 0.0 and not clipped[1].any()


def test_clip_by_norm_does_not_modify_D_and_checks_its_arguments():
    D = valley_D(THETA0)
    before = snapshot(D)[0]
    bp.clip_by_norm(D, 0.1)
    assert_unchanged(before, D, "D")
    with pytest.raises(ValueError, match="max_norm must be > 0"):
        bp.clip_by_norm(D, 0.0)
    with pytest.raises(TypeError, match="non-empty dict"):
        bp.clip_by_norm([D[1]], 1.0)
    with pytest.raises(ValueError, match=r"D\[1\] contains 1 non-finite"):
        bp.clip_by_norm({1: np.array([[np.inf, 0.0]])}, 1.0)


# -- train(optimizer=...) ----------------------------------------------------------------------------------

STEPS = {"gd": lambda Theta, D, state, alpha: (bp.gradient_descent_step(Theta, D, alpha), None),
         "momentum": bp.momentum_step, "adam": bp.adam_step}


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_full_batch_train_is_one_step_per_epoch_on_the_regularized_D(optimizer):
    Theta0, alpha, lambda_, epochs = xor_start(), 0.1, 0.3, 7
    trained, history = bp.train(Theta0, X_XOR, Y_XOR, alpha, lambda_=lambda_, epochs=epochs, optimizer=optimizer)
    Theta, state = Theta0, None
    for _ in range(epochs):
        Theta, state = STEPS[optimizer](Theta, bp.backprop(Theta, X_XOR, Y_XOR, lambda_), state, alpha)
    for l in Theta:
        assert_allclose(trained[l], Theta[l], rtol=1e-13, atol=0,
                        err_msg=f"train(optimizer={optimizer!r}) vs {epochs} manual steps on D of J with lambda_")
    assert_allclose(history["cost"][-1], bp.cost(Theta, X_XOR, Y_XOR, lambda_), rtol=1e-13)


@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
@pytest.mark.parametrize("batch_size", [1, 3])
def test_minibatch_train_is_one_step_per_batch_with_the_state_carried_over(optimizer, batch_size):
    Theta0, alpha, lambda_, options = xor_start(), 0.1, 0.2, {"momentum": {"beta": 0.8}, "adam": {"beta2": 0.99}}
    trained, _ = bp.train(Theta0, X_XOR, Y_XOR, alpha, lambda_=lambda_, epochs=3, batch_size=batch_size, seed=5,
                          optimizer=optimizer, optimizer_options=options[optimizer])
    rng, Theta, state, m = np.random.default_rng(5), Theta0, None, X_XOR.shape[1]
    for _ in range(3):
        for X_b, Y_b in bp.minibatches(X_XOR, Y_XOR, batch_size, seed=rng):
            D = bp.backprop(Theta, X_b, Y_b, lambda_ * X_b.shape[1] / m)     # the penalty of the whole set
            Theta, state = STEPS[optimizer](Theta, D, state, alpha, **options[optimizer])
    for l in Theta:
        assert_allclose(trained[l], Theta[l], rtol=1e-13, atol=0,
                        err_msg=f"train(optimizer={optimizer!r}, batch_size={batch_size}) vs manual steps")


@pytest.mark.parametrize("batch_size, steps_per_epoch", [(None, 1), (3, 2), (1, 4)])
def test_train_with_adam_takes_exactly_one_step_per_batch(monkeypatch, batch_size, steps_per_epoch):
    calls = []
    real_adam = training._adam

    def counting_adam(Theta, D, state, *args, **kwargs):
        calls.append(state["t"])
        return real_adam(Theta, D, state, *args, **kwargs)

    monkeypatch.setattr(training, "_adam", counting_adam)
    bp.train(xor_start(), X_XOR, Y_XOR, 0.01, epochs=6, batch_size=batch_size, seed=0, optimizer="adam")
    assert calls == list(range(6 * steps_per_epoch)), (
        f"{6 * steps_per_epoch} Adam steps with t = 0, 1, ... carried over; got t = {calls}")


@pytest.mark.parametrize("optimizer, alpha", [("momentum", 0.5), ("adam", 0.05)])
@pytest.mark.parametrize("batch_size", [None, 2, 1], ids=["full", "minibatch-2", "SGD"])
def test_training_with_each_optimizer_learns_xor(optimizer, alpha, batch_size):
    Theta, history = bp.train(xor_start(), X_XOR, Y_XOR, alpha, epochs=1000, batch_size=batch_size, seed=0,
                              optimizer=optimizer)
    assert history["cost"][-1] < 0.02, f"{optimizer}, batch_size={batch_size}: J = {history['cost'][-1]:.4f}"
    assert_array_equal(bp.predict(Theta, X_XOR), Y_XOR[0])
    assert history["epoch"] == list(range(1001)) and "clipped" not in history


def test_train_with_clip_norm_clips_each_batch_and_records_when():
    alpha, clip_norm = 0.5, 0.05
    trained, history = bp.train(xor_start(), X_XOR, Y_XOR, alpha, epochs=4, batch_size=2, seed=1,
                                optimizer="momentum", clip_norm=clip_norm)
    rng, Theta, velocity, clipped = np.random.default_rng(1), xor_start(), None, []
    for _ in range(4):
        clipped.append(0)
        for X_b, Y_b in bp.minibatches(X_XOR, Y_XOR, 2, seed=rng):
            D, norm = bp.clip_by_norm(bp.backprop(Theta, X_b, Y_b), clip_norm)
            clipped[-1] += norm > clip_norm
            Theta, velocity = bp.momentum_step(Theta, D, velocity, alpha)
    for l in Theta:
        assert_allclose(trained[l], Theta[l], rtol=1e-13, err_msg="train(clip_norm=) vs manual clip + step")
    assert history["clipped"] == [0, *clipped], "per epoch: how many steps had D clipped (epoch 0: none)"
    assert sum(clipped) > 0


def test_train_with_a_large_clip_norm_changes_nothing():
    plain, _ = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=20)
    clipped, history = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=20, clip_norm=1e6)
    assert history["clipped"] == [0] * 21
    for l in plain:
        assert_array_equal(clipped[l], plain[l])


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(optimizer="adm"), ValueError, r"unknown optimizer 'adm'; choose one of \['gd', 'momentum', 'adam'\]. "
                                        r"Did you mean 'adam'\?"),
    (dict(optimizer="sgd"), ValueError, r"choose one of \['gd', 'momentum', 'adam'\]"),
    (dict(optimizer=None), TypeError, "optimizer must be a string"),
    (dict(optimizer="momentum", optimizer_options={"momentum": 0.9}), ValueError,
     r"optimizer_options \['momentum'\] are not settings of optimizer='momentum': it takes \['beta'\]"),
    (dict(optimizer="adam", optimizer_options={"beta": 0.9}), ValueError,
     r"it takes \['beta1', 'beta2', 'epsilon'\]"),
    (dict(optimizer="gd", optimizer_options={"beta": 0.9}), ValueError, "no settings besides alpha"),
    (dict(optimizer="adam", optimizer_options={"alpha": 0.1}), ValueError, "alpha is train's own argument"),
    (dict(optimizer="adam", optimizer_options=[0.9]), TypeError, "optimizer_options must be a dict"),
    (dict(optimizer="adam", optimizer_options={"beta2": 1.0}), ValueError, "beta2 must be >= 0 and < 1"),
    (dict(optimizer="momentum", optimizer_options={"beta": "high"}), TypeError, "beta must be a number"),
    (dict(clip_norm=0), ValueError, "clip_norm must be > 0"),
])
def test_train_rejects_bad_optimizer_settings_before_training(kwargs, error, words):
    started = []
    with pytest.raises(error, match=words):
        bp.train(xor_start(), X_XOR, Y_XOR, 0.1, epochs=2, callback=lambda *a: started.append(1), **kwargs)
    assert not started, "arguments are checked before epoch 0"


def test_train_optimizer_defaults_are_the_step_functions_defaults():
    explicit, _ = bp.train(xor_start(), X_XOR, Y_XOR, 0.05, epochs=5, optimizer="adam",
                           optimizer_options={"beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8})
    default, _ = bp.train(xor_start(), X_XOR, Y_XOR, 0.05, epochs=5, optimizer="adam")
    for l in explicit:
        assert_array_equal(default[l], explicit[l])


def test_train_with_optimizers_keeps_float32_and_the_callers_arrays():
    Theta0 = {l: T.astype(np.float32) for l, T in xor_start().items()}
    before = snapshot(Theta0)[0]
    for optimizer in ("momentum", "adam"):
        trained, _ = bp.train(Theta0, X_XOR.astype(np.float32), Y_XOR, 0.05, epochs=3, optimizer=optimizer,
                              clip_norm=1.0)
        assert all(T.dtype == np.float32 for T in trained.values()), f"{optimizer}: float32 in, float32 out"
    assert_unchanged(before, Theta0, "Theta")
