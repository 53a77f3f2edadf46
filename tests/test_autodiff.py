"""Tests of backprop_course.autodiff: the Value engine and gradient().

Every operator's gradient is compared with its derivative written out by hand and with a central
difference of the forward value (an oracle that does not use the engine's backward pass). gradient()
is compared with bp.backprop on every supported model, regularized, and the engine with a graph far
deeper than Python's recursion limit.
"""

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

import backprop_course as bp
from backprop_course.activations import HIDDEN_ACTIVATIONS
from backprop_course.autodiff import Value, gradient
from backprop_course.losses import SUPPORTED_PAIRS

AUTODIFF_FILE = Path(bp.autodiff.__file__)


def grad_of(f, *xs):
    """The grads of the Values x_1 .. x_k after f(x_1, .., x_k).backward()."""
    values = [Value(x) for x in xs]
    f(*values).backward()
    return [v.grad for v in values]


def central_difference(f, *xs, h=1e-6):
    """df/dx_i by (f(x + h e_i) - f(x - h e_i)) / 2h, from forward values only."""
    result = []
    for i in range(len(xs)):
        plus = [Value(x + h * (k == i)) for k, x in enumerate(xs)]
        minus = [Value(x - h * (k == i)) for k, x in enumerate(xs)]
        result.append((f(*plus).data - f(*minus).data) / (2 * h))
    return result


# (name, f, point, the derivatives written out by hand at that point)
OPERATIONS = [
    ("a + b", lambda a, b: a + b, (1.5, -0.7), (1.0, 1.0)),
    ("a - b", lambda a, b: a - b, (1.5, -0.7), (1.0, -1.0)),
    ("a * b", lambda a, b: a * b, (1.5, -0.7), (-0.7, 1.5)),
    ("a / b", lambda a, b: a / b, (1.5, -0.7), (1 / -0.7, -1.5 / 0.49)),
    ("a ** 3", lambda a: a ** 3, (1.5,), (3 * 1.5 ** 2,)),
    ("a ** -2", lambda a: a ** -2, (1.5,), (-2 * 1.5 ** -3,)),
    ("a ** 0.5", lambda a: a ** 0.5, (1.5,), (0.5 / math.sqrt(1.5),)),
    ("a ** 0", lambda a: a ** 0, (1.5,), (0.0,)),
    ("-a", lambda a: -a, (1.5,), (-1.0,)),
    ("abs(a) at a > 0", lambda a: abs(a), (1.5,), (1.0,)),
    ("abs(a) at a < 0", lambda a: abs(a), (-1.5,), (-1.0,)),
    ("2 + a", lambda a: 2 + a, (1.5,), (1.0,)),
    ("1 - a", lambda a: 1 - a, (1.5,), (-1.0,)),
    ("2 * a", lambda a: 2 * a, (1.5,), (2.0,)),
    ("1 / a", lambda a: 1 / a, (1.5,), (-1 / 1.5 ** 2,)),
    ("a.exp()", lambda a: a.exp(), (0.3,), (math.exp(0.3),)),
    ("a.log()", lambda a: a.log(), (0.3,), (1 / 0.3,)),
    ("a.tanh()", lambda a: a.tanh(), (0.3,), (1 - math.tanh(0.3) ** 2,)),
    ("a.relu() at a > 0", lambda a: a.relu(), (0.3,), (1.0,)),
    ("a.relu() at a < 0", lambda a: a.relu(), (-0.3,), (0.0,)),
    ("a.sigmoid()", lambda a: a.sigmoid(), (0.3,), (math.exp(-0.3) / (1 + math.exp(-0.3)) ** 2,)),
]


