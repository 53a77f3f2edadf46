"""Tests of backprop_course.network: forward, cost, deltas, backprop_loop, backprop, predict, init_thetas.

The centrepiece is the course's worked example: a 2-2-1 sigmoid network on two examples with
lambda = 1, every a, z, d, Delta and D computed by hand (arithmetic in the comments, six decimals)
and pinned. The rest checks the conventions (shapes, bias rows, dtypes), the agreement of the loop
with the vectorized version, the regularization rule for the bias column, and that no input is
ever modified.
"""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course.activations import HIDDEN_ACTIVATIONS

MODELS = [  # (activation, output, loss): every hidden activation of the registry with every supported pair
    (activation, output, loss)
    for activation in HIDDEN_ACTIVATIONS
    for output, loss in (("sigmoid", "cross_entropy"), ("softmax", "cross_entropy"),
                         ("sigmoid", "mse"), ("identity", "mse"))
]


def sin_theta(sizes, scale=0.5):
    """Deterministic, non-symmetric weights: Theta[l] filled with scale * sin(1, 2, 3, ...)."""
    Theta, start = {}, 1
    for l in range(1, len(sizes)):
        shape = (sizes[l], sizes[l - 1] + 1)
        Theta[l] = scale * np.sin(np.arange(start, start + shape[0] * shape[1])).reshape(shape)
        start += shape[0] * shape[1]
    return Theta


def targets(output, loss, K, m):
    """Deterministic targets Y of shape (K, m) that suit the output/loss pair."""
    if output == "softmax":
        return bp.one_hot(np.arange(m) * 7 % K, K)
    if output == "identity":
        return np.cos(np.arange(K * m)).reshape(K, m)
    return (np.cos(np.arange(K * m)).reshape(K, m) + 1) / 2      # in [0, 1]


SIZES = [3, 4, 3, 2]
M = 5
X5 = np.sin(np.arange(SIZES[0] * M) * 0.7 + 0.3).reshape(SIZES[0], M)


# ------------------------------------------------------------------------------------------------
# The worked example (2-2-1, sigmoid hidden and output, cross-entropy, m = 2, lambda = 1)
# ------------------------------------------------------------------------------------------------
#
#   Theta(1) = [[ 0.1, 0.2, -0.3],      Theta(2) = [[0.3, -0.5, 0.6]]
#               [-0.2, 0.4,  0.1]]
#   x(1) = (1, 2), y(1) = 1;   x(2) = (0, 1), y(2) = 0     ->  X = [[1, 0], [2, 1]], Y = [[1, 0]]
#
# Example t = 1
#   a(1) = (1, 1, 2)                                                              (F1)
#   z(2) = ( 0.1 + 0.2*1 - 0.3*2,  -0.2 + 0.4*1 + 0.1*2 ) = (-0.3, 0.4)            (F2)
#   a(2) = (1, g(-0.3), g(0.4)) = (1, 0.425557, 0.598688)                          (F3)
#   z(3) = 0.3 - 0.5*0.425557 + 0.6*0.598688 = 0.446434                            (F2)
#   a(3) = g(0.446434) = 0.609791                                                  (F4)
#   d(3) = a(3) - y = 0.609791 - 1 = -0.390209                                     (BP1)
#   d(2) = [Theta(2)' d(3)] without row 0 .* a(2)(1 - a(2))                        (BP2)
#        = (-0.5*-0.390209 * 0.425557*0.574443,  0.6*-0.390209 * 0.598688*0.401312)
#        = (0.047695, -0.056251)
# Example t = 2
#   a(1) = (1, 0, 1)
#   z(2) = ( 0.1 + 0 - 0.3,  -0.2 + 0 + 0.1 ) = (-0.2, -0.1)
#   a(2) = (1, g(-0.2), g(-0.1)) = (1, 0.450166, 0.475021)
#   z(3) = 0.3 - 0.5*0.450166 + 0.6*0.475021 = 0.359929
#   a(3) = g(0.359929) = 0.589023
#   d(3) = 0.589023 - 0 = 0.589023
#   d(2) = (-0.5*0.589023 * 0.450166*0.549834,  0.6*0.589023 * 0.475021*0.524979)
#        = (-0.072897, 0.088133)
# Accumulate Delta(l) = sum over t of d(l+1) a(l)'                                 (BP3)
#   Delta(2) = -0.390209*(1, 0.425557, 0.598688) + 0.589023*(1, 0.450166, 0.475021)
#            = (0.198814, 0.099102, 0.046185)
#   Delta(1) = (0.047695, -0.056251)' (1, 1, 2) + (-0.072897, 0.088133)' (1, 0, 1)
#            = [[ 0.047695 - 0.072897,  0.047695,  2*0.047695 - 0.072897],
#               [-0.056251 + 0.088133, -0.056251, -2*0.056251 + 0.088133]]
#            = [[-0.025202,  0.047695,  0.022493],
#               [ 0.031882, -0.056251, -0.024369]]
# D(l) = (1/m) Delta(l) + (lambda/m) Theta(l) on columns j >= 1, (1/m) Delta(l) on j = 0   (BP4, BP5)
#   D(2) = (0.198814/2, 0.099102/2 - 0.5/2, 0.046185/2 + 0.6/2) = (0.099407, -0.200449, 0.323093)
#   D(1) = [[-0.025202/2,  0.047695/2 + 0.2/2, 0.022493/2 - 0.3/2],
#           [ 0.031882/2, -0.056251/2 + 0.4/2, -0.024369/2 + 0.1/2]]
#        = [[-0.012601, 0.123847, -0.138753],
#           [ 0.015941, 0.171874,  0.037815]]
# J = (1/2)[-log(0.609791) - log(1 - 0.589023)] + (1/(2*2))(0.2^2 + 0.3^2 + 0.4^2 + 0.1^2 + 0.5^2 + 0.6^2)
#   = (1/2)(0.494639 + 0.889217) + 0.25 * 0.91 = 0.691928 + 0.2275 = 0.919428        (J)
#   (0.919429 when computed without rounding the intermediate values)

