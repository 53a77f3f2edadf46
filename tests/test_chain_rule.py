"""chain_rule: forward values and backward gradients on the graph of one regularized sigmoid neuron."""

import numpy as np
import pytest

import backprop_course as bp
from backprop_course.chain_rule import GRAPH_EDGES, GRAPH_NODES, chain_rule_steps


def test_chain_rule_steps_match_the_numerical_gradient_and_a_minus_y():
    w, b, x, y, lambda_ = -0.7, 0.4, 2.0, 0.0, 0.3
    steps = chain_rule_steps(w, b, x, y, lambda_)
    assert [s.phase for s in steps] == ["forward"] * 5 + ["backward"] * 8
    assert {s.node for s in steps} <= set(GRAPH_NODES)
    grads = steps[-1].grads
    a = bp.sigmoid(w * x + b)
    assert np.isclose(grads["z"], a - y), "dJ/dz must collapse to a - y for sigmoid + cross-entropy"
    Theta, X, Y = {1: np.array([[b, w]])}, np.array([[x]]), np.array([[y]])
    assert np.isclose(steps[4].value, bp.cost(Theta, X, Y, lambda_)), "J is the regularized cost of notebook 03, m = 1"
    numerical = bp.numerical_gradient(Theta, X, Y, lambda_)[1][0]
    np.testing.assert_allclose([grads["b"], grads["w"]], numerical, atol=1e-8)
    assert np.isclose(grads["x"], (a - y) * w)
    with pytest.raises(ValueError, match="y must be"):
        chain_rule_steps(w, b, x, 2.0)
    with pytest.raises(ValueError, match="lambda"):
        chain_rule_steps(w, b, x, y, -1.0)


def test_the_two_paths_from_J_to_w_add():
    w, b, x, y, lambda_ = 0.8, -0.3, 1.5, 1.0, 0.2
    steps = chain_rule_steps(w, b, x, y, lambda_)
    step_w = next(s for s in steps if s.phase == "backward" and s.node == "w")
    assert {frozenset(e) for e in step_w.edges} == {frozenset(("u", "w")), frozenset(("r", "w"))}, \
        "dJ/dw arrives along two edges: from u = w x and from r = lambda w^2 / 2"
    via_u, via_r = step_w.grads["u"] * x, step_w.grads["r"] * lambda_ * w
    assert np.isclose(step_w.value, via_u + via_r)
    assert abs(via_r) > 0.1 * abs(via_u), "with lambda = 0.2 both paths matter in the worked example"
    # each path alone is not the gradient: the sum is
    numerical = bp.numerical_gradient({1: np.array([[b, w]])}, np.array([[x]]), np.array([[y]]), lambda_)[1][0, 1]
    assert np.isclose(step_w.value, numerical, atol=1e-9)
    assert not np.isclose(via_u, numerical, atol=1e-3) and not np.isclose(via_r, numerical, atol=1e-3)
    # every other backward step has one path only
    assert all(len(s.edges) <= 1 for s in steps if s.phase == "backward" and s.node != "w")


def test_without_the_penalty_the_second_path_carries_zero():
    steps = chain_rule_steps(0.8, -0.3, 1.5, 1.0)
    grads = steps[-1].grads
    assert steps[3].value == 0.0 and np.isclose(grads["w"], grads["u"] * 1.5)


def test_every_step_travels_along_edges_of_the_graph():
    steps = chain_rule_steps(0.8, -0.3, 1.5, 1.0, 0.2)
    edges = {frozenset(e) for e in GRAPH_EDGES}
    for step in steps:
        for edge in step.edges:
            assert frozenset(edge) in edges, f"step {step.index}: {edge} is no edge"
    assert steps[0].node == "u" and len(steps[0].edges) == 2, "u = w x reads both w and x"
    assert steps[4].node == "J" and steps[5].edges == (), "backward starts at dJ/dJ = 1, on no edge"


def test_a_weight_whose_input_is_zero_gets_only_the_penalty_gradient():
    """Notebook 04's Explore: with x = 0 the data path gives dJ/dw = 0; only the penalty path is left."""
    for lambda_ in (0.0, 0.2):
        step_w = next(s for s in chain_rule_steps(0.8, -0.3, 0.0, 1.0, lambda_) if s.phase == "backward"
                      and s.node == "w")
        assert np.isclose(step_w.value, lambda_ * 0.8)
