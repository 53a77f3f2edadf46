"""Tests of backprop_course.training: gradient_descent_step, minibatches and train.

train is checked against the definition it claims to implement: full-batch mode must equal repeated
gradient_descent_step(Theta, backprop(...), alpha) exactly, and mini-batch mode the same steps over
bp.minibatches drawn from the same seeded Generator. Then the behaviour a learner sees: xor is learned,
history has the documented lengths, a callback can stop training, a huge alpha raises TrainingDiverged.
"""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp

X_XOR, Y_XOR = bp.datasets.xor()


def xor_start(seed=0):
    # epsilon_init = 1 rather than 0.12: xor's four points need a few distinct hidden features quickly.
    return bp.init_thetas([2, 3, 1], epsilon_init=1.0, seed=seed)


def assert_same_Theta(A, B, what, rtol=0.0):
    assert sorted(A) == sorted(B), f"{what}: different layer keys"
    for l in A:
        assert_allclose(A[l], B[l], rtol=rtol, atol=0, err_msg=f"{what}: Theta[{l}] differs")


# -- gradient_descent_step -------------------------------------------------------------------------

def test_gradient_descent_step_is_theta_minus_alpha_D():
    Theta = {1: np.array([[1.0, -2.0, 0.5]]), 2: np.array([[0.0, 4.0]])}
    D = {1: np.array([[0.5, 1.0, -1.0]]), 2: np.array([[2.0, -0.25]])}
    new = bp.gradient_descent_step(Theta, D, alpha=0.5)
    assert_array_equal(new[1], [[0.75, -2.5, 1.0]], err_msg="Theta(1) - alpha D(1) (GD)")
    assert_array_equal(new[2], [[-1.0, 4.125]], err_msg="Theta(2) - alpha D(2) (GD)")


def test_gradient_descent_step_does_not_modify_Theta_or_D():
    Theta = {1: np.array([[1.0, -2.0, 0.5]])}
    D = {1: np.array([[0.5, 1.0, -1.0]])}
    new = bp.gradient_descent_step(Theta, D, alpha=0.1)
    assert_array_equal(Theta[1], [[1.0, -2.0, 0.5]], err_msg="Theta[1] was modified in place")
    assert_array_equal(D[1], [[0.5, 1.0, -1.0]], err_msg="D[1] was modified in place")
    assert not np.shares_memory(new[1], Theta[1]), "the new Theta must be new arrays"


def test_gradient_descent_step_keeps_float32():
    Theta = {1: np.array([[1.0, -2.0]], dtype=np.float32)}
    D = {1: np.array([[0.5, 1.0]], dtype=np.float32)}
    assert bp.gradient_descent_step(Theta, D, 0.1)[1].dtype == np.float32


# -- minibatches ------------------------------------------------------------------------------------

def test_minibatches_use_every_example_once_and_keep_x_with_y():
    X = np.arange(14.0).reshape(2, 7)                    # column t is (t, t + 7)
    Y = np.arange(7.0).reshape(1, 7) * 10                # y(t) = 10 t
    batches = bp.minibatches(X, Y, 3, seed=0)
    assert [b[0].shape[1] for b in batches] == [3, 3, 1], "batches of 3, 3 and the remaining 1"
    seen = np.concatenate([Xb[0] for Xb, _ in batches])
    assert sorted(seen) == list(range(7)), "each of the m columns appears exactly once per epoch"
    for Xb, Yb in batches:
        assert_array_equal(Xb[1], Xb[0] + 7, err_msg="the columns of X are moved whole")
        assert_array_equal(Yb[0], 10 * Xb[0], err_msg="each x stays with its own y")
    assert not np.array_equal(seen, np.arange(7)), "the order is shuffled"


def test_minibatches_are_deterministic_for_a_seed():
    X = np.arange(20.0).reshape(2, 10)
    Y = np.arange(10.0).reshape(1, 10)
    a = bp.minibatches(X, Y, 4, seed=5)
    b = bp.minibatches(X, Y, 4, seed=5)
    assert all(np.array_equal(p[0], q[0]) for p, q in zip(a, b, strict=True))


# -- train: the definition ---------------------------------------------------------------------------

def test_full_batch_train_equals_repeated_gradient_descent_steps():
    Theta0, alpha, lambda_ = xor_start(), 0.7, 0.1
    trained, history = bp.train(Theta0, X_XOR, Y_XOR, alpha, lambda_=lambda_, epochs=5)
    Theta = Theta0
    for _ in range(5):
        Theta = bp.gradient_descent_step(Theta, bp.backprop(Theta, X_XOR, Y_XOR, lambda_), alpha)   # (GD)
    # Same arithmetic in the same order, so equal up to the last bits (a different algorithm would differ
    # by far more than 1e-13 after five epochs).
    assert_same_Theta(trained, Theta, "train(batch_size=None) vs 5 x (backprop, gradient_descent_step)",
                      rtol=1e-13)
    assert_allclose(history["cost"][-1], bp.cost(Theta, X_XOR, Y_XOR, lambda_), rtol=1e-13,
                    err_msg="history['cost'][-1] is J of the final Theta on the whole training set")


