"""widgets.chain_rule: the ChainRuleExplorer steps through the graph of one neuron and recomputes."""

from backprop_course.widgets import ChainRuleExplorer


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
