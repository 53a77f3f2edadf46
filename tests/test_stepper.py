"""Tests for backprop_course.stepper: the steps of the walk-through and their numbers.

The oracles here are independent of the stepper: the equations written out in the test, the
numerical gradient, and the library's forward pass.
"""

import json
import subprocess
import sys

import numpy as np
import pytest

import backprop_course as bp
from backprop_course.stepper import PHASES, build_steps, format_matrix


def _fixture(sizes, m, seed_shift=0.0):
    """Deterministic, non-symmetric weights and data from sin/cos."""
    Theta = {l: np.sin(np.arange(sizes[l] * (sizes[l - 1] + 1)) + l + seed_shift).reshape(sizes[l], -1) / 2
             for l in range(1, len(sizes))}
    X = np.cos(np.arange(sizes[0] * m) * 1.3).reshape(sizes[0], m)
    K = sizes[-1]
    labels = np.arange(m) % K
    Y = bp.one_hot(labels, K) if K > 1 else (labels % 2 == 0).astype(float).reshape(1, m)
    return Theta, X, Y


def _sym(step, prefix):
    """The value in step.outputs (or inputs) whose LaTeX symbol starts with prefix."""
    for values in (step.outputs, step.inputs):
        for key, value in values.items():
            if key.startswith(prefix):
                return value
    raise KeyError(prefix)


def test_step_labels_follow_the_seeds_order_for_one_example():
    Theta, X, Y = _fixture([2, 2, 2], 1)
    labels = [s.label for s in build_steps(Theta, X, Y)]
    assert labels == ["BP0", "F1", "F2", "F3", "F2", "F4", "BP1", "BP2", "BP3", "BP3", "BP4, BP5", "BP4, BP5",
                      "GD", "GD"], (
        "expected (BP0), forward F1-F4, BP1, BP2 for l = 2, BP3 for l = 2 and 1, then D and the update per layer")


def test_steps_repeat_forward_and_backward_for_every_example_and_deeper_networks():
    Theta, X, Y = _fixture([3, 4, 3, 2], 3)
    steps = build_steps(Theta, X, Y)
    assert [s.index for s in steps] == list(range(len(steps)))
    for t in (1, 2, 3):
        labels = [s.label for s in steps if s.t == t]
        # F1, (F2 F3) x 2 hidden layers, F2 F4, BP1, BP2 for l = 3, 2, BP3 for l = 3, 2, 1
        assert labels == ["F1", "F2", "F3", "F2", "F3", "F2", "F4", "BP1", "BP2", "BP2", "BP3", "BP3", "BP3"], labels
    assert [s.l for s in steps if s.label == "BP2"][:2] == [3, 2], "BP2 runs from l = L-1 down to 2"


def test_forward_steps_show_the_librarys_a_and_z():
    Theta, X, Y = _fixture([2, 3, 2], 2)
    steps = build_steps(Theta, X, Y)
    for t in (1, 2):
        a, z = bp.forward(Theta, X[:, [t - 1]])
        for s in steps:
            if s.t != t:
                continue
            if s.label == "F2":
                np.testing.assert_allclose(_sym(s, f"z^{{({s.l + 1})}}"), z[s.l + 1], atol=1e-12,
                                           err_msg="z(l+1) = Theta(l) a(l) (F2)")
            if s.label == "F3":
                np.testing.assert_allclose(_sym(s, f"a^{{({s.l + 1})}}"), a[s.l + 1], atol=1e-12,
                                           err_msg="a(l+1) = [1; g(z(l+1))] (F3)")


def test_backward_steps_satisfy_BP1_BP2_BP3_written_out_independently():
    Theta, X, Y = _fixture([2, 3, 3, 2], 2)
    steps = build_steps(Theta, X, Y)
    for s in steps:
        if s.label == "BP1":
            a_L, y = _sym(s, "a^{(4)}"), _sym(s, "y^")
            np.testing.assert_allclose(s.outputs["d^{(4)}"], a_L - y, atol=1e-12, err_msg="d(L) = a(L) - y (BP1)")
        if s.label == "BP2":
            l = s.l
            T, d_next = s.inputs[rf"\Theta^{{({l})}}"], s.inputs[rf"d^{{({l + 1})}}"]
            z = bp.forward(Theta, X[:, [s.t - 1]])[1][l]
            expected = (T.T @ d_next)[1:] * bp.sigmoid_gradient(z)
            np.testing.assert_allclose(s.outputs[rf"d^{{({l})}}"], expected, atol=1e-12,
                                       err_msg=f"d({l}) = [Theta({l})' d({l + 1})] without row 0 .* g'(z({l})) (BP2)")
        if s.label == "BP3":
            l = s.l
            before = s.inputs[rf"\Delta^{{({l})}}_{{\text{{before}}}}"]
            expected = before + s.inputs[rf"d^{{({l + 1})}}"] @ s.inputs[rf"a^{{({l})}}"].T
            np.testing.assert_allclose(s.outputs[rf"\Delta^{{({l})}}"], expected, atol=1e-12,
                                       err_msg=f"Delta({l}) := Delta({l}) + d({l + 1}) a({l})' (BP3)")