@pytest.mark.parametrize("batch_size", [1, 2, 3], ids=["SGD", "minibatch-2", "minibatch-3"])
def test_minibatch_train_equals_steps_over_seeded_minibatches(batch_size):
    Theta0, alpha = xor_start(), 0.5
    trained, _ = bp.train(Theta0, X_XOR, Y_XOR, alpha, epochs=3, batch_size=batch_size, seed=7)
    rng, Theta, updates = np.random.default_rng(7), Theta0, 0
    for _ in range(3):
        for X_b, Y_b in bp.minibatches(X_XOR, Y_XOR, batch_size, seed=rng):   # reshuffled every epoch
            Theta = bp.gradient_descent_step(Theta, bp.backprop(Theta, X_b, Y_b), alpha)
            updates += 1
    assert updates == 3 * -(-4 // batch_size), "ceil(m / b) updates per epoch"
    assert_same_Theta(trained, Theta, f"train(batch_size={batch_size}, seed=7) vs manual mini-batch steps",
                      rtol=1e-13)


# -- train: what a learner sees ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [0, 1, 2])
def test_full_batch_training_learns_xor(seed):
    Theta, history = bp.train(xor_start(seed), X_XOR, Y_XOR, alpha=2.0, epochs=1000)
    assert history["cost"][-1] < 0.05, f"seed {seed}: J = {history['cost'][-1]:.4f} after 1000 epochs"
    assert_array_equal(bp.predict(Theta, X_XOR), Y_XOR[0], err_msg="xor: predictions 0, 1, 1, 0")


def test_full_batch_cost_never_increases_with_a_moderate_alpha():
    _, history = bp.train(xor_start(), X_XOR, Y_XOR, alpha=1.0, epochs=300)
    steps = np.diff(history["cost"])
    assert steps.max() <= 1e-15, f"J rose by {steps.max():.2e} at epoch {steps.argmax() + 1}"


@pytest.mark.parametrize("batch_size", [1, 2], ids=["SGD", "minibatch-2"])
def test_minibatch_and_sgd_training_learn_xor(batch_size):
    Theta, history = bp.train(xor_start(), X_XOR, Y_XOR, alpha=1.0, epochs=1000, batch_size=batch_size, seed=0)
    assert history["cost"][-1] < 0.05, f"batch_size={batch_size}: J = {history['cost'][-1]:.4f}"
    assert_array_equal(bp.predict(Theta, X_XOR), Y_XOR[0])


@pytest.mark.parametrize("seed", [0, 1])
def test_small_network_reaches_95_percent_on_the_digits(seed):
    # 64-25-10, softmax output, mini-batches of 32 for 30 epochs: about a second. Measured test accuracy
    # is 0.958 to 0.962 over seeds 0-3, so 0.95 leaves a margin without being loose.
    X, Y = bp.datasets.digits()
    X_train, Y_train, X_test, Y_test = bp.datasets.train_test_split(X, Y, test_fraction=0.25, seed=0)
    Theta, _ = bp.train(bp.init_thetas([64, 25, 10], seed=seed), X_train, Y_train, alpha=1.0, epochs=30,
                        batch_size=32, seed=seed, output="softmax")
    accuracy = np.mean(bp.predict(Theta, X_test, output="softmax") == np.argmax(Y_test, axis=0))
    assert accuracy >= 0.95, f"test accuracy {accuracy:.3f} on {X_test.shape[1]} held-out digits"


def test_training_is_deterministic_for_a_seed():
    run = lambda seed: bp.train(xor_start(), X_XOR, Y_XOR, 1.0, epochs=20, batch_size=1, seed=seed)  # noqa: E731
    (A, hA), (B, hB), (C, _) = run(3), run(3), run(4)
    assert_same_Theta(A, B, "two runs with seed=3")
    assert hA["cost"] == hB["cost"]
    assert not np.array_equal(A[1], C[1]), "seed=4 should shuffle differently from seed=3"


def test_history_has_one_entry_per_epoch_plus_the_start():
    val = (X_XOR[:, :3], Y_XOR[:, :3])
    _, history = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=7, validation=val)
    assert history["epoch"] == list(range(8)), "epochs 0 (the start) .. 7"
    assert len(history["cost"]) == 8 and len(history["val_cost"]) == 8
    assert history["stopped_early"] is False
    assert_allclose(history["cost"][0], bp.cost(xor_start(), X_XOR, Y_XOR), rtol=1e-15,
                    err_msg="history['cost'][0] is J before any update")