@pytest.mark.parametrize("name, f, point, expected", OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_each_operation_has_the_derivative_written_by_hand(name, f, point, expected):
    assert_allclose(grad_of(f, *point), expected, rtol=1e-14, atol=1e-15,
                    err_msg=f"d({name})/d(inputs) at {point}: the local derivative beside the forward op")


@pytest.mark.parametrize("name, f, point, expected", OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_each_operation_matches_a_central_difference(name, f, point, expected):
    assert_allclose(grad_of(f, *point), central_difference(f, *point), rtol=1e-8, atol=1e-9,
                    err_msg=f"d({name})/d(inputs) at {point} against (f(x + h) - f(x - h)) / 2h")


def test_forward_values_are_the_plain_float_results():
    a, b = Value(1.5), Value(-0.7)
    assert (a + b).data == 1.5 + -0.7 and (a * b).data == 1.5 * -0.7 and (a / b).data == 1.5 / -0.7
    assert (1 - a).data == -0.5 and (2 ** 0 * a ** 2).data == 2.25
    assert a.exp().data == math.exp(1.5) and a.log().data == math.log(1.5) and a.tanh().data == math.tanh(1.5)
    assert_allclose(a.sigmoid().data, 1 / (1 + math.exp(-1.5)), rtol=1e-15)
    assert Value(-2.0).relu().data == 0.0 and Value(0.0).relu().grad == 0.0


def test_relu_has_slope_0_at_the_kink_like_relu_gradient():
    assert grad_of(lambda a: a.relu(), 0.0) == [bp.relu_gradient(0.0)] == [0.0]


def test_sigmoid_does_not_overflow_far_in_the_tails():
    assert Value(-1000.0).sigmoid().data == 0.0 and Value(1000.0).sigmoid().data == 1.0


# -- fan-out: the gradients of all paths add ----------------------------------------------------------

def test_x_times_x_counts_both_paths():
    assert grad_of(lambda x: x * x, 3.0) == [6.0], "d(x*x)/dx = 2x: x reaches the product along two paths"
    assert grad_of(lambda x: x + x + x, 3.0) == [3.0]


def test_a_value_used_in_two_branches_sums_both():
    # y = a * b + exp(a) with a used in both branches: dy/da = b + exp(a), dy/db = a.
    def f(a, b):
        return a * b + a.exp()

    assert_allclose(grad_of(f, 0.5, -2.0), [-2.0 + math.exp(0.5), 0.5], rtol=1e-15)


def test_a_shared_intermediate_passes_on_the_sum_of_its_uses():
    # u = x^2 feeds two consumers: y = u * 3 + u.tanh(); dy/dx = (3 + 1 - tanh(u)^2) * 2x.
    def f(x):
        u = x ** 2
        return u * 3 + u.tanh()

    x = 0.7
    expected = (3 + 1 - math.tanh(x * x) ** 2) * 2 * x
    assert_allclose(grad_of(f, x), [expected], rtol=1e-14)


def test_backward_twice_gives_the_same_grads():
    x = Value(2.0)
    y = x * x * x
    y.backward()
    y.backward()
    assert x.grad == 12.0, "backward resets the graph's grads first, so a second call does not double them"


# -- deep graphs -------------------------------------------------------------------------------------

def test_a_chain_of_200000_operations_does_not_hit_the_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.0001 + 0.0                  # 200,000 operations deep; sys.getrecursionlimit() is about 1,000
    y.backward()
    assert_allclose(x.grad, 1.0001 ** 100_000, rtol=1e-9, err_msg="d(c^n x)/dx = c^n along a deep chain")


def test_the_engine_runs_without_numpy():
    # Load autodiff.py on its own with numpy made unimportable: Value and backward still work.
    code = (
        "import sys, importlib.util\n"
        "sys.modules['numpy'] = None\n"
        f"spec = importlib.util.spec_from_file_location('autodiff_alone', {str(AUTODIFF_FILE)!r})\n"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)\n"
        "x = module.Value(2.0); y = (x * x).exp() / x; y.backward()\n"
        "print(x.grad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"the engine needed more than the standard library:\n{result.stderr}"
    # d/dx (e^(x^2) / x) = e^(x^2) (2 - 1/x^2) at x = 2
    assert_allclose(float(result.stdout), math.exp(4) * (2 - 0.25), rtol=1e-14)


# -- clear errors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, error, words", [
    (lambda: Value("3"), TypeError, "real number"),
    (lambda: Value(True), TypeError, "real number"),
    (lambda: Value(1.0) + "a", TypeError, "real number"),
    (lambda: Value(1.0) / 0, ZeroDivisionError, "division by zero"),
    (lambda: Value(2.0) ** Value(2.0), TypeError, "plain number"),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, "no finite derivative"),
    (lambda: Value(-8.0) ** 0.5, ValueError, "not a real number"),
    (lambda: Value(0.0).log(), ValueError, "positive"),
    (lambda: Value(800.0).exp(), OverflowError, "largest float"),
])
def test_bad_operations_raise_clear_errors(make, error, words):
    with pytest.raises(error, match=words):
        make()


# -- gradient(): the graph of J against backprop ----------------------------------------------------------

