"""widgets.network: the neuron, forward and cost explorers follow their controls and show the library's numbers."""

import json

import numpy as np

import backprop_course as bp
from backprop_course.widgets import CostExplorer, ForwardExplorer, NeuronExplorer

# -- StepThrough ------------------------------------------------------------------------------------


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


def test_forward_explorer_edits_one_weight_and_shows_the_new_output(widget_net):
    Theta, X, _ = widget_net
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


def test_cost_explorer_matches_bp_cost_and_lambda_only_penalizes_non_bias(widget_net):
    Theta, X, Y = widget_net
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


def test_neuron_explorer_shows_a_saturated_neuron():
    """Notebook 01's Explore: w = 4, b = 2, x = 2 gives z = 10, where g' has collapsed."""
    n = NeuronExplorer(w=1.5, b=0.3, x=0.6)
    n.set_state({"w": 4.0, "b": 2.0, "x": 2.0})
    z, a, g_prime = n.values()
    assert np.isclose(z, 10.0) and g_prime < 1e-4 and a > 0.9999


def test_cost_explorer_lambda_pulls_the_minimum_toward_zero():
    """Notebook 03's Explore starts on Theta[2][0, 2] with lambda = 0.5, where the effect shows."""
    Theta = {1: np.array([[0.2, -0.4, 0.7], [-0.1, 0.5, 0.3]]), 2: np.array([[0.4, 0.9, -1.1]])}
    X, Y = bp.datasets.xor()
    c = CostExplorer(Theta, X, Y, lambda_=0.5, weight=(2, 0, 2))
    ws, J0 = c.curve(0.0)
    _, J5 = c.curve()
    w0, w5 = ws[np.argmin(J0)], ws[np.argmin(J5)]
    assert w0 < -1.0 and abs(w5) < 0.5 * abs(w0), "the penalty moves the minimum at least halfway to 0"
    assert np.ptp(J0) > 0.5, "the grey lambda = 0 curve is not flat at this weight"
    c.set_state({"lambda_": 0.0})
    J_without = c.J()
    c.set_state({"lambda_": 5.0})
    assert c.J() > J_without