WORKED_THETA = {1: np.array([[0.1, 0.2, -0.3], [-0.2, 0.4, 0.1]]), 2: np.array([[0.3, -0.5, 0.6]])}
WORKED_X = np.array([[1.0, 0.0], [2.0, 1.0]])
WORKED_Y = np.array([[1.0, 0.0]])
WORKED_LAMBDA = 1.0

HAND = {  # the numbers above, rounded to 6 decimals
    "z2": [[-0.3, -0.2], [0.4, -0.1]],
    "a2": [[1.0, 1.0], [0.425557, 0.450166], [0.598688, 0.475021]],
    "z3": [[0.446434, 0.359929]],
    "a3": [[0.609791, 0.589023]],
    "d3": [[-0.390209, 0.589023]],
    "d2": [[0.047695, -0.072897], [-0.056251, 0.088133]],
    "Delta1": [[-0.025202, 0.047695, 0.022493], [0.031882, -0.056251, -0.024369]],
    "Delta2": [[0.198814, 0.099102, 0.046185]],
    "D1": [[-0.012601, 0.123847, -0.138753], [0.015941, 0.171874, 0.037815]],
    "D2": [[0.099407, -0.200449, 0.323093]],
    "J": 0.919429,
}
SIX_DECIMALS = dict(rtol=0, atol=6e-7)  # the pinned values are rounded to 6 decimals


def by_hand_scalar():
    """The worked example again, one scalar at a time with math.exp (independent of the library)."""
    T1 = [[0.1, 0.2, -0.3], [-0.2, 0.4, 0.1]]
    T2 = [0.3, -0.5, 0.6]
    g = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    Delta1 = [[0.0] * 3 for _ in range(2)]
    Delta2 = [0.0] * 3
    J = 0.0
    for x, y in (((1.0, 2.0), 1.0), ((0.0, 1.0), 0.0)):
        a1 = [1.0, x[0], x[1]]
        a2 = [1.0] + [g(sum(T1[i][j] * a1[j] for j in range(3))) for i in range(2)]
        a3 = g(sum(T2[j] * a2[j] for j in range(3)))
        d3 = a3 - y
        d2 = [T2[i + 1] * d3 * a2[i + 1] * (1.0 - a2[i + 1]) for i in range(2)]
        J -= y * math.log(a3) + (1.0 - y) * math.log(1.0 - a3)
        for j in range(3):
            Delta2[j] += d3 * a2[j]
            for i in range(2):
                Delta1[i][j] += d2[i] * a1[j]
    m, lam = 2, WORKED_LAMBDA
    J = J / m + lam / (2 * m) * (sum(T1[i][j] ** 2 for i in range(2) for j in (1, 2)) + T2[1] ** 2 + T2[2] ** 2)
    D1 = [[Delta1[i][j] / m + (lam / m * T1[i][j] if j >= 1 else 0.0) for j in range(3)] for i in range(2)]
    D2 = [[Delta2[j] / m + (lam / m * T2[j] if j >= 1 else 0.0) for j in range(3)]]
    return {"D1": D1, "D2": D2, "J": J}


