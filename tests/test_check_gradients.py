"""check_gradients and epsilon_sweep: which block disagrees, why, and how the step size matters.

Every broken gradient here is the right one with exactly one classic mistake applied, so each test
states the mistake, the block-level pattern the checker must show and the finding it must name.
"""

import re
import subprocess
import sys

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import misconceptions
from backprop_course.gradient_check import BlockCheck, GradientReport, check_gradients, epsilon_sweep

LAMBDA = 0.7


@pytest.fixture(scope="module")
def net():
    """A 3-4-2 network with non-symmetric weights and data (m = 5), no value near a kink."""
    Theta = {1: np.sin(np.arange(16.0)).reshape(4, 4) * 0.9,
             2: np.cos(np.arange(10.0)).reshape(2, 5) * 0.8}
    X = np.sin(np.arange(15.0) * 1.3).reshape(3, 5)
    Y = bp.one_hot([0, 1, 1, 0, 1], 2)
    return Theta, X, Y


def _parts(report):
    return {(b.layer, b.part) for b in report.failing_blocks()}


def _codes(report):
    return [f.code for f in report.findings]


def test_library_backprop_passes_every_block(net):
    Theta, X, Y = net
    report = check_gradients(Theta, X, Y, LAMBDA)
    assert report.passed, str(report)
    assert report.relative_error < 1e-8
    assert len(report.blocks) == 4 and all(isinstance(b, BlockCheck) and b.ok for b in report.blocks)
    assert report.regularization_ok is True and report.regularization_relative_error < 1e-8
    assert "agrees" in report.suggestions[0]


@pytest.mark.parametrize("activation, output, loss", [
    ("tanh", "softmax", "cross_entropy"), ("sigmoid", "sigmoid", "mse"), ("identity", "identity", "mse"),
])
def test_library_backprop_passes_for_other_models(net, activation, output, loss):
    Theta, X, Y = net
    report = check_gradients(Theta, X, Y, LAMBDA, activation=activation, output=output, loss=loss)
    assert report.passed, f"{activation}/{output}/{loss}:\n{report}"


def test_regularized_bias_column_is_named(net):
    Theta, X, Y = net
    m = X.shape[1]
    D = bp.backprop(Theta, X, Y, LAMBDA)
    for l in D:
        D[l][:, 0] += LAMBDA / m * Theta[l][:, 0]          # the mistake: (BP4) applied to j = 0 as well
    report = check_gradients(Theta, X, Y, LAMBDA, D=D)
    assert not report.passed
    assert _parts(report) == {(1, "bias column"), (2, "bias column")}, "only the bias columns are wrong"
    assert _codes(report) == ["bias_regularized"], report.suggestions
    assert "bias column j = 0" in report.suggestions[0] and "(BP5)" in report.suggestions[0]
    assert report.regularization_ok is False


@pytest.mark.parametrize("factor, words", [
    (-1.0, "missing"),          # the regularization term forgotten
    (1.0, "counted twice"),     # added twice
])
def test_wrong_regularization_factor_is_measured(net, factor, words):
    Theta, X, Y = net
    m = X.shape[1]
    D = bp.backprop(Theta, X, Y, LAMBDA)
    for l in D:
        D[l][:, 1:] += factor * LAMBDA / m * Theta[l][:, 1:]
    report = check_gradients(Theta, X, Y, LAMBDA, D=D)
    assert _parts(report) == {(1, "weights"), (2, "weights")}
    assert _codes(report) == ["regularization_wrong"]
    text = " ".join(report.suggestions)
    assert f"{factor:+.3g} x lambda/m * Theta" in text and words in text, text


def test_regularization_at_half_strength_is_named(net):
    Theta, X, Y = net
    m = X.shape[1]
    D = bp.backprop(Theta, X, Y, LAMBDA)
    for l in D:
        D[l][:, 1:] -= 0.5 * LAMBDA / m * Theta[l][:, 1:]          # lambda/(2m), the cost's factor, used in D
    report = check_gradients(Theta, X, Y, LAMBDA, D=D)
    assert _codes(report) == ["lambda_over_2m_in_D"] and "half" in report.suggestions[0]


