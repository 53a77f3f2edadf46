"""Property tests (hypothesis): backprop is right for every network, not only for the fixtures.

Each example draws an architecture (2 to 4 layers of 1 to 4 units), m = 1 .. 5 examples, a hidden
activation, a supported (output, loss) pair, lambda_ and a seed for the numbers, then checks:

- backprop == backprop_loop to 1e-12 relative (the vectorization is exact);
- D == numerical_gradient, relative error < 1e-7 (the mathematics is right);
- regularization adds (lambda/m) Theta to columns j >= 1 of D and leaves the bias column j = 0 alone;
- D for m examples is the mean of the m one-example D's (the (BP3) sum) when lambda_ = 0.

ReLU kinks are avoided by design: relu has no derivative at z = 0, and a central difference that
straddles the kink measures a slope between 0 and 1. Examples whose hidden z lies within 0.005 of 0
are rejected (`assume`), far more than the weight perturbation epsilon = 1e-4 can move a z here.
Sizes are bounded to keep the whole file to a few seconds.
"""

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course.activations import ACTIVATIONS as REGISTRY
from backprop_course.activations import HIDDEN_ACTIVATIONS

ACTIVATIONS = list(HIDDEN_ACTIVATIONS)
PAIRS = [("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"), ("sigmoid", "mse"), ("identity", "mse")]
KINK_MARGIN = 5e-3