def test_worked_example_forward_pass_matches_hand_computation():
    a, z = bp.forward(WORKED_THETA, WORKED_X)
    assert_array_equal(a[1], [[1, 1], [1, 0], [2, 1]], err_msg="a[1] (F1) is X with a row of ones on top")
    assert_allclose(z[2], HAND["z2"], **SIX_DECIMALS, err_msg="z[2] = Theta[1] @ a[1] (F2), shape (2, m)")
    assert_allclose(a[2], HAND["a2"], **SIX_DECIMALS, err_msg="a[2] = [1; g(z[2])] (F3), shape (3, m)")
    assert_allclose(z[3], HAND["z3"], **SIX_DECIMALS, err_msg="z[3] = Theta[2] @ a[2] (F2), shape (1, m)")
    assert_allclose(a[3], HAND["a3"], **SIX_DECIMALS, err_msg="a[3] = g(z[3]) (F4), no bias row, shape (1, m)")


def test_worked_example_output_delta_is_a_minus_y():
    a, z = bp.forward(WORKED_THETA, WORKED_X)
    d3 = bp.losses.output_delta(a[3], z[3], WORKED_Y, "sigmoid", "cross_entropy")
    assert_allclose(d3, HAND["d3"], **SIX_DECIMALS, err_msg="d[3] = a[3] - y (BP1), shape (1, m)")


@pytest.mark.parametrize("t", [0, 1])
def test_worked_example_bias_column_of_one_example_gradient_is_the_delta(t):
    # For one example (m = 1) the bias column of D(l) is d(l+1) * a_0(l) = d(l+1), because a_0 = 1 (BP3):
    # this exposes the hidden delta d(2) without reaching into the library's internals.
    D = bp.backprop(WORKED_THETA, WORKED_X[:, [t]], WORKED_Y[:, [t]], lambda_=WORKED_LAMBDA)
    assert_allclose(D[2][:, 0], np.array(HAND["d3"])[:, t], **SIX_DECIMALS,
                    err_msg=f"example {t + 1}: D[2][:, 0] should equal d[3] (BP1, BP3, BP5)")
    assert_allclose(D[1][:, 0], np.array(HAND["d2"])[:, t], **SIX_DECIMALS,
                    err_msg=f"example {t + 1}: D[1][:, 0] should equal d[2] = Theta(2)' d(3) .* g'(z(2)) (BP2)")


def test_worked_example_deltas_match_hand_computation():
    d = bp.deltas(WORKED_THETA, WORKED_X, WORKED_Y)
    assert sorted(d) == [2, 3], "d(l) exists for l = 2 .. L"
    assert_allclose(d[3], HAND["d3"], **SIX_DECIMALS, err_msg="d[3] = a[3] - y (BP1), one column per example")
    assert_allclose(d[2], HAND["d2"], **SIX_DECIMALS,
                    err_msg="d[2] = [Theta(2)' d(3)] without row 0 .* g'(z(2)) (BP2), shape (2, m)")


