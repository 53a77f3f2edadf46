"""The mistake catalog on its own (no subprocesses): each simulated slip is recognized, right answers are not."""

import json
from pathlib import Path

import numpy as np
import pytest

import backprop_course as bp
from backprop_course import misconceptions as mc
from backprop_course.equations import EQUATIONS
from backprop_course.grading import diagnoses as dg


@pytest.fixture
def net():
    """A 3-5-4-2 network (no square Theta) and a square 2-3-4 one, m = 7, lambda = 0.7."""
    rng = np.random.default_rng(5)
    out = {}
    for sizes in ([3, 5, 4, 2], [2, 3, 4]):
        Theta = bp.init_thetas(sizes, epsilon_init=1.0, seed=2)
        X = rng.normal(size=(sizes[0], 7))
        Y = (rng.random((sizes[-1], 7)) < 0.5).astype(float)
        out[len(sizes)] = (Theta, X, Y, 0.7)
    return out


def codes(findings):
    return [f.code for f in findings]


def test_every_catalog_entry_names_a_real_equation_and_a_notebook():
    for code in dg.MISTAKES:
        f = dg.finding(code)
        assert f.equation in EQUATIONS, code
        assert f"({f.equation})" in f.message and f.notebook.startswith("notebooks/") and f.notebook in f.message


def test_every_message_sends_the_learner_to_a_section_that_exists():
    root = Path(__file__).resolve().parent.parent
    for code, (_, nb, section, _) in dg.MISTAKES.items():
        cells = json.loads((root / dg.NOTEBOOKS[nb]).read_text())["cells"]
        headings = {line.lstrip("#").strip() for cell in cells if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines() if line.startswith("#")}
        assert section in headings, (
            f"feedback for {code!r} says to reread section {section!r} of {dg.NOTEBOOKS[nb]}, "
            f"but that notebook has no such heading; its headings are {sorted(headings)}")


def test_the_true_gradient_has_no_findings(net):
    for Theta, X, Y, lambda_ in net.values():
        assert mc.diagnose_gradient(Theta, X, Y, lambda_, bp.backprop(Theta, X, Y, lambda_)) == []
        assert mc.diagnose_gradient(Theta, X, Y, lambda_, bp.backprop_loop(Theta, X, Y, lambda_)) == []


@pytest.mark.parametrize("code", mc.SIMULATED)
def test_each_simulated_gradient_mistake_is_recognized_alone(net, code):
    found_somewhere = False
    for Theta, X, Y, lambda_ in net.values():
        for variant in mc.SIMULATED[code]:
            D = mc.simulate_gradient(Theta, X, Y, lambda_, {code: variant}, "sigmoid", "sigmoid", "cross_entropy")
            if D is None:
                continue                      # e.g. no transposition mistake possible on non-square Theta
            assert codes(mc.diagnose_gradient(Theta, X, Y, lambda_, D)) == [code]
            found_somewhere = True
    assert found_somewhere


def test_two_mistakes_at_once_are_both_named(net):
    Theta, X, Y, lambda_ = net[4]
    D = mc.simulate_gradient(Theta, X, Y, lambda_, {"bias_regularized": True, "g_instead_of_g_prime": True},
                     "sigmoid", "sigmoid", "cross_entropy")
    assert sorted(codes(mc.diagnose_gradient(Theta, X, Y, lambda_, D))) == ["bias_regularized",
                                                                           "g_instead_of_g_prime"]


def test_structural_clues_when_no_catalogued_mistake_matches(net):
    Theta, X, Y, lambda_ = net[4]
    D = bp.backprop(Theta, X, Y, lambda_)
    hidden_wrong = {**D, 1: D[1] * 1.5}
    assert codes(mc.diagnose_gradient(Theta, X, Y, lambda_, hidden_wrong)) == ["recursion_wrong"]
    extra_row = {**D, 1: np.vstack([D[1], np.zeros((1, D[1].shape[1]))])}
    assert codes(mc.diagnose_gradient(Theta, X, Y, lambda_, extra_row)) == ["bias_row_not_dropped"]
    assert codes(mc.diagnose_gradient(Theta, X, Y, lambda_, [1, 2])) == ["wrong_shape"]


def test_deltas_of_one_example(net):
    Theta, X, Y, _ = net[3]
    x, y = X[:, [0]], Y[:, [0]]
    a, z = bp.forward(Theta, x)
    right = mc.simulate_deltas(Theta, a, z, y, {}, "sigmoid", "sigmoid", "cross_entropy")
    assert mc.diagnose_deltas(Theta, x, y, right) == []
    for code, variant in (("g_instead_of_g_prime", True), ("d_L_sign_flipped", True),
                          ("theta_not_transposed", "full")):
        wrong = mc.simulate_deltas(Theta, a, z, y, {code: variant}, "sigmoid", "sigmoid", "cross_entropy")
        assert codes(mc.diagnose_deltas(Theta, x, y, wrong)) == [code]