def test_sign_flip_and_missing_one_over_m_are_named(net):
    Theta, X, Y = net
    m = X.shape[1]
    D = bp.backprop(Theta, X, Y)
    flipped = check_gradients(Theta, X, Y, D={l: -v for l, v in D.items()})
    assert _codes(flipped) == ["d_L_sign_flipped"] and "d(L) = a(L) - y" in flipped.suggestions[0]
    unscaled = check_gradients(Theta, X, Y, D={l: m * v for l, v in D.items()})
    assert _codes(unscaled) == ["one_over_m_missing"] and "m times too large" in unscaled.suggestions[0]
    twice = check_gradients(Theta, X, Y, D={l: v / m for l, v in D.items()})
    assert _codes(twice) == ["one_over_m_twice"] and "1/m factor is applied twice" in twice.suggestions[0]


def test_a_factor_no_mistake_explains_is_measured_not_named(net):
    Theta, X, Y = net
    D = bp.backprop(Theta, X, Y, LAMBDA)
    report = check_gradients(Theta, X, Y, LAMBDA, D={l: 3 * v for l, v in D.items()})
    assert _codes(report) == ["gradient_mismatch"]
    assert "Every entry of D is 3 times the true gradient" in report.suggestions[0]


def _backprop_with_g_instead_of_g_prime(Theta, X, Y, lambda_):
    """The seed's slip taken literally: d(2) uses g(z(2)) where g'(z(2)) belongs (BP2)."""
    a, z = bp.forward(Theta, X)
    m = X.shape[1]
    d = {3: a[3] - Y}
    d[2] = (Theta[2].T @ d[3])[1:] * bp.sigmoid(z[2])
    D = {l: d[l + 1] @ a[l].T / m for l in (1, 2)}
    for l in D:
        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]
    return D


def test_wrong_backward_step_points_at_bp2(net):
    Theta, X, Y = net
    report = check_gradients(Theta, X, Y, LAMBDA, D=_backprop_with_g_instead_of_g_prime)
    assert {b.layer for b in report.failing_blocks()} == {1}, "the last layer's D does not use (BP2)"
    assert _codes(report) == ["g_instead_of_g_prime"]
    assert "(BP2)" in report.suggestions[0] and "g'(z(l))" in report.suggestions[0]
    # a callable D is also called at lambda_ = 0, so the regularization part is judged on its own: right here
    assert report.regularization_ok is True


def test_callable_D_separates_a_missing_regularization_term(net):
    Theta, X, Y = net

    def no_regularization(Theta_, X_, Y_, lambda_):
        return bp.backprop(Theta_, X_, Y_, 0.0)

    report = check_gradients(Theta, X, Y, LAMBDA, D=no_regularization)
    assert report.regularization_ok is False
    assert report.regularization_relative_error == pytest.approx(1.0)
    assert _codes(report) == ["regularization_wrong"] and "-1 x lambda/m * Theta" in report.suggestions[0]


def test_relu_kink_is_reported_first():
    X = np.array([[1.0, -0.5], [0.5, 1.0]])
    Y = np.array([[1.0, 0.0]])
    Theta = {1: np.array([[0.0, 0.5, -1.0], [0.2, -0.3, 0.8]]), 2: np.array([[0.1, 0.7, -0.4]])}
    report = check_gradients(Theta, X, Y, activation="relu")           # z(2) of unit 1, example 1 is 0
    assert not report.passed
    assert "kink" in report.suggestions[0] and "1 hidden input" in report.suggestions[0]
    Theta[1][0, 0] = 0.01
    assert check_gradients(Theta, X, Y, activation="relu").passed


def test_report_reads_as_text_and_html(net):
    Theta, X, Y = net
    D = bp.backprop(Theta, X, Y, LAMBDA)
    D[2][:, 0] *= 2
    report = check_gradients(Theta, X, Y, LAMBDA, D=D)
    text = str(report)
    assert repr(report) == text
    assert text.startswith("gradient check FAILED")
    assert re.search(r"Theta\(2\) +bias column +[0-9.e+-]+ +[0-9.e+-]+ +DIFFERS", text), text
    assert re.search(r"Theta\(2\) +weights .* ok", text), text
    assert _codes(report) == ["bias_column_wrong"]
    assert "Only the bias column of D(2) differs" in report.suggestions[0]
    html = report._repr_html_()
    assert "Gradient check failed" in html and "<table>" in html and "DIFFERS" in html
    assert isinstance(report, GradientReport)


