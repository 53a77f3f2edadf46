"""Bad input: one test per case, each checking that the message teaches.

A good message names the argument, says what was expected (shape or range), shows what arrived,
and suggests the likely fix. `assert_teaches` checks each of those fragments is present, so a
message that degrades to a bare numpy error fails here.
"""

import warnings

import numpy as np
import pytest

import backprop_course as bp

# A 2-3-2 network (K = 2) with m = 5 examples; m != n and m != K so every shape mistake is visible.
THETA = bp.init_thetas([2, 3, 2], seed=0)
X = np.sin(np.arange(10.0)).reshape(2, 5)
Y = bp.one_hot([0, 1, 1, 0, 1], 2)


def assert_teaches(info, *fragments):
    message = str(info.value)
    missing = [f for f in fragments if f not in message]
    assert not missing, f"the message lacks {missing}:\n  {type(info.value).__name__}: {message}"


def with_value(array, index, value):
    out = np.array(array, dtype=float)
    out[index] = value
    return out


# -- X -------------------------------------------------------------------------------------------------

def test_X_given_as_examples_in_rows_suggests_transpose():
    with pytest.raises(ValueError) as info:
        bp.forward(THETA, X.T)
    assert_teaches(info, "X has shape (5, 2)", "Theta[1] has shape (3, 3)", "expects 2 input features",
                   "(2, m)", "Did you pass examples as rows?", "X.T")


def test_X_with_wrong_number_of_features():
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, np.ones((3, 5)), Y)
    assert_teaches(info, "X has shape (3, 5)", "expects 2 input features", "(2, m)")


def test_X_one_dimensional_suggests_a_column():
    with pytest.raises(ValueError) as info:
        bp.forward(THETA, np.array([0.5, -1.0]))
    assert_teaches(info, "X must be 2-D", "got 1-D with shape (2,)", "(2, 1)", "X.reshape(-1, 1)")


def test_X_one_dimensional_with_one_feature_suggests_a_row():
    with pytest.raises(ValueError) as info:
        bp.forward({1: np.array([[0.0, 1.0]])}, np.array([0.5, -1.0, 2.0]))
    assert_teaches(info, "X must be 2-D", "shape (3,)", "X.reshape(1, -1)")


def test_X_with_no_examples():
    with pytest.raises(ValueError) as info:
        bp.forward(THETA, np.ones((2, 0)))
    assert_teaches(info, "X has no examples", "m = 0", "at least one column")


# -- Theta ----------------------------------------------------------------------------------------------

def test_Theta_chain_whose_shapes_do_not_connect():
    bad = {1: THETA[1], 2: np.ones((2, 3))}                 # layer 2 has 3 units, so Theta[2] needs 4 columns
    with pytest.raises(ValueError) as info:
        bp.backprop(bad, X, Y)
    assert_teaches(info, "Theta[1] and Theta[2] do not connect", "(3, 3)", "layer 2 has 3 units",
                   "needs 3 + 1 = 4 columns", "it has 3", "bp.init_thetas")


def test_Theta_keyed_from_zero():
    with pytest.raises(ValueError) as info:
        bp.forward({0: THETA[1], 1: THETA[2]}, X)
    assert_teaches(info, "Theta must be keyed 1 .. 2", "got keys [0, 1]", "start at 1, not 0")


def test_Theta_given_as_a_list():
    with pytest.raises(TypeError) as info:
        bp.forward([THETA[1], THETA[2]], X)
    assert_teaches(info, "Theta must be a dict keyed by layer number", "got list",
                   "enumerate(Theta, start=1)")


def test_Theta_empty():
    with pytest.raises(ValueError) as info:
        bp.forward({}, X)
    assert_teaches(info, "Theta is empty", "Theta[1]")


def test_Theta_matrix_without_room_for_the_bias_column():
    with pytest.raises(ValueError) as info:
        bp.forward({1: np.ones((2, 1))}, X)
    assert_teaches(info, "Theta[1] has shape (2, 1)", "at least 2 columns", "column 0 for the bias unit")


def test_Theta_matrix_one_dimensional():
    with pytest.raises(ValueError) as info:
        bp.forward({1: np.ones(3)}, X)
    assert_teaches(info, "Theta[1] must be 2-D", "shape (3,)", "Theta[1].reshape(1, -1)")


# -- Y ---------------------------------------------------------------------------------------------------

