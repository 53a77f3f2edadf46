"""misconceptions: the one catalogue of gradient-level mistakes and the engine that names them in D and d.

Each broken gradient is the true one with a known change, so every test states the change and what
the engine must say: the catalogued mistake when the values show it, otherwise what they do show
(a measured factor, the layers and columns that differ, where D differs most).
"""

import json
from pathlib import Path

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import misconceptions as mc
from backprop_course.equations import EQUATIONS

LAMBDA = 0.7


@pytest.fixture(scope="module")
def deep():
    """A 3-5-4-2 network (no square Theta), m = 7: every simulated mistake shows in its D."""
    Theta = {1: np.sin(np.arange(20.0)).reshape(5, 4), 2: np.cos(np.arange(24.0)).reshape(4, 6),
             3: np.sin(np.arange(10.0) + 0.5).reshape(2, 5)}
    X = np.sin(np.arange(21.0) * 1.7).reshape(3, 7)
    Y = bp.one_hot([0, 1, 1, 0, 1, 0, 0], 2)
    return Theta, X, Y


def codes(findings):
    return [f.code for f in findings]


def test_every_entry_names_a_real_equation_and_a_heading_of_its_notebook():
    root = Path(__file__).resolve().parent.parent
    for code, entry in mc.MISCONCEPTIONS.items():
        f = mc.finding(code)
        assert f.equation in EQUATIONS and f"({f.equation})" in f.message and f.notebook in f.message, code
        cells = json.loads((root / mc.NOTEBOOKS[entry.notebook]).read_text())["cells"]
        headings = {line.lstrip("#").strip() for cell in cells if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines() if line.startswith("#")}
        assert entry.section in headings, f"{code}: no section {entry.section!r} in {mc.NOTEBOOKS[entry.notebook]}"
        assert "seed" not in entry.explanation, f"{code}: a learner reads this; 'seed' means a random seed"


def test_without_mistakes_the_simulation_is_the_library(deep):
    Theta, X, Y = deep
    simulated, D = mc.simulate_gradient(Theta, X, Y, LAMBDA, {}), bp.backprop(Theta, X, Y, LAMBDA)
    for l in D:
        np.testing.assert_allclose(simulated[l], D[l], rtol=1e-14, atol=1e-17, err_msg=f"D[{l}] (BP0)-(BP5)")
    a, z = bp.forward(Theta, X)
    np.testing.assert_equal(mc.simulate_deltas(Theta, a, z, Y, {}), bp.deltas(Theta, X, Y))


@pytest.mark.parametrize("activation, output, loss", [("sigmoid", "sigmoid", "cross_entropy"),
                                                      ("tanh", "softmax", "cross_entropy"),
                                                      ("softsign", "identity", "mse")])
def test_each_simulated_mistake_is_named_alone_for_several_models(deep, activation, output, loss):
    Theta, X, Y = deep
    model = dict(activation=activation, output=output, loss=loss)
    if output == "identity":
        Y = np.cos(np.arange(14.0)).reshape(2, 7)
    named = 0
    for code, variants in mc.SIMULATED.items():
        for variant in variants:
            D = mc.simulate_gradient(Theta, X, Y, LAMBDA, {code: variant}, **model)
            if D is None:
                continue                      # theta_not_transposed needs a square Theta
            assert codes(mc.diagnose_gradient(Theta, X, Y, LAMBDA, D, **model)) == [code], (code, variant)
            named += 1
    assert named >= len(mc.SIMULATED) - 1


def test_the_true_gradient_has_no_findings(deep):
    Theta, X, Y = deep
    assert mc.diagnose_gradient(Theta, X, Y, LAMBDA, bp.backprop_loop(Theta, X, Y, LAMBDA)) == []


def test_a_regularization_term_of_the_wrong_size_is_measured(deep):
    Theta, X, Y = deep
    m = X.shape[1]
    D = bp.backprop(Theta, X, Y, LAMBDA)
    tripled = {l: D[l] + np.hstack([np.zeros((D[l].shape[0], 1)), 2 * LAMBDA / m * Theta[l][:, 1:]]) for l in D}
    (f,) = mc.diagnose_gradient(Theta, X, Y, LAMBDA, tripled)
    assert f.code == "regularization_wrong" and "+2 x lambda/m * Theta" in f.message and "has 3 x" in f.message


def test_only_the_last_layer_wrong_points_at_how_its_D_is_formed(deep):
    Theta, X, Y = deep
    D = bp.backprop(Theta, X, Y, LAMBDA)
    D[3] = D[3] + np.sin(np.arange(10.0)).reshape(2, 5) * 0.01
    (f,) = mc.diagnose_gradient(Theta, X, Y, LAMBDA, D)
    assert f.code == "last_layer_wrong" and "D(3) differs; D(1), D(2) agree" in f.message


def test_an_unexplained_difference_says_where_and_by_how_much(deep):
    Theta, X, Y = deep
    D = bp.backprop(Theta, X, Y, LAMBDA)
    truth = D[2][1, 3]
    D[2][1, 3] += 0.5
    D[3] = D[3] * 1.1
    (f,) = mc.diagnose_gradient(Theta, X, Y, LAMBDA, D)
    assert f.code == "gradient_mismatch"
    assert "D(2), row 1 (into unit 2 of layer 3), column j = 3" in f.message
    assert f"{truth + 0.5:.6g} where the true gradient is {truth:.6g}" in f.message


def test_non_finite_and_misshapen_gradients(deep):
    Theta, X, Y = deep
    D = bp.backprop(Theta, X, Y, LAMBDA)
    (f,) = mc.diagnose_gradient(Theta, X, Y, LAMBDA, {**D, 2: D[2] * np.nan})
    assert f.code == "gradient_mismatch" and "D(2) contain inf or NaN" in f.message
    assert codes(mc.diagnose_gradient(Theta, X, Y, LAMBDA, {**D, 1: D[1].T})) == ["wrong_shape"]
    assert "transpose" in mc.diagnose_gradient(Theta, X, Y, LAMBDA, {**D, 1: D[1].T})[0].message
    assert codes(mc.diagnose_gradient(Theta, X, Y, LAMBDA, {1: D[1]})) == ["wrong_shape"]


def test_deltas_mistakes_are_named_from_one_example(deep):
    Theta, X, Y = deep
    x, y = X[:, [2]], Y[:, [2]]
    a, z = bp.forward(Theta, x)
    assert mc.diagnose_deltas(Theta, x, y, bp.deltas(Theta, x, y)) == []
    for code in ("g_instead_of_g_prime", "d_L_sign_flipped", "bias_row_not_dropped"):
        for variant in mc.SIMULATED[code]:
            wrong = mc.simulate_deltas(Theta, a, z, y, {code: variant})
            assert codes(mc.diagnose_deltas(Theta, x, y, wrong)) == [code]
    extra = {l: np.vstack([v, [[0.0]]]) for l, v in bp.deltas(Theta, x, y).items()}
    assert codes(mc.diagnose_deltas(Theta, x, y, extra)) == ["bias_row_not_dropped"]
    assert codes(mc.diagnose_deltas(Theta, x, y, "d")) == ["wrong_shape"]