@pytest.mark.parametrize("activation, output, loss", MODELS)
def test_deltas_are_the_errors_of_each_example_and_give_D(activation, output, loss):
    Theta, Y = sin_theta(SIZES), targets(output, loss, SIZES[-1], M)
    model = dict(activation=activation, output=output, loss=loss)
    d = bp.deltas(Theta, X5, Y, **model)
    for l in range(2, len(SIZES) + 1):
        assert d[l].shape == (SIZES[l - 1], M), f"d[{l}] has shape (s_{l}, m)"
    for t in range(M):
        alone = bp.deltas(Theta, X5[:, [t]], Y[:, [t]], **model)
        for l in alone:
            assert_allclose(d[l][:, [t]], alone[l], rtol=1e-13, atol=1e-15,
                            err_msg=f"column {t} of d[{l}] is example {t}'s own error")
    a, _ = bp.forward(Theta, X5, activation, output)
    D = bp.backprop(Theta, X5, Y, **model)
    for l in D:
        assert_allclose(d[l + 1] @ a[l].T / M, D[l], rtol=1e-12, atol=1e-15,
                        err_msg=f"D[{l}] = (1/m) d({l + 1}) a({l})' (BP3, BP5) with lambda = 0")


def test_worked_example_Delta_matches_hand_accumulation():
    # With lambda = 0, D = Delta / m (BP4, BP5), so m * D is the accumulated Delta (BP3).
    D0 = bp.backprop_loop(WORKED_THETA, WORKED_X, WORKED_Y, lambda_=0.0)
    assert_allclose(2 * D0[1], HAND["Delta1"], **SIX_DECIMALS, err_msg="Delta[1] = sum_t d(2) a(1)' (BP3)")
    assert_allclose(2 * D0[2], HAND["Delta2"], **SIX_DECIMALS, err_msg="Delta[2] = sum_t d(3) a(2)' (BP3)")


@pytest.mark.parametrize("gradient", [bp.backprop_loop, bp.backprop], ids=["loop", "vectorized"])
def test_worked_example_D_and_J_match_hand_computation(gradient):
    D = gradient(WORKED_THETA, WORKED_X, WORKED_Y, lambda_=WORKED_LAMBDA)
    J = bp.cost(WORKED_THETA, WORKED_X, WORKED_Y, lambda_=WORKED_LAMBDA)
    assert_allclose(D[1], HAND["D1"], **SIX_DECIMALS, err_msg="D[1], shape (2, 3) (BP4, BP5), lambda = 1")
    assert_allclose(D[2], HAND["D2"], **SIX_DECIMALS, err_msg="D[2], shape (1, 3) (BP4, BP5), lambda = 1")
    assert_allclose(J, HAND["J"], **SIX_DECIMALS, err_msg="J with lambda = 1 (J)")
    # ... and to full precision against the scalar recomputation.
    ref = by_hand_scalar()
    assert_allclose(D[1], ref["D1"], rtol=1e-12, err_msg="D[1] against scalar Python")
    assert_allclose(D[2], ref["D2"], rtol=1e-12, err_msg="D[2] against scalar Python")
    assert_allclose(J, ref["J"], rtol=1e-12, err_msg="J against scalar Python")


# ------------------------------------------------------------------------------------------------
# forward: shapes, bias rows, exact values for simple weights
# ------------------------------------------------------------------------------------------------

def test_forward_shapes_follow_the_glossary():
    a, z = bp.forward(sin_theta(SIZES), X5)
    L = len(SIZES)
    assert sorted(a) == list(range(1, L + 1)), "a is keyed 1 .. L"
    assert sorted(z) == list(range(2, L + 1)), "z is keyed 2 .. L (the input layer has no z)"
    for l in range(1, L):
        assert a[l].shape == (SIZES[l - 1] + 1, M), f"a[{l}] must be (s_{l} + 1, m) with the bias row"
        assert_array_equal(a[l][0], 1.0, err_msg=f"row 0 of a[{l}] is the bias unit, all ones")
    assert a[L].shape == (SIZES[-1], M), "a[L] is (K, m), without a bias row (F4)"
    for l in range(2, L + 1):
        assert z[l].shape == (SIZES[l - 1], M), f"z[{l}] must be (s_{l}, m)"


def test_zero_weights_give_half_outputs_and_cost_K_log_2():
    # Every z is 0, every sigmoid output 1/2, so each of the K outputs costs log 2 whatever y in {0, 1}.
    Theta = {1: np.zeros((3, 3)), 2: np.zeros((2, 4))}
    X = np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]])
    Y = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0]])
    a, _ = bp.forward(Theta, X)
    assert_array_equal(a[3], 0.5, err_msg="g(0) = 1/2 at every output")
    assert_allclose(bp.cost(Theta, X, Y), 2 * math.log(2), rtol=1e-15, err_msg="J = K log 2 at zero weights")
    assert_allclose(bp.cost(Theta, X, bp.one_hot([0, 1, 1], 2), output="softmax"), math.log(2), rtol=1e-15,
                    err_msg="softmax of equal z is uniform, 1/K each: J = log K")


