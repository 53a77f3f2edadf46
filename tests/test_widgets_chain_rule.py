"""widgets.chain_rule: the ChainRuleExplorer steps through the graph of one neuron and recomputes."""

import numpy as np

from backprop_course.widgets import ChainRuleExplorer


def test_chain_rule_explorer_steps_and_recomputes():
    g = ChainRuleExplorer(w=0.8, b=-0.3, x=1.5, y=1.0)
    assert "u = w" in g.equation.value and "Step 0 of 0–12" in g.equation.value
    picture = g.image.value
    g.next.click()
    assert g.state()["step"] == 1 and "z = u + b" in g.equation.value and g.image.value != picture
    g.slider.value = g.slider.max
    assert g.next.disabled and g.step.node == "x"
    g.reset.click()
    assert g.state()["step"] == 0
    hidden = ChainRuleExplorer(hide=("prev",))
    assert hidden.prev.layout.display == "none"
    assert hidden.next.layout.display != "none" and hidden.reset.layout.display != "none", "hide one button only"


def test_a_weight_whose_input_is_zero_gets_no_data_gradient():
    """Notebook 04: x = 0 makes dJ/dw = 0 without the penalty (the check that used to sit in the notebook)."""
    g = ChainRuleExplorer(w=0.8, b=-0.3, x=1.5, y=1.0)
    w_step = next(s.index for s in g.steps if s.phase == "backward" and s.node == "w")
    g.set_state({"x": 0.0, "lambda_": 0.0, "step": w_step})
    assert g.step.node == "w" and g.step.value == 0.0
    g.set_state({"lambda_": 0.5})
    assert np.isclose(g.step.value, 0.5 * 0.8), "only the penalty's path is left"


def test_the_step_where_two_paths_meet_says_so_and_highlights_both_edges():
    g = ChainRuleExplorer(w=0.8, b=-0.3, x=1.5, y=1.0, lambda_=0.2)
    w_step = next(s.index for s in g.steps if s.phase == "backward" and s.node == "w")
    g.set_state({"step": w_step})
    assert "two paths meet" in g.equation.value
    hot = [edge for edge, arrow in g.picture.arrows.items() if arrow.arrow_patch.get_linewidth() > 2]
    assert sorted(hot) == [("w", "r"), ("w", "u")]
    state = g.state()
    assert state["lambda_"] == 0.2 and state["step"] == w_step
