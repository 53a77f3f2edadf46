"""Tests of backprop_course.activations: g and g' of every registry entry, the sigmoid's tails, softmax.

Numerics are checked with warnings turned into errors: a sigmoid that overflows inside exp would
pass a value check and still spray RuntimeWarnings over a learner's notebook. The tests that loop over
ACTIVATION_NAMES read the registry, so a new activation is checked by them as soon as it is added.
"""

import warnings
from decimal import Decimal, localcontext

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import backprop_course as bp
from backprop_course.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS

Z = np.sin(np.arange(1, 25)).reshape(4, 6) * 6.0          # deterministic z in (-6, 6), no exact zero
ACTIVATION_NAMES = list(HIDDEN_ACTIVATIONS)               # every elementwise g of the registry


def exact_sigmoid(z):
    """g(z) = 1 / (1 + e^-z) in 50-digit decimal arithmetic: the reference for float64's relative error."""
    with localcontext() as ctx:
        ctx.prec = 50
        return 1 / (1 + (-Decimal(float(z))).exp())


def relative_error_to(value, exact):
    with localcontext() as ctx:
        ctx.prec = 50
        return float(abs((Decimal(float(value)) - exact) / exact))


@pytest.fixture
def strict_numerics():
    """Any numpy floating-point warning or Python warning fails the test.

    Underflow is the exception: exp(-20000) rounding to 0 is the right answer (numpy ignores it by default).
    """
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        yield


# -- sigmoid ----------------------------------------------------------------------------------------

def test_sigmoid_reaches_exact_limits_without_warnings(strict_numerics):
    z = np.array([-1e4, -800.0, 800.0, 1e4])
    g = bp.sigmoid(z)
    assert g[0] == 0.0 and g[-1] == 1.0, f"g(-1e4) and g(1e4) must be exactly 0 and 1 (G1); got {g[[0, -1]]}"
    assert g[1] == 0.0 and g[2] == 1.0, "g(+-800) rounds to exactly 0 and 1 in float64"
    assert bp.sigmoid(-1e4) == 0.0 and bp.sigmoid(1e4) == 1.0
    assert_array_equal(bp.sigmoid_gradient(z), 0.0, err_msg="g'(z) = g(1 - g) = 0 in the saturated tails (G2)")


def test_sigmoid_of_infinity_is_its_limit(strict_numerics):
    assert_array_equal(bp.sigmoid(np.array([-np.inf, np.inf])), [0.0, 1.0])


def test_sigmoid_scalar_in_scalar_out():
    for z in (0.0, 2, -3.5, np.float64(1.0)):
        g = bp.sigmoid(z)
        assert np.ndim(g) == 0 and isinstance(g, float), f"sigmoid({z!r}) should be a scalar float, got {g!r}"
        assert np.ndim(bp.sigmoid_gradient(z)) == 0, f"sigmoid_gradient({z!r}) should be a scalar"
    assert bp.sigmoid(0) == 0.5


def test_sigmoid_keeps_the_shape_of_z():
    assert bp.sigmoid(Z).shape == Z.shape
    assert bp.sigmoid([[0.0, 1.0]]).shape == (1, 2), "lists are accepted like arrays"


def test_sigmoid_matches_its_definition():
    assert_allclose(bp.sigmoid(Z), 1.0 / (1.0 + np.exp(-Z)), rtol=1e-15, atol=2e-16,
                    err_msg="g(z) = 1 / (1 + e^-z) (G1)")


def test_sigmoid_gradient_at_zero_is_one_quarter():
    assert bp.sigmoid_gradient(0.0) == 0.25, "g'(0) = g(0)(1 - g(0)) = 1/2 * 1/2 = 1/4, exactly"


def test_sigmoid_gradient_is_g_times_one_minus_g():
    g = bp.sigmoid(Z)
    # g (1 - g) computed here cancels in 1 - g for g near 1, so it is itself good to about 1e-13 only
    assert_allclose(bp.sigmoid_gradient(Z), g * (1 - g), rtol=1e-13, err_msg="g'(z) = g(z)(1 - g(z)) (G2)")


@pytest.mark.parametrize("z", [-745.0, -700.0, -30.0, -20.0, -1.0, 0.5, 20.0, 30.0])
def test_sigmoid_and_its_gradient_are_accurate_in_both_tails(z, strict_numerics):
    exact = exact_sigmoid(z)
    if z < -709:          # g(z) is a subnormal float there: only its few significant bits can be right
        assert relative_error_to(bp.sigmoid(z), exact) < 1.0
        return
    assert relative_error_to(bp.sigmoid(z), exact) < 4e-16, f"g({z}) must be right to ~1e-16 relative error"
    with localcontext() as ctx:
        ctx.prec = 50
        exact_slope = exact * (1 - exact)
    assert relative_error_to(bp.sigmoid_gradient(z), exact_slope) < 8e-16, (
        f"g'({z}) must be right to ~1e-16 relative error (G2), also where 1 - g(z) cancels")


