"""Headless tests of the widgets of notebooks 01-06: build, move controls, click, check what is shown."""

import json

import numpy as np
import pytest

import backprop_course as bp
from backprop_course.widgets import ChainRuleExplorer, CostExplorer, ForwardExplorer, NeuronExplorer, StepThrough


@pytest.fixture
def net():
    Theta = {1: np.array([[0.15, -0.25, 0.40], [0.30, 0.60, -0.10]]),
             2: np.array([[-0.20, 0.70, -0.45], [0.10, -0.35, 0.80]])}
    X = np.array([[0.5, -0.3, 1.2], [-1.0, 0.8, 0.4]])
    Y = bp.one_hot([0, 1, 1], K=2)
    return Theta, X, Y


# -- StepThrough ------------------------------------------------------------------------------------

def test_next_changes_equation_numbers_and_picture_prev_and_reset_go_back(net):
    w = StepThrough(*net)
    shown = (w.equation.value, w.numbers.value, w.image.value)
    assert "BP0" in w.equation.value and w.image.value[:4] == b"\x89PNG"
    assert w.prev.disabled and not w.next.disabled
    w.next.click()
    assert w.state()["step"] == 1
    assert "(F1)" in w.equation.value and r"a^{(1)}" in w.equation.value
    assert w.equation.value != shown[0] and w.numbers.value != shown[1] and w.image.value != shown[2]
    w.next.click()
    assert r"z^{(2)} = \Theta^{(1)}" in w.equation.value
    assert "-0.375" in w.numbers.value, "z(2)_1 = 0.15 - 0.25*0.5 + 0.40*(-1.0) = -0.375 must be shown"
    w.prev.click()
    assert w.state()["step"] == 1
    w.reset.click()
    assert w.state()["step"] == 0 and w.equation.value == shown[0]


def test_last_step_disables_next_and_shows_the_update_for_the_chosen_alpha(net):
    Theta, X, Y = net
    w = StepThrough(Theta, X, Y, lambda_=0.2, alpha=0.5)
    w.slider.value = w.slider.max
    assert w.next.disabled and w.step.label == "GD"
    D = bp.backprop_loop(Theta, X, Y, 0.2)
    expected = Theta[2] - 0.5 * D[2]
    assert f"{expected[0, 0]:.3f}" in w.numbers.value
    before = w.numbers.value
    w.alpha.value = 2.0
    assert w.numbers.value != before
    assert f"{(Theta[2] - 2.0 * D[2])[0, 0]:.3f}" in w.numbers.value
    assert w.state()["step"] == w.slider.max, "changing alpha keeps the step"


def test_example_menu_jumps_and_follows_the_step(net):
    w = StepThrough(*net)
    w.example.value = 3
    assert w.step.t == 3 and w.step.label == "F1"
    w.slider.value = 1
    assert w.example.value == 1


def test_state_round_trips_through_json(net):
    w = StepThrough(*net)
    w.set_state({"step": 9, "alpha": 0.3})
    saved = json.loads(json.dumps(w.state()))
    other = StepThrough(*net)
    other.set_state(saved)
    assert other.state() == saved and other.equation.value == w.equation.value
    with pytest.raises(ValueError, match="step must be in"):
        other.set_state({"step": 10_000})
    with pytest.raises(ValueError, match="unknown keys"):
        other.set_state({"stage": 1})


def test_hide_presenter_forward_only_and_other_models(net):
    Theta, X, Y = net
    w = StepThrough(Theta, X, Y, hide=("slider", "alpha"), presenter=True)
    assert w.slider.layout.display == "none" and w.alpha.layout.display == "none"
    assert w.next.layout.display != "none"
    small = StepThrough(Theta, X, Y)
    assert len(w.image.value) > len(small.image.value), "presenter drawing is larger"
    with pytest.raises(ValueError, match="unknown control"):
        StepThrough(Theta, X, Y, hide=("nxt",))
    fwd = StepThrough(Theta, X, phases=("forward",))
    assert {s.phase for s in fwd.steps} == {"forward"} and fwd.alpha.layout.display == "none"
    soft = StepThrough(Theta, X, Y, activation="tanh", output="softmax")
    soft.slider.value = 5
    assert r"\operatorname{softmax}" in soft.equation.value