@st.composite
def problems(draw, max_layers=4, max_units=4, max_m=5):
    """(Theta, X, Y, kwargs) for a random network and data set."""
    sizes = draw(st.lists(st.integers(1, max_units), min_size=2, max_size=max_layers))
    m = draw(st.integers(1, max_m))
    activation = draw(st.sampled_from(ACTIVATIONS))
    output, loss = draw(st.sampled_from(PAIRS))
    if output == "softmax" and sizes[-1] == 1:
        sizes[-1] = 2                                 # a softmax needs K >= 2 classes
    lambda_ = draw(st.sampled_from([0.0, 0.1, 1.0, 3.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    Theta = {l: rng.uniform(-1.0, 1.0, size=(sizes[l], sizes[l - 1] + 1)) for l in range(1, len(sizes))}
    X = rng.uniform(-1.0, 1.0, size=(sizes[0], m))
    K = sizes[-1]
    if output == "softmax":
        Y = bp.one_hot(rng.integers(0, K, size=m), K)
    elif output == "identity":
        Y = rng.normal(size=(K, m))
    else:
        Y = rng.uniform(0.0, 1.0, size=(K, m))        # soft targets in [0, 1] are allowed
    return Theta, X, Y, dict(lambda_=lambda_, activation=activation, output=output, loss=loss)


def describe(Theta, X, kw):
    sizes = [Theta[1].shape[1] - 1] + [Theta[l].shape[0] for l in sorted(Theta)]
    return f"network {sizes}, m = {X.shape[1]}, {kw}"


@settings(max_examples=150, deadline=None)
@given(problems())
def test_backprop_equals_backprop_loop(problem):
    Theta, X, Y, kw = problem
    D_vec, D_loop = bp.backprop(Theta, X, Y, **kw), bp.backprop_loop(Theta, X, Y, **kw)
    for l in Theta:
        assert_allclose(D_vec[l], D_loop[l], rtol=1e-12, atol=1e-14,
                        err_msg=f"D[{l}] (shape {Theta[l].shape}), vectorized vs loop (BP1-BP5); "
                                f"{describe(Theta, X, kw)}")


@settings(max_examples=150, deadline=None)
@given(problems())
def test_D_equals_numerical_gradient(problem):
    Theta, X, Y, kw = problem
    if not REGISTRY[kw["activation"]].smooth:                            # relu, softsign: a corner at 0
        _, z = bp.forward(Theta, X, kw["activation"], kw["output"])
        hidden = [z[l] for l in range(2, len(Theta) + 1)]                 # z of the hidden layers only
        assume(all(np.abs(zl).min() > KINK_MARGIN for zl in hidden))
    D = bp.backprop(Theta, X, Y, **kw)
    D_num = bp.numerical_gradient(Theta, X, Y, **kw)
    err = bp.relative_error(D, D_num)
    assert err < 1e-7, f"relative error {err:.2e} between D and the numerical gradient (NG); {describe(Theta, X, kw)}"


@settings(max_examples=100, deadline=None)
@given(problems())
def test_regularization_touches_only_columns_j_ge_1(problem):
    Theta, X, Y, kw = problem
    lambda_ = kw.pop("lambda_") or 1.0
    m = X.shape[1]
    D0 = bp.backprop(Theta, X, Y, lambda_=0.0, **kw)
    D = bp.backprop(Theta, X, Y, lambda_=lambda_, **kw)
    for l in Theta:
        assert_array_equal(D[l][:, 0], D0[l][:, 0], err_msg=f"D[{l}][:, 0], the bias column, depends on lambda_ (BP5)")
        assert_allclose(D[l][:, 1:] - D0[l][:, 1:], lambda_ / m * Theta[l][:, 1:], rtol=1e-10, atol=1e-13,
                        err_msg=f"D[{l}][:, 1:] must gain (lambda/m) Theta[{l}][:, 1:] (BP4)")
    penalty = bp.cost(Theta, X, Y, lambda_=lambda_, **kw) - bp.cost(Theta, X, Y, lambda_=0.0, **kw)
    expected = lambda_ / (2 * m) * sum(np.sum(T[:, 1:] ** 2) for T in Theta.values())
    assert_allclose(penalty, expected, rtol=1e-9, atol=1e-12, err_msg="J's penalty sums j >= 1 only (J)")


@settings(max_examples=100, deadline=None)
@given(problems())
def test_D_is_the_mean_of_one_example_gradients(problem):
    Theta, X, Y, kw = problem
    kw["lambda_"] = 0.0
    m = X.shape[1]
    per_example = [bp.backprop(Theta, X[:, [t]], Y[:, [t]], **kw) for t in range(m)]
    D = bp.backprop(Theta, X, Y, **kw)
    for l in Theta:
        assert_allclose(D[l], sum(d[l] for d in per_example) / m, rtol=1e-12, atol=1e-14,
                        err_msg=f"D[{l}] = (1/m) sum_t d(l+1) a(l)' over examples (BP3, BP5)")


@settings(max_examples=100, deadline=None)
@given(problems())
def test_cost_is_finite_non_negative_and_inputs_untouched(problem):
    Theta, X, Y, kw = problem
    copies = ({l: T.copy() for l, T in Theta.items()}, X.copy(), Y.copy())
    J = bp.cost(Theta, X, Y, **kw)
    bp.backprop(Theta, X, Y, **kw)
    bp.backprop_loop(Theta, X, Y, **kw)
    assert np.isfinite(J) and J >= 0.0, f"J = {J}; {describe(Theta, X, kw)}"
    for l in Theta:
        assert_array_equal(Theta[l], copies[0][l], err_msg=f"Theta[{l}] was modified")
    assert_array_equal(X, copies[1], err_msg="X was modified")
    assert_array_equal(Y, copies[2], err_msg="Y was modified")


@settings(max_examples=100, deadline=None)
@given(problems(), st.floats(0.01, 2.0))
def test_a_small_gradient_step_lowers_the_cost(problem, scale):
    # J(Theta - alpha D) = J - alpha ||D||^2 + O(alpha^2): for a tiny alpha the cost must go down.
    Theta, X, Y, kw = problem
    D = bp.backprop(Theta, X, Y, **kw)
    norm2 = sum(np.sum(d * d) for d in D.values())
    assume(norm2 > 1e-8)
    alpha = 1e-4 * scale / max(1.0, norm2 ** 0.5)
    J0, J1 = bp.cost(Theta, X, Y, **kw), bp.cost(bp.gradient_descent_step(Theta, D, alpha), X, Y, **kw)
    assert J1 < J0, f"J went from {J0!r} to {J1!r} after a step against D (GD); {describe(Theta, X, kw)}"
    assert_allclose(J0 - J1, alpha * norm2, rtol=0.05, err_msg="first-order decrease alpha ||D||^2")


@settings(max_examples=100, deadline=None)
@given(problems())
def test_float32_network_gives_float32_D_close_to_float64(problem):
    Theta, X, Y, kw = problem
    Theta32 = {l: T.astype(np.float32) for l, T in Theta.items()}
    D32 = bp.backprop(Theta32, X.astype(np.float32), Y, **kw)            # Y stays float64, as bp.one_hot gives
    D64 = bp.backprop(Theta, X, Y, **kw)
    assert all(d.dtype == np.float32 for d in D32.values()), "float32 Theta and X must give a float32 D"
    err = bp.relative_error(D32, D64)
    assert err < 1e-4, f"float32 D differs from float64 D by {err:.1e} (float32 has about 7 digits)"


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e4, 1e4, allow_nan=False))
def test_sigmoid_is_a_probability_with_the_right_symmetry(z):
    g, g_minus = bp.sigmoid(z), bp.sigmoid(-z)
    assert 0.0 <= g <= 1.0
    assert abs(g_minus - (1.0 - g)) <= 2e-16, f"g(-z) = 1 - g(z) fails at z = {z!r}: {g_minus!r} vs {1 - g!r}"
    assert 0.0 <= bp.sigmoid_gradient(z) <= 0.25, "0 <= g'(z) <= g'(0) = 1/4"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**32 - 1), st.floats(-700, 700))
def test_softmax_ignores_a_shift_of_each_column(K, m, seed, shift):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=5.0, size=(K, m))
    a = bp.softmax(z)
    assert_allclose(a.sum(axis=0), 1.0, rtol=1e-14, err_msg="columns of softmax sum to 1")
    shifts = shift * rng.uniform(0.5, 1.0, size=(1, m))               # a different c for every column
    assert_allclose(bp.softmax(z + shifts), a, rtol=1e-11, atol=1e-300,
                    err_msg=f"softmax(z + c) = softmax(z) per column, c up to {shift:.1f}")