def test_Y_whose_K_does_not_match_the_output_layer():
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, X, bp.one_hot([0, 1, 2, 0, 1], 3))
    assert_teaches(info, "Y has shape (3, 5)", "K = 2 units", "Theta[2] has shape (2, 4)", "m = 5",
                   "must have shape (2, 5)", "init_thetas([..., 3])")


def test_Y_given_as_examples_in_rows_suggests_transpose():
    with pytest.raises(ValueError) as info:
        bp.backprop(THETA, X, Y.T)
    assert_teaches(info, "Y has shape (5, 2)", "must have shape (2, 5)", "Did you pass examples as rows?", "Y.T")


def test_Y_given_as_labels_suggests_one_hot():
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, X, np.array([[0.0, 1.0, 1.0, 0.0, 1.0]]))
    assert_teaches(info, "Y has shape (1, 5)", "must have shape (2, 5)", "bp.one_hot(labels, 2)")


def test_Y_one_dimensional_for_one_output_suggests_a_row():
    Theta1 = bp.init_thetas([2, 3, 1], seed=0)
    with pytest.raises(ValueError) as info:
        bp.cost(Theta1, X, np.array([0.0, 1.0, 1.0, 0.0, 1.0]))
    assert_teaches(info, "Y must be 2-D", "shape (5,)", "(1, 5)", "Y.reshape(1, -1)")


def test_Y_outside_zero_one_for_cross_entropy():
    Theta1 = bp.init_thetas([2, 3, 1], seed=0)
    with pytest.raises(ValueError) as info:
        bp.cost(Theta1, X, np.array([[0.0, 1.0, 2.0, 0.0, 1.0]]))
    assert_teaches(info, "Y must lie in [0, 1] for cross-entropy", "from 0 to 2", "bp.one_hot(labels, K)")


def test_softmax_Y_columns_not_summing_to_one():
    bad = Y.copy()
    bad[:, 3] = [1.0, 1.0]
    with pytest.raises(ValueError) as info:
        bp.backprop(THETA, X, bad, output="softmax")
    assert_teaches(info, "softmax output", "each column of Y must sum to 1", "column 3 sums to 2",
                   "bp.one_hot(labels, K)")


# -- NaN and infinity --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,kind", [(np.nan, "NaN"), (np.inf, "infinity"), (-np.inf, "infinity")])
def test_non_finite_X(value, kind):
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, with_value(X, (1, 3), value), Y)
    assert_teaches(info, "X contains 1 non-finite value(s)", f"{kind} at index (1, 3)", "clean or impute")