def test_findings_come_from_the_one_catalogue_of_misconceptions(net):
    Theta, X, Y = net
    D = bp.backprop(Theta, X, Y, LAMBDA)
    D[1] = 1.5 * D[1]                                       # the earlier layer wrong, the last one right
    report = check_gradients(Theta, X, Y, LAMBDA, D=D)
    assert report.findings == misconceptions.diagnose_gradient(Theta, X, Y, LAMBDA, D)
    assert _codes(report) == ["recursion_wrong"]
    assert report.suggestions == [f.message for f in report.findings]
    assert check_gradients(Theta, X, Y, LAMBDA).findings == [], "a passing check names no mistake"


def test_a_kink_of_softsign_is_reported_like_relus():
    X = np.array([[1.0, -0.5], [0.5, 1.0]])
    Y = np.array([[1.0, 0.0]])
    Theta = {1: np.array([[0.0, 0.5, -1.0], [0.2, -0.3, 0.8]]), 2: np.array([[0.1, 0.7, -0.4]])}
    report = check_gradients(Theta, X, Y, activation="softsign")      # z(2) of unit 1, example 1 is 0
    assert not report.passed, "softsign's curvature jumps at 0: a difference straddling it is off by ~1e-5"
    assert "kink of softsign" in report.suggestions[0]
    assert report.findings == [], "the library's D is right: the check is at fault here, not backprop"
    Theta[1][0, 0] = 0.01
    assert check_gradients(Theta, X, Y, activation="softsign").passed


def test_bad_arguments_name_the_argument(net):
    Theta, X, Y = net
    with pytest.raises(ValueError, match="epsilon"):
        check_gradients(Theta, X, Y, epsilon=0)
    with pytest.raises(ValueError, match=r"D\[1\] has shape"):
        check_gradients(Theta, X, Y, D={1: np.zeros((2, 2)), 2: np.zeros((2, 5))})
    with pytest.raises(ValueError, match="tolerance"):
        check_gradients(Theta, X, Y, tolerance=-1)


def test_epsilon_sweep_is_u_shaped_in_float64(net):
    Theta, X, Y = net
    epsilons = np.logspace(-12, 0, 13)
    errors = epsilon_sweep(Theta, X, Y, epsilons, LAMBDA)
    best = int(np.argmin(errors))
    assert 0 < best < len(epsilons) - 1, f"the minimum must be inside the range, got epsilon {epsilons[best]:g}"
    assert errors.min() < 1e-8
    assert errors[0] > 100 * errors.min() and errors[-1] > 100 * errors.min(), "both arms of the U must rise"
    # at the library's default step the sweep reproduces numerical_gradient's error
    default = epsilon_sweep(Theta, X, Y, [1e-4], LAMBDA)[0]
    N = bp.numerical_gradient(Theta, X, Y, LAMBDA, epsilon=1e-4)
    assert default == pytest.approx(bp.relative_error(N, bp.backprop(Theta, X, Y, LAMBDA)), rel=1e-6)


def test_epsilon_sweep_in_float32_cannot_reach_float64_accuracy(net):
    Theta, X, Y = net
    epsilons = np.logspace(-8, 0, 9)
    e32 = epsilon_sweep(Theta, X, Y, epsilons, dtype="float32")
    e64 = epsilon_sweep(Theta, X, Y, epsilons, dtype="float64")
    assert e32.min() > 1e-7 > e64.min()
    assert e32[0] > 0.1, "at epsilon = 1e-8 float32 cannot see the change in J at all"
    assert epsilons[np.argmin(e32)] > epsilons[np.argmin(e64)], "float32's best step is larger"


def test_epsilon_sweep_rejects_bad_steps_and_dtypes(net):
    Theta, X, Y = net
    with pytest.raises(ValueError, match="epsilons"):
        epsilon_sweep(Theta, X, Y, [1e-4, 0.0])
    with pytest.raises(ValueError, match="dtype"):
        epsilon_sweep(Theta, X, Y, [1e-4], dtype="float16")


def test_core_modules_do_not_import_matplotlib_or_ipywidgets():
    code = ("import sys, backprop_course.gradient_check, backprop_course.landscape, backprop_course.experiments; "
            "bad = [m for m in ('matplotlib', 'ipywidgets') if m in sys.modules]; "
            "assert not bad, f'the core imported {bad}'")
    subprocess.run([sys.executable, "-c", code], check=True)