def test_detail_example_walks_t_1_to_m(net):
    w = StepThrough(*net, detail="example")
    seen = []
    while not w.next.disabled:
        w.next.click()
        if w.step.label == "BP3":
            seen.append(w.step.t)
    assert seen == [1, 2, 3]


# -- Explore widgets --------------------------------------------------------------------------------

def test_neuron_explorer_follows_the_sliders():
    n = NeuronExplorer(w=1.0, b=0.0, x=1.0)
    picture = n.image.value
    n.w.value = 2.0
    n.b.value = -0.5
    z, a, g_prime = n.values()
    assert np.isclose(z, 1.5) and np.isclose(a, bp.sigmoid(1.5)) and np.isclose(g_prime, bp.sigmoid_gradient(1.5))
    assert "1.500" in n.readout.value and n.image.value != picture
    n.activation.value = "tanh"
    assert np.isclose(n.values()[1], np.tanh(1.5))
    state = json.loads(json.dumps(n.state()))
    other = NeuronExplorer(hide=("activation",))
    other.set_state(state)
    assert other.values() == n.values() and other.activation.layout.display == "none"


def test_forward_explorer_edits_one_weight_and_shows_the_new_output(net):
    Theta, X, _ = net
    f = ForwardExplorer(Theta, X[:, 0])
    before = f.output().copy()
    picture = f.image.value
    f.weight.value = (2, 1, 2)
    f.value.value = 2.5
    edited = {l: T.copy() for l, T in Theta.items()}
    edited[2][1, 2] = 2.5
    a, _ = bp.forward(edited, X[:, [0]])
    np.testing.assert_allclose(f.output(), a[3])
    assert not np.allclose(before, f.output()) and f.image.value != picture
    assert f"{a[3][1, 0]:.3f}" in f.readout.value
    assert Theta[2][1, 2] == 0.80, "the widget edits its own copy, never the caller's Theta"
    f.x_sliders[0].value = -1.0
    big = {l: T.copy() for l, T in Theta.items()}
    big[1][0, 0] = 5.0                                    # outside the slider's default range [-3, 3]
    g = ForwardExplorer(big, X[:, 0])
    g.weight.value = (2, 0, 0)
    g.weight.value = (1, 0, 0)
    assert g.state()["Theta"]["1"][0][0] == 5.0 and g.value.value == 5.0, "selecting a weight must not clamp it"
    other = ForwardExplorer(Theta, X[:, 0])
    other.set_state(json.loads(json.dumps(f.state())))
    np.testing.assert_allclose(other.output(), f.output())


def test_cost_explorer_matches_bp_cost_and_lambda_only_penalizes_non_bias(net):
    Theta, X, Y = net
    c = CostExplorer(Theta, X, Y, lambda_=0.0, weight=(1, 0, 1))
    c.value.value = 1.0
    edited = {l: T.copy() for l, T in Theta.items()}
    edited[1][0, 1] = 1.0
    assert np.isclose(c.J(), bp.cost(edited, X, Y))
    picture = c.image.value
    c.lambda_.value = 3.0
    assert np.isclose(c.J(), bp.cost(edited, X, Y, 3.0)) and c.image.value != picture
    c.weight.value = (1, 0, 0)                                 # a bias weight
    penalty = [c.J(w, 3.0) - c.J(w, 0.0) for w in (-2.0, 0.0, 2.0)]
    assert np.allclose(penalty, penalty[0]), "moving a bias weight must not change the penalty"
    c.set_state({"weight": [2, 1, 1], "value": 0.5, "lambda_": 1.0})
    assert c.state() == {"weight": [2, 1, 1], "value": 0.5, "lambda_": 1.0}


def test_chain_rule_explorer_steps_and_recomputes():
    g = ChainRuleExplorer(w=0.8, b=-0.3, x=1.5, y=1.0)
    assert "u = w" in g.equation.value
    picture = g.image.value
    g.next.click()
    assert g.state()["step"] == 1 and "z = u + b" in g.equation.value and g.image.value != picture
    g.slider.value = g.slider.max
    assert g.next.disabled and g.step.node == "x"
    g.set_state({"x": 0.0, "step": 9})
    assert g.step.node == "w" and g.step.value == 0.0
    g.reset.click()
    assert g.state()["step"] == 0
    hidden = ChainRuleExplorer(hide=("prev",))
    assert hidden.prev.layout.display == "none"
    assert hidden.next.layout.display != "none" and hidden.reset.layout.display != "none", "hide one button only"