def test_deep_network_with_ten_weight_matrices_runs():
    # Eleven layers means Theta keys 1 .. 10; key 10 must sort after 9, not after 1.
    sizes = [2] + [3] * 9 + [1]
    Theta = sin_theta(sizes)
    X = np.array([[0.2, -0.4], [0.9, 0.1]])
    a, _ = bp.forward(Theta, X)
    assert a[11].shape == (1, 2)
    D = bp.backprop(Theta, X, np.array([[1.0, 0.0]]))
    assert sorted(D) == list(range(1, 11))


# ------------------------------------------------------------------------------------------------
# backprop == backprop_loop == numerical gradient
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation,output,loss", MODELS)
def test_backprop_equals_backprop_loop(activation, output, loss):
    Theta, Y = sin_theta(SIZES), targets(output, loss, SIZES[-1], M)
    kw = dict(lambda_=0.7, activation=activation, output=output, loss=loss)
    D_loop, D_vec = bp.backprop_loop(Theta, X5, Y, **kw), bp.backprop(Theta, X5, Y, **kw)
    for l in Theta:
        assert_allclose(D_vec[l], D_loop[l], rtol=1e-12, atol=1e-15,
                        err_msg=f"D[{l}] (shape {Theta[l].shape}): vectorized backprop differs from the "
                                f"per-example loop ({activation}/{output}/{loss}); check (BP2)-(BP3)")


@pytest.mark.parametrize("activation,output,loss", MODELS)
def test_D_matches_numerical_gradient(activation, output, loss):
    # The sin fixture keeps every hidden z at least 0.01 away from 0 (checked below), so ReLU's kink
    # never lies within epsilon = 1e-4 of a weight's perturbation.
    Theta, Y = sin_theta(SIZES), targets(output, loss, SIZES[-1], M)
    if activation == "relu":
        _, z = bp.forward(Theta, X5, activation, output)
        assert min(np.abs(z[l]).min() for l in range(2, len(SIZES))) > 1e-2, "fixture too close to a kink"
    kw = dict(lambda_=0.7, activation=activation, output=output, loss=loss)
    D, D_num = bp.backprop(Theta, X5, Y, **kw), bp.numerical_gradient(Theta, X5, Y, **kw)
    err = bp.relative_error(D, D_num)
    assert err < 1e-7, (f"relative error {err:.2e} between backprop's D and the numerical gradient (NG) "
                        f"for {activation}/{output}/{loss}; a correct D gives about 1e-10")


# ------------------------------------------------------------------------------------------------
# regularization: the bias column j = 0 is left alone
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gradient", [bp.backprop_loop, bp.backprop], ids=["loop", "vectorized"])
def test_regularization_leaves_bias_column_of_D_alone(gradient):
    Theta, Y = sin_theta(SIZES), targets("sigmoid", "cross_entropy", SIZES[-1], M)
    D0 = gradient(Theta, X5, Y, lambda_=0.0)
    D3 = gradient(Theta, X5, Y, lambda_=3.0)
    for l in Theta:
        assert_array_equal(D3[l][:, 0], D0[l][:, 0],
                           err_msg=f"D[{l}][:, 0] (bias column) must not depend on lambda_ (BP5)")
        assert_allclose(D3[l][:, 1:] - D0[l][:, 1:], 3.0 / M * Theta[l][:, 1:], rtol=1e-12, atol=1e-15,
                        err_msg=f"D[{l}][:, 1:] must gain (lambda/m) Theta[{l}][:, 1:] (BP4)")