def test_sigmoid_is_symmetric_about_one_half():
    # g(-z) = 1 - g(z). For z >= 0, g(z) lies in [1/2, 1] and 1 - g(z) is computed exactly (Sterbenz),
    # so only the rounding of the two g values counts (about one unit in the last place of 1/2 .. 1 each,
    # 1.1e-16); z < 0 is the same identity read backwards.
    z = np.linspace(0.0, 40.0, 400_001)
    gap = np.abs(bp.sigmoid(-z) - (1.0 - bp.sigmoid(z)))
    assert gap.max() <= 2.3e-16, f"|g(-z) - (1 - g(z))| reaches {gap.max():.2e} at z = {z[gap.argmax()]:.6g}"


# -- every hidden activation: g' against a central difference --------------------------------------------

@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activation_gradient_matches_central_difference(name):
    act = ACTIVATIONS[name]
    h = 1e-6                                            # Z stays at least 0.07 from relu's kink at 0
    numeric = (act.g(Z + h) - act.g(Z - h)) / (2 * h)
    assert_allclose(act.g_prime(Z), numeric, rtol=1e-8, atol=1e-10,
                    err_msg=f"{name}: g'(z) disagrees with (g(z + h) - g(z - h)) / 2h")


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_fast_variants_agree_with_the_public_functions(name):
    # The network's hot path uses into(z, out) and prime_from_a(a, out): g' written from the already
    # computed a = g(z). Both must agree with the public g and g' (z includes exact zeros for relu's kink).
    act = ACTIVATIONS[name]
    z = np.hstack([Z, np.zeros((Z.shape[0], 1))])
    out = np.empty_like(z)
    act.into(z, out)
    assert_array_equal(out, act.g(z), err_msg=f"{name}: into(z, out) must write g(z)")
    g_prime = act.prime_from_a(act.g(z), np.empty_like(z))
    # from a, g' = g (1 - g) cancels where g is near 1: equal to about 1e-13 relative, not to the last bit
    assert_allclose(g_prime, act.g_prime(z), rtol=1e-13, atol=1e-16,
                    err_msg=f"{name}: prime_from_a(g(z), out) must equal g'(z)")


def test_softsign_values_and_slope():
    assert_allclose(bp.softsign(np.array([-3.0, 0.0, 1.0])), [-0.75, 0.0, 0.5], rtol=1e-15,
                    err_msg="g(z) = z / (1 + |z|)")
    assert_allclose(bp.softsign_gradient(np.array([-3.0, 0.0, 1.0])), [1 / 16, 1.0, 0.25], rtol=1e-15,
                    err_msg="g'(z) = 1 / (1 + |z|)^2")
    assert np.abs(bp.softsign(np.array([-1e300, 1e300]))).max() <= 1.0, "values stay in [-1, 1]"


def test_registry_entries_say_everything_the_course_needs():
    for name, act in ACTIVATIONS.items():
        assert act.name == name and callable(act.g) and callable(act.into)
        assert act.roles and set(act.roles) <= {"hidden", "output"}, f"{name}: roles are hidden and/or output"
        assert isinstance(act.latex, str) and act.latex, f"{name}: a symbol for the equations"
        low, high = act.z_range
        assert low < 0 < high, f"{name}: plots show g around z = 0"
        if "hidden" in act.roles:
            assert callable(act.g_prime) and callable(act.prime_from_a), f"{name}: a hidden g needs g'"
        if act.values is not None:
            g = act.g(Z)
            assert act.values[0] <= g.min() and g.max() <= act.values[1], f"{name}: g stays in its values"
    assert HIDDEN_ACTIVATIONS == tuple(n for n, a in ACTIVATIONS.items() if "hidden" in a.roles)
    assert "softmax" in OUTPUT_ACTIVATIONS and "softmax" not in HIDDEN_ACTIVATIONS


def test_tanh_relu_identity_values():
    assert_allclose(bp.tanh(Z), np.tanh(Z), rtol=1e-15)
    assert_array_equal(bp.relu(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 3.0])
    assert_array_equal(bp.relu_gradient(np.array([-2.0, 0.0, 3.0])), [0.0, 0.0, 1.0],
                       err_msg="relu'(0) is taken as 0 (the kink), 1 for z > 0")
    assert_array_equal(bp.identity(Z), Z)
    assert_array_equal(bp.identity_gradient(Z), np.ones_like(Z))


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activations_do_not_warn_for_huge_z(name, strict_numerics):
    z = np.array([-1e4, -800.0, 0.5, 800.0, 1e4])
    g, g_prime = ACTIVATIONS[name].g(z), ACTIVATIONS[name].g_prime(z)
    assert np.isfinite(g).all() and np.isfinite(g_prime).all(), f"{name}: g or g' not finite for |z| <= 1e4"


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activations_raise_nothing_under_errstate_all_raise(name):
    # notebook 01 evaluates g under np.errstate(all="raise"): even an underflow to 0 must not raise there
    z = np.array([-np.inf, -1e300, -1000.0, -740.0, 0.0, 740.0, 1000.0, 1e300, np.inf])
    with np.errstate(all="raise"):
        g, g_prime = ACTIVATIONS[name].g(z), ACTIVATIONS[name].g_prime(z)
    assert not np.isnan(g).any() and not np.isnan(g_prime).any(), f"{name}: g(+-inf) is g's limit, never NaN"


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activations_keep_float32_and_promote_integers(name):
    act = ACTIVATIONS[name]
    z32 = Z.astype(np.float32)
    assert act.g(z32).dtype == np.float32 and act.g_prime(z32).dtype == np.float32, f"{name}: float32 in"
    zi = np.array([-2, 0, 3])
    assert act.g(zi).dtype == np.float64 and act.g_prime(zi).dtype == np.float64, f"{name}: int in -> float64"