@pytest.mark.parametrize("value,kind", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_Y(value, kind):
    with pytest.raises(ValueError) as info:
        bp.backprop(THETA, X, with_value(Y, (0, 2), value))
    assert_teaches(info, "Y contains 1 non-finite value(s)", f"{kind} at index (0, 2)")


@pytest.mark.parametrize("value,kind", [(np.nan, "NaN"), (np.inf, "infinity")])
def test_non_finite_Theta(value, kind):
    bad = {1: THETA[1], 2: with_value(THETA[2], (1, 2), value)}
    with pytest.raises(ValueError) as info:
        bp.backprop_loop(bad, X, Y)
    assert_teaches(info, "Theta[2] contains 1 non-finite value(s)", f"{kind} at index (1, 2)",
                   "diverges", "smaller alpha")


def test_non_finite_D_in_gradient_descent_step():
    D = {1: with_value(np.zeros((3, 3)), (0, 0), np.nan), 2: np.zeros((2, 4))}
    with pytest.raises(ValueError) as info:
        bp.gradient_descent_step(THETA, D, 0.1)
    assert_teaches(info, "D[1] contains 1 non-finite value(s)", "NaN at index (0, 0)")


# -- labels ------------------------------------------------------------------------------------------------

def test_one_hot_labels_out_of_range():
    with pytest.raises(ValueError) as info:
        bp.one_hot([0, 3, 1], 3)
    assert_teaches(info, "labels must lie in 0 .. 2 for K = 3 classes", "from 0 to 3")


def test_one_hot_labels_numbered_from_one_suggests_subtracting_one():
    with pytest.raises(ValueError) as info:
        bp.one_hot([1, 2, 3], 3)
    assert_teaches(info, "labels must lie in 0 .. 2", "from 1 to 3", "Labels numbered 1 .. K? Subtract 1.")


def test_one_hot_negative_labels():
    with pytest.raises(ValueError) as info:
        bp.one_hot([0, -1], 2)
    assert_teaches(info, "labels must lie in 0 .. 1", "from -1 to 0")


def test_one_hot_fractional_labels():
    with pytest.raises(TypeError) as info:
        bp.one_hot([0.0, 1.5], 3)
    assert_teaches(info, "labels must be whole numbers 0 .. K-1", "such as 1.5")


def test_one_hot_labels_as_a_matrix():
    with pytest.raises(ValueError) as info:
        bp.one_hot(np.zeros((2, 3), dtype=int), 3)
    assert_teaches(info, "labels must be 1-D", "shape (2, 3)")


# -- numbers: alpha, lambda_, epochs, batch_size, epsilon, seed ---------------------------------------------

@pytest.mark.parametrize("alpha", [0.0, -0.5])
def test_non_positive_alpha(alpha):
    with pytest.raises(ValueError) as info:
        bp.train(THETA, X, Y, alpha)
    assert_teaches(info, "alpha must be > 0", f"got {alpha!r}", "learning rate", "try 0.1 to 1")


def test_non_positive_alpha_in_gradient_descent_step():
    with pytest.raises(ValueError) as info:
        bp.gradient_descent_step(THETA, THETA, 0)
    assert_teaches(info, "alpha must be > 0", "got 0")


@pytest.mark.parametrize("call", ["cost", "backprop", "backprop_loop", "numerical_gradient", "train"])
def test_negative_lambda(call):
    args = (THETA, X, Y, 0.1) if call == "train" else (THETA, X, Y)
    with pytest.raises(ValueError) as info:
        getattr(bp, call)(*args, lambda_=-1.0)
    assert_teaches(info, "lambda_ must be >= 0", "got -1.0", "0 switches it off")


@pytest.mark.parametrize("epochs", [0, -3])
def test_epochs_below_one(epochs):
    with pytest.raises(ValueError) as info:
        bp.train(THETA, X, Y, 0.1, epochs=epochs)
    assert_teaches(info, "epochs must be >= 1", f"got {epochs}", "one pass over all m examples")


def test_fractional_epochs():
    with pytest.raises(TypeError) as info:
        bp.train(THETA, X, Y, 0.1, epochs=2.5)
    assert_teaches(info, "epochs must be a whole number", "got 2.5")


@pytest.mark.parametrize("batch_size", [0, 6])
def test_batch_size_out_of_range(batch_size):
    with pytest.raises(ValueError) as info:
        bp.train(THETA, X, Y, 0.1, batch_size=batch_size)
    assert_teaches(info, "batch_size must be >= 1 and <= 5", f"got {batch_size}", "m = 5 examples",
                   "batch_size=None")


def test_batch_size_out_of_range_in_minibatches():
    with pytest.raises(ValueError) as info:
        bp.minibatches(X, Y, 9)
    assert_teaches(info, "batch_size must be >= 1 and <= 5", "got 9", "m = 5")


def test_non_positive_epsilon():
    with pytest.raises(ValueError) as info:
        bp.numerical_gradient(THETA, X, Y, epsilon=0.0)
    assert_teaches(info, "epsilon must be > 0", "got 0.0", "1e-4")


@pytest.mark.parametrize("seed", [True, False])
def test_bool_seed(seed):
    with pytest.raises(TypeError) as info:
        bp.train(THETA, X, Y, 0.1, epochs=1, batch_size=2, seed=seed)
    assert_teaches(info, "seed must be None, an int or a numpy Generator", f"got {seed}", "seed=0")


def test_bool_seed_in_init_thetas():
    with pytest.raises(TypeError) as info:
        bp.init_thetas([2, 2, 1], seed=True)
    assert_teaches(info, "seed must be None, an int or a numpy Generator", "seed=0")


def test_negative_seed():
    with pytest.raises(ValueError) as info:
        bp.init_thetas([2, 2, 1], seed=-1)
    assert_teaches(info, "seed must be a non-negative int", "got -1")


@pytest.mark.parametrize("name,value", [("alpha", "0.1"), ("lambda_", None), ("epochs", "10"), ("alpha", True)])
def test_non_numeric_hyperparameters(name, value):
    kwargs = {"alpha": 0.1, name: value}
    with pytest.raises(TypeError) as info:
        bp.train(THETA, X, Y, **kwargs)
    assert_teaches(info, f"{name} must be a", f"got {value!r}")


# -- names: activation, output, loss -----------------------------------------------------------------------

@pytest.mark.parametrize("kwarg,value,suggestion", [
    ("activation", "sigmod", "'sigmoid'"), ("activation", "ReLU", "'relu'"),
    ("output", "softmx", "'softmax'"), ("loss", "cross-entropy", "'cross_entropy'"), ("loss", "MSE", "'mse'"),
])
def test_unknown_activation_output_or_loss_name(kwarg, value, suggestion):
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, X, Y, **{kwarg: value})
    assert_teaches(info, f"unknown {kwarg} {value!r}", "choose one of", f"Did you mean {suggestion}?")


