"""chain_rule: forward values and backward gradients on the graph of one sigmoid neuron."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course.chain_rule import GRAPH_EDGES, GRAPH_NODES, chain_rule_steps


def test_chain_rule_steps_match_the_numerical_gradient_and_a_minus_y():
    w, b, x, y = -0.7, 0.4, 2.0, 0.0
    steps = chain_rule_steps(w, b, x, y)
    assert [s.phase for s in steps] == ["forward"] * 4 + ["backward"] * 7
    assert {s.node for s in steps} <= set(GRAPH_NODES)
    grads = steps[-1].grads
    a = bp.sigmoid(w * x + b)
    assert np.isclose(grads["z"], a - y), "dJ/dz must collapse to a - y for sigmoid + cross-entropy"
    numerical = bp.numerical_gradient({1: np.array([[b, w]])}, np.array([[x]]), np.array([[y]]))[1][0]
    np.testing.assert_allclose([grads["b"], grads["w"]], numerical, atol=1e-8)
    assert np.isclose(grads["x"], (a - y) * w)
    with pytest.raises(ValueError, match="y must be"):
        chain_rule_steps(w, b, x, 2.0)


def test_every_step_travels_along_an_edge_of_the_graph():
    steps = chain_rule_steps(0.8, -0.3, 1.5, 1.0)
    edges = {frozenset(e) for e in GRAPH_EDGES}
    for step in steps:
        assert step.edge is None or frozenset(step.edge) in edges, f"step {step.index}: {step.edge} is no edge"
    assert steps[3].node == "J" and steps[4].edge is None, "backward starts at dJ/dJ = 1, on no edge"