@pytest.mark.parametrize("activation, output, loss", [
    ("sigmoid", "sigmoid", "cross_entropy"),
    ("tanh", "softmax", "cross_entropy"),
    ("relu", "identity", "mse"),
    ("sigmoid", "sigmoid", "mse"),
])
def test_final_D_and_update_match_the_numerical_gradient(activation, output, loss):
    Theta, X, Y = _fixture([2, 3, 2], 3, seed_shift=0.3)
    if output == "identity":
        Y = Y * 2 - 0.5
    lambda_, alpha = 0.7, 0.25
    steps = build_steps(Theta, X, Y, lambda_, alpha, activation, output, loss)
    D_num = bp.numerical_gradient(Theta, X, Y, lambda_, activation=activation, output=output, loss=loss)
    for s in steps:
        if s.label == "BP4, BP5":
            np.testing.assert_allclose(s.outputs[rf"D^{{({s.l})}}"], D_num[s.l], atol=1e-7,
                                       err_msg=f"D({s.l}) shown at the end disagrees with the numerical gradient")
            Delta, T = s.inputs[rf"\Delta^{{({s.l})}}"], s.inputs[rf"\Theta^{{({s.l})}}"]
            expected = Delta / 3
            expected[:, 1:] += lambda_ / 3 * T[:, 1:]
            np.testing.assert_allclose(s.outputs[rf"D^{{({s.l})}}"], expected, atol=1e-12,
                                       err_msg="D = (1/m)(Delta + lambda Theta) for j >= 1, (1/m) Delta for j = 0")
        if s.label == "GD":
            np.testing.assert_allclose(s.outputs[rf"\Theta^{{({s.l})}}_{{\text{{new}}}}"],
                                       Theta[s.l] - alpha * D_num[s.l], atol=1e-7, err_msg="Theta - alpha D (GD)")


def test_example_detail_accumulates_the_same_Delta_as_full_detail():
    Theta, X, Y = _fixture([2, 2, 2], 4)
    full = build_steps(Theta, X, Y, detail="full")
    compact = build_steps(Theta, X, Y, detail="example")
    assert [s.label for s in compact] == ["BP0"] + ["BP3"] * 4 + ["BP4, BP5", "BP4, BP5", "GD", "GD"]
    assert [s.t for s in compact if s.label == "BP3"] == [1, 2, 3, 4]
    last_full = {s.l: s.outputs[rf"\Delta^{{({s.l})}}"] for s in full if s.label == "BP3"}
    last_compact = [s for s in compact if s.label == "BP3"][-1]
    for l in (1, 2):
        np.testing.assert_allclose(last_compact.outputs[rf"\Delta^{{({l})}}"], last_full[l], atol=1e-12)


def test_forward_only_needs_no_targets_and_backward_without_targets_is_refused():
    Theta, X, _ = _fixture([2, 2, 1], 2)
    steps = build_steps(Theta, X, phases=("forward",))
    assert {s.phase for s in steps} == {"forward"} and len(steps) == 2 * 5
    with pytest.raises(ValueError, match="Y is None"):
        build_steps(Theta, X)
    with pytest.raises(ValueError, match="detail"):
        build_steps(Theta, X, phases=("forward",), detail="every")
    with pytest.raises(ValueError, match="phases"):
        build_steps(Theta, X, phases=("sideways",))
    assert PHASES == ("forward", "backward", "gradient", "update")


def test_active_nodes_and_edges_exist_in_the_network():
    sizes = [3, 2, 2]
    Theta, X, Y = _fixture(sizes, 2)
    for s in build_steps(Theta, X, Y):
        for (l, j) in s.active_nodes:
            assert 1 <= l <= 3 and 0 <= j <= sizes[l - 1] and not (l == 3 and j == 0), (s.label, (l, j))
        for (l, i, j) in s.active_edges:
            assert 0 <= i < Theta[l].shape[0] and 0 <= j < Theta[l].shape[1], (s.label, (l, i, j))
        for (l, j) in s.node_text:
            assert 1 <= l <= 3 and 0 <= j <= sizes[l - 1], (s.label, (l, j))


def test_describe_prints_fixed_precision_and_never_negative_zero():
    Theta = {1: np.array([[0.0, 0.5, -0.5]]), 2: np.array([[0.0, 1.0]])}
    X, Y = np.array([[0.0], [0.0]]), np.array([[1.0]])
    text = "\n".join(s.describe() for s in build_steps(Theta, X, Y))
    assert "-0.0000" not in text
    assert "z(2) = 0.0000" in text and "m = 1" in text
    assert format_matrix(np.array([[1.23456, -2.0]]), 2) == "[1.23  -2.00]"


def test_steps_are_plain_data_that_serialize():
    Theta, X, Y = _fixture([2, 2, 1], 1)
    s = build_steps(Theta, X, Y)[3]
    json.dumps({"label": s.label, "instance": s.instance, "t": s.t, "l": s.l,
                "outputs": {k: v.tolist() for k, v in s.outputs.items()}})


def test_stepper_imports_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, backprop_course.stepper; "
            "print('matplotlib' in sys.modules, 'ipywidgets' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"], "the stepper is core logic: numpy only"