def test_softmax_is_not_a_hidden_activation():
    with pytest.raises(ValueError) as info:
        bp.forward(THETA, X, activation="softmax")
    assert_teaches(info, "unknown activation 'softmax'", "'sigmoid', 'tanh', 'relu', 'identity'")


def test_activation_name_that_is_not_a_string():
    with pytest.raises(TypeError) as info:
        bp.forward(THETA, X, activation=bp.sigmoid)
    assert_teaches(info, "activation must be a string", "'sigmoid'")


def test_unsupported_softmax_with_mse():
    with pytest.raises(ValueError) as info:
        bp.backprop(THETA, X, Y, output="softmax", loss="mse")
    assert_teaches(info, "output='softmax' with loss='mse' is not supported", "loss='cross_entropy'")


def test_unsupported_identity_with_cross_entropy():
    with pytest.raises(ValueError) as info:
        bp.cost(THETA, X, Y, output="identity", loss="cross_entropy")
    assert_teaches(info, "output='identity' with loss='cross_entropy' is not supported", "outputs in (0, 1)",
                   "loss='mse'")


# -- types ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("X_bad,got", [("0.5 1.0", "a str"), (None, "None"), ([["a", "b"], ["c", "d"]], "a list"),
                                       (np.array([[True, False], [False, True]]), "dtype bool")])
def test_non_numeric_X(X_bad, got):
    with pytest.raises(TypeError) as info:
        bp.forward(THETA, X_bad)
    assert_teaches(info, "X must be a 2-D array of numbers", got, "np.asarray(X, dtype=float)")


def test_non_numeric_Theta_entry():
    with pytest.raises(TypeError) as info:
        bp.forward({1: THETA[1], 2: "weights"}, X)
    assert_teaches(info, "Theta[2] must be a 2-D array of numbers", "a str")


def test_complex_X():
    with pytest.raises(TypeError) as info:
        bp.forward(THETA, X + 1j)
    assert_teaches(info, "X must be real", "complex")


def test_ragged_X():
    with pytest.raises(TypeError) as info:
        bp.forward(THETA, [[1.0, 2.0], [3.0]])
    assert_teaches(info, "X must be a 2-D numeric array", "could not convert")


def test_D_with_other_keys_or_shapes_than_Theta():
    with pytest.raises(ValueError) as info:
        bp.gradient_descent_step(THETA, {1: THETA[1]}, 0.1)
    assert_teaches(info, "D has keys [1] but Theta has keys [1, 2]")
    with pytest.raises(ValueError) as info:
        bp.gradient_descent_step(THETA, {1: THETA[1], 2: THETA[2].T}, 0.1)
    assert_teaches(info, "D[2] has shape (4, 2) but Theta[2] has shape (2, 4)")


def test_callback_that_is_not_callable():
    with pytest.raises(TypeError) as info:
        bp.train(THETA, X, Y, 0.1, callback="plot")
    assert_teaches(info, "callback must be a function (epoch, Theta, history)", "'plot'")


def test_validation_that_is_not_a_pair():
    with pytest.raises(TypeError) as info:
        bp.train(THETA, X, Y, 0.1, validation=X)
    assert_teaches(info, "validation must be a pair (X_val, Y_val)")


def test_validation_X_in_rows():
    with pytest.raises(ValueError) as info:
        bp.train(THETA, X, Y, 0.1, validation=(X.T, Y))
    assert_teaches(info, "X has shape (5, 2)", "X.T")


@pytest.mark.parametrize("sizes,fragment", [([3], "at least 2 entries"), ([2, 0, 1], "layer_sizes[1] must be >= 1"),
                                            ("2-3-1", "list of unit counts"), ([2, 2.5, 1], "whole number")])