def test_cost_mistakes():
    Theta = bp.init_thetas([2, 3, 1], epsilon_init=1.0, seed=1)
    X, Y = bp.datasets.xor()
    J = bp.cost(Theta, X, Y, 1.0)
    assert dg.diagnose_cost(Theta, X, Y, 1.0, J) == []
    with_bias = J + 1.0 / 8 * sum(float(np.sum(T[:, 0] ** 2)) for T in Theta.values())
    assert codes(dg.diagnose_cost(Theta, X, Y, 1.0, with_bias)) == ["cost_bias_regularized"]
    assert codes(dg.diagnose_cost(Theta, X, Y, 1.0, -J)) == ["cost_mismatch"]
    assert codes(dg.diagnose_cost(Theta, X, Y, 1.0, "a number?")) == ["cost_mismatch"]


def test_sigmoid_overflow_and_derivative_mistakes():
    z = np.array([-1000.0, 0.0, 1000.0])
    assert codes(dg.diagnose_sigmoid(z, np.array([0.0, 0.5, 1.0]), ["overflow encountered in exp"])) == [
        "sigmoid_overflow"]
    assert dg.diagnose_sigmoid(z, bp.sigmoid(z), []) == []
    zz = np.linspace(-3, 3, 7)
    assert codes(dg.diagnose_sigmoid(zz, bp.sigmoid(zz), [], which="sigmoid_gradient")) == ["g_prime_is_g"]


def test_update_and_mutation():
    Theta = bp.init_thetas([2, 3, 1], seed=0)
    D = {l: np.ones_like(T) for l, T in Theta.items()}
    assert dg.diagnose_update(Theta, D, 0.5, bp.gradient_descent_step(Theta, D, 0.5)) == []
    uphill = {l: Theta[l] + 0.5 * D[l] for l in Theta}
    assert codes(dg.diagnose_update(Theta, D, 0.5, uphill)) == ["update_adds_gradient"]
    changed = {l: T + 1 for l, T in Theta.items()}
    assert codes(dg.diagnose_mutation(["Theta"], {"Theta": Theta}, {"Theta": changed})) == ["inputs_mutated"]


def test_numerical_gradient_variants():
    Theta = bp.init_thetas([2, 2, 1], epsilon_init=1.0, seed=3)
    X, Y = bp.datasets.xor()
    model = ("sigmoid", "sigmoid", "cross_entropy")
    assert dg.diagnose_numerical_gradient(Theta, X, Y, 0.0, 1e-4, bp.numerical_gradient(Theta, X, Y, 0.0, 1e-4)) == []
    one_sided = dg._numerical(Theta, X, Y, 0.0, 1e-4, model, "forward")
    assert codes(dg.diagnose_numerical_gradient(Theta, X, Y, 0.0, 1e-4, one_sided)) == ["one_sided_difference"]
    unrestored = dg._numerical(Theta, X, Y, 0.0, 1e-4, model, "unrestored-")
    assert "perturbation_not_restored" in codes(dg.diagnose_numerical_gradient(Theta, X, Y, 0.0, 1e-4, unrestored))


def test_minibatch_mistakes():
    from backprop_course.grading.cases import batch_data

    X, Y = batch_data(3, 2, 10)
    order = np.random.default_rng(0).permutation(10)
    good = [(X[:, order[i:i + 4]], Y[:, order[i:i + 4]]) for i in range(0, 10, 4)]
    assert dg.diagnose_minibatches(X, Y, 4, good) == []
    assert codes(dg.diagnose_minibatches(X, Y, 4, good[:-1])) == ["batches_drop_examples"]
    assert "batches_repeat_examples" in codes(dg.diagnose_minibatches(X, Y, 4, good + good[:1]))
    other = np.random.default_rng(1).permutation(10)
    unpaired = [(X[:, order[i:i + 4]], Y[:, other[i:i + 4]]) for i in range(0, 10, 4)]
    assert codes(dg.diagnose_minibatches(X, Y, 4, unpaired)) == ["batches_unpaired"]
    in_order = [(X[:, i:i + 4], Y[:, i:i + 4]) for i in range(0, 10, 4)]
    assert codes(dg.diagnose_minibatches(X, Y, 4, in_order)) == ["batches_not_shuffled"]