def test_regularization_penalty_ignores_bias_column_of_Theta():
    Theta, Y = sin_theta(SIZES), targets("sigmoid", "cross_entropy", SIZES[-1], M)
    penalty = bp.cost(Theta, X5, Y, lambda_=2.0) - bp.cost(Theta, X5, Y, lambda_=0.0)
    expected = 2.0 / (2 * M) * sum(np.sum(Theta[l][:, 1:] ** 2) for l in Theta)
    assert_allclose(penalty, expected, rtol=1e-12, err_msg="penalty = lambda/(2m) sum_{j>=1} Theta^2 (J)")
    # Scaling the bias weights changes the data term but not the penalty.
    scaled = {l: T.copy() for l, T in Theta.items()}
    for l in scaled:
        scaled[l][:, 0] *= 10.0
    penalty_scaled = bp.cost(scaled, X5, Y, lambda_=2.0) - bp.cost(scaled, X5, Y, lambda_=0.0)
    assert_allclose(penalty_scaled, penalty, rtol=1e-12,
                    err_msg="the penalty must not see Theta[l][:, 0], the bias weights (J sums j >= 1)")


# ------------------------------------------------------------------------------------------------
# dtypes and inputs left untouched
# ------------------------------------------------------------------------------------------------

def test_float32_inputs_stay_float32():
    Theta = {l: T.astype(np.float32) for l, T in sin_theta(SIZES).items()}
    X = X5.astype(np.float32)
    Y = targets("sigmoid", "cross_entropy", SIZES[-1], M)          # float64, as bp.one_hot gives
    a, z = bp.forward(Theta, X)
    for l in a:
        assert a[l].dtype == np.float32, f"a[{l}] became {a[l].dtype}; float32 in should give float32"
    for gradient in (bp.backprop, bp.backprop_loop):
        D = gradient(Theta, X, Y, lambda_=0.5)
        for l in D:
            assert D[l].dtype == np.float32, f"{gradient.__name__}: D[{l}] is {D[l].dtype}, expected float32"
        assert_allclose(D[1], bp.backprop(sin_theta(SIZES), X5, Y, lambda_=0.5)[1], rtol=1e-4, atol=1e-6,
                        err_msg="float32 D should agree with float64 D to float32 precision")


def test_integer_inputs_become_float64():
    Theta = {1: np.array([[1, -2, 1], [0, 1, 1]]), 2: np.array([[2, 1, -1]])}
    X = np.array([[1, 0, 2], [0, 1, 1]])
    Y = np.array([[1, 0, 1]])
    a, z = bp.forward(Theta, X)
    assert all(a[l].dtype == np.float64 for l in a), "integer Theta and X must be computed in float64"
    D = bp.backprop(Theta, X, Y)
    assert all(D[l].dtype == np.float64 for l in D), "D from integer inputs must be float64"
    assert_allclose(D[1], bp.backprop({l: T.astype(float) for l, T in Theta.items()}, X.astype(float),
                                      Y.astype(float))[1], rtol=1e-15)


def _snapshot(*objs):
    return [({k: v.copy() for k, v in o.items()} if isinstance(o, dict) else o.copy()) for o in objs]


def _assert_unchanged(before, after, names):
    for b, a, name in zip(before, after, names, strict=True):
        if isinstance(b, dict):
            for l in b:
                assert_array_equal(a[l], b[l], err_msg=f"{name}[{l}] was modified in place")
        else:
            assert_array_equal(a, b, err_msg=f"{name} was modified in place")


@pytest.mark.parametrize("call", ["forward", "cost", "deltas", "backprop", "backprop_loop", "predict"])
def test_inputs_are_never_modified(call):
    Theta, Y = sin_theta(SIZES), targets("identity", "mse", SIZES[-1], M)
    X = X5.copy()
    before = _snapshot(Theta, X, Y)
    kw = dict(activation="identity", output="identity")
    if call in ("forward", "predict"):
        getattr(bp, call)(Theta, X, **kw)
    elif call == "deltas":
        bp.deltas(Theta, X, Y, loss="mse", **kw)
    else:
        getattr(bp, call)(Theta, X, Y, lambda_=1.0, loss="mse", **kw)
    _assert_unchanged(before, (Theta, X, Y), ("Theta", "X", "Y"))


# ------------------------------------------------------------------------------------------------
# predict, init_thetas, add_bias_row
# ------------------------------------------------------------------------------------------------

def test_predict_thresholds_one_output_at_one_half():
    Theta = {1: np.array([[0.0, 1.0]])}                                # a = g(x)
    X = np.array([[-2.0, -1e-9, 0.0, 3.0]])
    assert_array_equal(bp.predict(Theta, X), [0, 0, 1, 1], err_msg="label 1 exactly where a(L) >= 0.5")