def test_bad_layer_sizes(sizes, fragment):
    with pytest.raises((TypeError, ValueError)) as info:
        bp.init_thetas(sizes)
    assert_teaches(info, fragment)


def test_one_hot_K_not_positive():
    with pytest.raises(ValueError) as info:
        bp.one_hot([0, 0], 0)
    assert_teaches(info, "K must be >= 1", "got 0")


# -- overflow: a clear error, never a RuntimeWarning followed by inf or NaN ---------------------------------

HUGE = {1: np.array([[0.0, 1e200], [0.0, -1e200]]), 2: np.array([[0.0, 1e200, 1e200]])}   # 1-2-1, identity
X_HUGE = np.array([[1.0, 2.0, -3.0]])
Y_HUGE = np.array([[1.0, 0.0, 2.0]])
LINEAR = dict(activation="identity", output="identity")


@pytest.mark.parametrize("call", ["forward", "predict", "cost", "backprop", "backprop_loop", "numerical_gradient"])
def test_overflowing_weights_raise_a_clear_error_without_warnings(call):
    args = (HUGE, X_HUGE) if call in ("forward", "predict") else (HUGE, X_HUGE, Y_HUGE)
    kwargs = dict(LINEAR) if call in ("forward", "predict") else dict(LINEAR, loss="mse")
    with warnings.catch_warnings(), pytest.raises(bp.TrainingDiverged) as info:
        warnings.simplefilter("error")            # a RuntimeWarning would fail the test before the error
        getattr(bp, call)(*args, **kwargs)
    assert_teaches(info, "is not finite", "overflowed", "largest |Theta| = 1e+200", "diverging gradient descent",
                   "smaller alpha")
    assert isinstance(info.value, FloatingPointError), "divergence is one exception everywhere"


def test_overflow_with_moderate_weights_blames_the_data():
    with pytest.raises(ValueError) as info:
        bp.cost({1: np.array([[0.1, 0.2]])}, X_HUGE, 1e200 * Y_HUGE, loss="mse", **LINEAR)
    assert_teaches(info, "the cost J is not finite", "largest |Theta| = 0.2", "rescale X and Y")


def test_gradient_descent_step_that_overflows():
    with warnings.catch_warnings(), pytest.raises(bp.TrainingDiverged) as info:
        warnings.simplefilter("error")
        bp.gradient_descent_step({1: np.array([[1e308, 0.0]])}, {1: np.array([[-1e308, 0.0]])}, 10.0)
    assert_teaches(info, "Theta - alpha D overflowed", "alpha = 10", "largest |D| = 1e+308", "smaller alpha")
    assert info.value.alpha == 10.0, "the exception names the learning rate that diverged"


def test_add_bias_row_of_a_1d_array_says_to_make_a_column():
    with pytest.raises(ValueError) as info:
        bp.add_bias_row(np.ones(3))
    assert_teaches(info, "add_bias_row needs a 2-D array of shape (s, m)", "got 1-D with shape (3,)",
                   "reshape(-1, 1)")


@pytest.mark.parametrize("call", ["forward", "cost", "backprop"])
def test_softmax_over_one_output_unit_is_refused(call):
    Theta = {1: np.array([[0.1, 0.2, -0.3]])}                       # K = 1
    args = (Theta, X[:2]) if call == "forward" else (Theta, X[:2], np.ones((1, 5)))
    with pytest.raises(ValueError) as info:
        getattr(bp, call)(*args, output="softmax")
    assert_teaches(info, "output='softmax' needs K >= 2 output units", "always exactly 1", "output='sigmoid'")


def test_init_thetas_with_an_absurd_epsilon_init():
    with pytest.raises(ValueError) as info:
        bp.init_thetas([2, 3, 1], epsilon_init=1e308)          # used to die inside numpy with OverflowError
    assert_teaches(info, "epsilon_init must be >= 0.0 and <= 1e+100", "got 1e+308", "Typical values are 0.12")


def test_init_thetas_with_an_integer_dtype():
    with pytest.raises(TypeError) as info:
        bp.init_thetas([2, 3, 1], dtype=int)                   # used to return all-zero weights silently
    assert_teaches(info, "dtype must be a float type", "np.float32", "round every small initial weight to 0")