def small_problem(output, loss, sizes=(3, 4, 3, 2)):
    """Deterministic, non-symmetric weights and data; targets that fit the output and loss."""
    Theta = {l: np.sin(np.arange(sizes[l] * (sizes[l - 1] + 1)) + l).reshape(sizes[l], sizes[l - 1] + 1)
             for l in range(1, len(sizes))}
    m, K = 5, sizes[-1]
    X = np.cos(np.arange(sizes[0] * m) * 0.7).reshape(sizes[0], m)
    if output == "softmax":
        Y = bp.one_hot(np.arange(m) % K, K)
    elif output == "sigmoid":
        Y = (np.sin(np.arange(K * m) * 1.3).reshape(K, m) + 1) / 2      # targets in [0, 1], not only 0/1
    else:
        Y = np.sin(np.arange(K * m) * 1.3).reshape(K, m) * 2            # any real targets for regression
    return Theta, X, Y


MODELS = [(activation, output, loss) for activation in HIDDEN_ACTIVATIONS for output, loss in sorted(SUPPORTED_PAIRS)]


@pytest.mark.parametrize("activation, output, loss", MODELS, ids=["-".join(model) for model in MODELS])
@pytest.mark.parametrize("lambda_", [0.0, 0.7])
def test_gradient_equals_backprop(activation, output, loss, lambda_):
    Theta, X, Y = small_problem(output, loss)
    model = dict(activation=activation, output=output, loss=loss)
    D_graph = gradient(Theta, X, Y, lambda_, **model)
    D = bp.backprop(Theta, X, Y, lambda_, **model)
    assert sorted(D_graph) == sorted(D)
    for l in D:
        assert D_graph[l].shape == Theta[l].shape, f"D[{l}] must have Theta[{l}]'s shape {Theta[l].shape}"
        assert_allclose(D_graph[l], D[l], rtol=1e-10, atol=1e-12,
                        err_msg=f"D[{l}] from J.backward() vs (BP1)-(BP5), {activation}/{output}/{loss}, "
                                f"lambda_={lambda_}")


def test_gradient_leaves_the_bias_column_unregularized():
    Theta, X, Y = small_problem("sigmoid", "cross_entropy")
    D0, D1 = gradient(Theta, X, Y, 0.0), gradient(Theta, X, Y, 2.0)
    m = X.shape[1]
    for l in Theta:
        assert_allclose(D1[l][:, 0], D0[l][:, 0], rtol=1e-13, err_msg=f"D[{l}] bias column j = 0 (BP5)")
        assert_allclose(D1[l][:, 1:] - D0[l][:, 1:], 2.0 / m * Theta[l][:, 1:], rtol=1e-9, atol=1e-13,
                        err_msg=f"D[{l}] columns j >= 1 gain (lambda/m) Theta (BP4)")


def test_gradient_on_a_one_layer_network_and_one_example():
    Theta = {1: np.array([[0.2, -0.4, 0.3]])}
    X, Y = np.array([[1.0], [2.0]]), np.array([[1.0]])
    a = 1 / (1 + math.exp(-0.4))                                  # a(2) = g(0.2 + (-0.4)(1) + (0.3)(2))
    assert_allclose(gradient(Theta, X, Y)[1], [[a - 1, (a - 1) * 1.0, (a - 1) * 2.0]], rtol=1e-14,
                    err_msg="D = (a - y) [1, x1, x2] for one sigmoid unit with cross-entropy")


def test_gradient_checks_its_arguments():
    Theta, X, Y = small_problem("sigmoid", "cross_entropy")
    with pytest.raises(ValueError, match="X has shape"):
        gradient(Theta, X.T, Y)
    with pytest.raises(ValueError, match="unknown activation"):
        gradient(Theta, X, Y, activation="softplus")
    with pytest.raises(ValueError, match="not supported"):
        gradient(Theta, X, Y, output="identity", loss="cross_entropy")
    with pytest.raises(ValueError, match="lambda_ must be >= 0"):
        gradient(Theta, X, Y, lambda_=-1.0)


def test_gradient_refuses_a_graph_too_large_to_build():
    Theta = bp.init_thetas([64, 25, 10], seed=0)
    X, Y = bp.datasets.digits()
    with pytest.raises(ValueError, match=r"MAX_NODES.*X\[:, :10\]"):
        gradient(Theta, X, Y)


def test_gradient_explains_a_saturated_output():
    Theta = {1: np.array([[50.0, 0.0]])}                            # a(2) = sigmoid(50) rounds to exactly 1.0
    with pytest.raises(ValueError, match="rounded to exactly 0 or 1.*bp.backprop"):
        gradient(Theta, np.array([[1.0]]), np.array([[0.0]]))