def test_validation_cost_is_the_data_term_on_the_validation_set():
    X_val, Y_val = np.array([[0.2, 0.9], [0.8, 0.1]]), np.array([[1.0, 1.0]])
    Theta, history = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, lambda_=0.2, epochs=4, validation=(X_val, Y_val))
    assert_allclose(history["val_cost"][-1], bp.cost(Theta, X_val, Y_val, lambda_=0.0), rtol=1e-15,
                    err_msg="history['val_cost'][-1] = the data term of J(final Theta) on (X_val, Y_val), "
                            "without the penalty")
    assert history["val_cost"][-1] < bp.cost(Theta, X_val, Y_val, lambda_=0.2), "the penalty must be left out"
    assert_allclose(history["cost"][-1], bp.cost(Theta, X_XOR, Y_XOR, lambda_=0.2), rtol=1e-15,
                    err_msg="history['cost'] is the regularized J that training minimizes")
    assert "val_cost" not in bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=1)[1]


def test_callback_receives_epoch_Theta_and_history():
    calls = []

    def callback(epoch, Theta, history):
        calls.append((epoch, {l: T.copy() for l, T in Theta.items()}, len(history["cost"])))

    final, _ = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=3, callback=callback)
    assert [c[0] for c in calls] == [0, 1, 2, 3], "called once before training (epoch 0), then every epoch"
    assert [c[2] for c in calls] == [1, 2, 3, 4], "history already holds the epoch's cost when called"
    assert_same_Theta(calls[0][1], xor_start(), "the callback at epoch 0 sees the starting weights")
    assert_same_Theta(calls[-1][1], final, "the callback at the last epoch sees the final weights")


def test_callback_returning_false_stops_training():
    Theta, history = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=100,
                              callback=lambda epoch, Theta, history: epoch < 3)
    assert history["epoch"] == [0, 1, 2, 3], "the callback returned False at epoch 3"
    assert history["stopped_early"] is True
    _, history = bp.train(xor_start(), X_XOR, Y_XOR, 0.5, epochs=5, callback=lambda *args: None)
    assert history["epoch"][-1] == 5, "returning None (no return statement) keeps training"


def test_train_never_returns_or_modifies_the_callers_arrays():
    Theta0 = xor_start()
    before = {l: T.copy() for l, T in Theta0.items()}
    X, Y = X_XOR.copy(), Y_XOR.copy()
    trained, _ = bp.train(Theta0, X, Y, 0.5, epochs=3, batch_size=2, seed=0)
    stopped, _ = bp.train(Theta0, X, Y, 0.5, epochs=3, callback=lambda *args: False)   # stops at epoch 0
    for l in Theta0:
        assert_array_equal(Theta0[l], before[l], err_msg=f"train modified the caller's Theta[{l}]")
        assert not np.shares_memory(stopped[l], Theta0[l]), f"the returned Theta[{l}] is the caller's array"
    assert_array_equal(X, X_XOR, err_msg="train modified X")
    assert_array_equal(Y, Y_XOR, err_msg="train modified Y")


def test_train_keeps_float32():
    Theta = {l: T.astype(np.float32) for l, T in xor_start().items()}
    trained, _ = bp.train(Theta, X_XOR.astype(np.float32), Y_XOR, 0.5, epochs=3)
    assert all(T.dtype == np.float32 for T in trained.values()), "float32 in, float32 out"


def test_huge_alpha_raises_training_diverged_naming_epoch_and_smaller_alpha():
    # Linear regression (identity output, mse) with alpha = 1e6: every step overshoots by a factor
    # of about alpha * (largest curvature), so |Theta| grows until J overflows to inf.
    X = np.array([[1.0, 2.0, 3.0, 4.0]])
    Y = np.array([[2.0, 4.1, 5.9, 8.0]])
    Theta = {1: np.array([[0.1, 0.2]])}
    recorded = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")                    # no RuntimeWarning storm on the way
        with pytest.raises(bp.TrainingDiverged) as info:
            bp.train(Theta, X, Y, alpha=1e6, epochs=100, activation="identity", output="identity", loss="mse",
                     callback=lambda epoch, Theta, history: recorded.append(history["cost"][-1]))
    message = str(info.value)
    assert "diverged at epoch" in message and "alpha=1e+06" in message and "try alpha=100000" in message, message
    epoch = int(message.split("epoch ")[1].split(":")[0])
    assert epoch == len(recorded) >= 1, f"epoch {epoch} named, but epochs 0 .. {len(recorded) - 1} had a finite J"
    assert np.isfinite(recorded).all() and recorded[-1] > 1e100, "J grew without bound before overflowing"
    assert isinstance(info.value, FloatingPointError), "TrainingDiverged is a FloatingPointError"
