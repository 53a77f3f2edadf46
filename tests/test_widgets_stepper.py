"""widgets.stepper: StepThrough walks through the steps, shows each equation, its numbers and a drawing."""

import json

import numpy as np
import pytest

import backprop_course as bp
from backprop_course.widgets import StepThrough
from backprop_course.widgets.presenter import apply_preset

# -- StepThrough ------------------------------------------------------------------------------------


def test_next_changes_equation_numbers_and_picture_prev_and_reset_go_back(widget_net):
    w = StepThrough(*widget_net)
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


def test_last_step_disables_next_and_shows_the_update_for_the_chosen_alpha(widget_net):
    Theta, X, Y = widget_net
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


def test_example_menu_jumps_and_follows_the_step(widget_net):
    w = StepThrough(*widget_net)
    w.example.value = 3
    assert w.step.t == 3 and w.step.label == "F1"
    w.slider.value = 1
    assert w.example.value == 1


def test_state_round_trips_through_json(widget_net):
    w = StepThrough(*widget_net)
    w.set_state({"step": 9, "alpha": 0.3})
    saved = json.loads(json.dumps(w.state()))
    other = StepThrough(*widget_net)
    other.set_state(saved)
    assert other.state() == saved and other.equation.value == w.equation.value
    with pytest.raises(ValueError, match="step must be in"):
        other.set_state({"step": 10_000})
    with pytest.raises(ValueError, match="unknown keys"):
        other.set_state({"stage": 1})


def test_hide_presenter_forward_only_and_other_models(widget_net):
    Theta, X, Y = widget_net
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


def test_detail_example_walks_t_1_to_m(widget_net):
    w = StepThrough(*widget_net, detail="example")
    seen = []
    while not w.next.disabled:
        w.next.click()
        if w.step.label == "BP3":
            seen.append(w.step.t)
    assert seen == [1, 2, 3]


# -- Explore widgets --------------------------------------------------------------------------------


def test_presets_and_hide_work_for_the_step_through_widget():
    import backprop_course as bp
    from backprop_course.widgets import StepThrough

    X, Y = bp.datasets.xor()
    st = StepThrough(bp.init_thetas([2, 2, 1], seed=0), X[:, :2], Y[:, :2], presenter=True, hide=("prev",))
    assert st.prev.layout.display == "none"
    assert st.next.layout.display != "none", "hiding one button must leave the others visible"
    moments = {"halfway": {"step": len(st.steps) // 2, "alpha": 0.5}}
    apply_preset(st, "halfway", presets=moments)
    assert st.state()["step"] == len(st.steps) // 2 and st.state()["alpha"] == 0.5
    apply_preset(st, {"step": 0})
    assert st.state()["step"] == 0


def test_notebook_05_walk_ends_with_the_accumulation_and_no_update(widget_net):
    """Notebook 05 shows one example without (BP4) and (GD), which notebooks 06 and 08 introduce."""
    Theta, X, Y = widget_net
    x, y = X[:, [0]], Y[:, [0]]
    w = StepThrough(Theta, x, y, phases=("forward", "backward"))
    labels = [s.label for s in w.steps]
    assert labels[-1] == "BP3" and "GD" not in labels and not any(label.startswith("BP4") for label in labels)
    w.slider.value = w.slider.max
    D = bp.backprop(Theta, x, y)
    np.testing.assert_allclose(w.step.outputs[r"\Delta^{(1)}"], D[1], rtol=1e-12)
    assert f"Step {w.slider.max} of 0–{w.slider.max}" in w.header.value


def test_notebook_06_example_mode_accumulates_delta_and_labels_bp4_bp5(widget_net):
    Theta, X, Y = widget_net
    w = StepThrough(Theta, X, Y, lambda_=0.3, detail="example", phases=("forward", "backward", "gradient"))
    w.set_state({"example": X.shape[1]})
    m = X.shape[1]
    D0 = bp.backprop(Theta, X, Y, 0.0)
    np.testing.assert_allclose(w.step.outputs[r"\Delta^{(1)}"], m * D0[1], rtol=1e-10)
    assert [s.label for s in w.steps if s.phase == "gradient"] == ["BP4, BP5"] * len(Theta)