@pytest.mark.parametrize("name", ACTIVATION_NAMES)
def test_activations_do_not_modify_z(name):
    z = Z.copy()
    ACTIVATIONS[name].g(z)
    ACTIVATIONS[name].g_prime(z)
    assert_array_equal(z, Z, err_msg=f"{name} modified its argument z")


# -- softmax --------------------------------------------------------------------------------------

def test_softmax_columns_are_probability_vectors():
    a = bp.softmax(Z)
    assert a.shape == Z.shape
    assert (a > 0).all(), "every softmax output is positive"
    assert_allclose(a.sum(axis=0), 1.0, rtol=1e-15, err_msg="each column of softmax(z), shape (K, m), sums to 1")


def test_softmax_matches_its_definition():
    e = np.exp(Z)
    assert_allclose(bp.softmax(Z), e / e.sum(axis=0), rtol=1e-14, err_msg="a_k = e^{z_k} / sum_j e^{z_j}")


def test_softmax_is_shift_stable(strict_numerics):
    z = np.array([[0.5, -3.0], [2.0, 0.0], [-1.25, 1.0]])  # dyadic: z + 1000 is exact, so equality is exact
    assert_array_equal(bp.softmax(z + 1000.0), bp.softmax(z), err_msg="softmax(z + c) == softmax(z), c = 1000")
    assert_array_equal(bp.softmax(z - 1000.0), bp.softmax(z))
    # For general z, z + 1000 itself rounds (to about 1e-13), and the answer moves by that much at most.
    assert_allclose(bp.softmax(Z + 1000.0), bp.softmax(Z), rtol=1e-12)


def test_softmax_of_huge_z_is_one_hot_without_warnings(strict_numerics):
    a = bp.softmax(np.array([[1e4, -1e4], [0.0, 0.0], [-1e4, 1e4]]))
    assert_array_equal(a, [[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])


def test_softmax_does_not_modify_z():
    z = Z.copy()
    bp.softmax(z)
    assert_array_equal(z, Z, err_msg="softmax modified its argument z")


# -- bad input --------------------------------------------------------------------------------------

@pytest.mark.parametrize("f", [bp.sigmoid, bp.sigmoid_gradient, bp.tanh, bp.relu, bp.softsign, bp.softmax])
def test_activations_reject_nan(f):
    with pytest.raises(ValueError, match="NaN"):
        f(np.array([[0.0], [np.nan]]))


@pytest.mark.parametrize("z", ["1.0", None, [True, False], np.array([1 + 2j])])
def test_sigmoid_rejects_non_numbers(z):
    with pytest.raises(TypeError, match="z must be"):
        bp.sigmoid(z)


def test_softmax_rejects_infinity_instead_of_returning_nan(strict_numerics):
    with pytest.raises(ValueError, match=r"softmax needs finite z; z\[0, 0\] is inf"):
        bp.softmax(np.array([[np.inf], [0.0]]))


def test_softmax_rejects_1d_z():
    with pytest.raises(ValueError, match=r"shape \(K, m\).*got shape \(3,\)"):
        bp.softmax(np.ones(3))


# -- one registry entry reaches every view -----------------------------------------------------------

def test_a_registry_entry_reaches_the_playground_and_the_step_through():
    # softsign was added as one entry of ACTIVATIONS (and its tests above); nothing in the widgets names it
    from backprop_course.widgets import NeuronExplorer, Playground, StepThrough

    assert "softsign" in Playground().controls["activation"].options
    assert "softsign" in NeuronExplorer().activation.options
    Theta = {1: np.array([[0.1, 0.4, -0.3], [-0.2, 0.3, 0.5]]), 2: np.array([[0.2, -0.6, 0.7]])}
    walk = StepThrough(Theta, np.array([[0.5], [-1.0]]), np.array([[1.0]]), activation="softsign")
    f3 = next(step for step in walk.steps if step.label == "F3")
    assert r"\operatorname{softsign}" in f3.instance, "the step-through writes g with the registry's symbol"
    bp2 = next(step for step in walk.steps if step.label == "BP2")
    z2 = np.array([[0.1 + 0.4 * 0.5 + 0.3], [-0.2 + 0.15 - 0.5]])
    assert_allclose(bp2.inputs[r"\operatorname{softsign}'(z^{(2)})"], 1 / (1 + np.abs(z2)) ** 2, rtol=1e-15)
    playground = Playground(activation="softsign")
    assert playground.pg.activation == "softsign" and playground.controls["activation"].value == "softsign"