def test_predict_takes_the_largest_of_K_outputs():
    Theta = {1: np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.5, 0.0, 0.0]])}  # z = (x1, x2, 0.5)
    X = np.array([[2.0, 0.0, 0.1], [1.0, 3.0, 0.2]])
    assert_array_equal(bp.predict(Theta, X, output="softmax"), [0, 1, 2])


def test_init_thetas_shapes_range_and_seed():
    Theta = bp.init_thetas([4, 5, 3], epsilon_init=0.2, seed=3)
    assert Theta[1].shape == (5, 5) and Theta[2].shape == (3, 6), "Theta[l] is (s_{l+1}, s_l + 1)"
    for T in Theta.values():
        assert np.abs(T).max() <= 0.2 and np.abs(T).max() > 0.1, "uniform in [-epsilon_init, epsilon_init]"
    again = bp.init_thetas([4, 5, 3], epsilon_init=0.2, seed=3)
    other = bp.init_thetas([4, 5, 3], epsilon_init=0.2, seed=4)
    assert all(np.array_equal(Theta[l], again[l]) for l in Theta), "same seed, same weights"
    assert not np.array_equal(Theta[1], other[1]), "different seeds, different weights"
    assert len(np.unique(Theta[1])) == Theta[1].size, "random weights break the symmetry between units"


@pytest.mark.parametrize("rule, epsilon", [
    ("glorot", lambda s_l, s_next: math.sqrt(6 / (s_l + s_next))),
    ("he", lambda s_l, s_next: math.sqrt(6 / s_l)),
])
def test_init_thetas_rules_draw_each_layer_in_its_own_range(rule, epsilon):
    sizes = [4, 12, 2]
    Theta = bp.init_thetas(sizes, epsilon_init=rule, seed=0)
    for l in (1, 2):
        limit = epsilon(sizes[l - 1], sizes[l])
        assert Theta[l].shape == (sizes[l], sizes[l - 1] + 1)
        assert np.abs(Theta[l]).max() <= limit, f"{rule}: Theta[{l}] in [-{limit:.3f}, {limit:.3f}]"
        assert np.abs(Theta[l]).max() > 0.8 * limit, f"{rule}: the range of layer {l} must actually be used"
    rng = np.random.default_rng(0)
    one_by_one = {l: rng.uniform(-epsilon(sizes[l - 1], sizes[l]), epsilon(sizes[l - 1], sizes[l]),
                                 (sizes[l], sizes[l - 1] + 1)) for l in (1, 2)}
    for l in (1, 2):
        assert_array_equal(Theta[l], one_by_one[l], err_msg="layer by layer from one generator")
    with pytest.raises(ValueError, match="glorot"):
        bp.init_thetas(sizes, epsilon_init="xavier")


def test_add_bias_row_puts_ones_on_top():
    assert_array_equal(bp.add_bias_row(np.array([[2.0, 3.0], [4.0, 5.0]])), [[1, 1], [2, 3], [4, 5]])
    assert bp.add_bias_row(np.array([[1, 2]])).dtype == np.float64, "integer values get a float bias row"


def test_results_are_not_overwritten_by_later_calls():
    # backprop and cost reuse scratch arrays internally for speed; what they hand back must be the
    # caller's to keep: a and z from forward, D from backprop.
    Theta, Y = sin_theta(SIZES), targets("sigmoid", "cross_entropy", SIZES[-1], M)
    a, z = bp.forward(Theta, X5)
    D = bp.backprop(Theta, X5, Y)
    kept = ({l: v.copy() for l, v in a.items()}, {l: v.copy() for l, v in z.items()},
            {l: v.copy() for l, v in D.items()})
    other_X, other_Y = -2.0 * X5, 1.0 - Y
    bp.forward(Theta, other_X)
    bp.cost(Theta, other_X, other_Y)
    bp.backprop(Theta, other_X, other_Y)
    bp.train(Theta, other_X, other_Y, 0.5, epochs=2)
    for name, now, before in zip(("a", "z", "D"), (a, z, D), kept, strict=True):
        for l in before:
            assert_array_equal(now[l], before[l], err_msg=f"{name}[{l}] changed after later calls (shared scratch)")
