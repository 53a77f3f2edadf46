"""widgets.optimizers: the OptimizerExplorer shows two library paths side by side and redraws only them."""

import json

import numpy as np
import pytest

from backprop_course import landscape
from backprop_course import widgets as bw

H = np.array([[0.0428, 0.0018], [0.0018, 0.0044]])
CENTER = np.array([-0.4, 2.2])
START = CENTER + [2.0, -1.5]
ALPHAS = {"gd": 40.0, "momentum": 4.0, "rmsprop": 0.3, "adam": 0.7}


def explorer(**kwargs):
    return bw.OptimizerExplorer(H, CENTER, START, alphas=ALPHAS, **kwargs)


def test_each_panel_shows_the_path_the_library_computes():
    w = explorer(left="momentum", right="adam", steps=25)
    w.controls["beta_left"].value = 0.5
    expected = {"left": landscape.optimizer_path(H, START, 4.0, 25, "momentum", CENTER, {"beta": 0.5}),
                "right": landscape.optimizer_path(H, START, 0.7, 25, "adam", CENTER, {"beta1": 0.9, "beta2": 0.999})}
    for side in ("left", "right"):
        np.testing.assert_allclose(w.paths[side], expected[side], rtol=1e-12)
        end = expected[side][-1]
        assert w.J[side] == pytest.approx(float(landscape.quadratic_cost(H, end[0], end[1], CENTER)), rel=1e-12)
        line = next(ln for ln in w._axes[side].lines if ln.get_gid() == "bpc-path-0")
        np.testing.assert_allclose(line.get_xdata(), expected[side][:, 0], err_msg=f"the {side} panel draws its path")
    assert f"{w.J['left']:.2e}" in w.label.value and f"{w.J['right']:.2e}" in w.label.value
    assert w._axes["left"].get_title() == "momentum: α = 4, β = 0.5"


def test_choosing_an_optimizer_sets_its_alpha_and_greys_out_the_settings_it_lacks():
    w = explorer(left="gd", right="adam")
    c = w.controls
    assert c["beta_left"].disabled and c["beta2_left"].disabled
    assert not c["beta_right"].disabled and not c["beta2_right"].disabled
    for optimizer, beta_off, beta2_off in (("momentum", False, True), ("rmsprop", True, False),
                                           ("adam", False, False), ("gd", True, True)):
        c["optimizer_left"].value = optimizer
        assert c["alpha_left"].value == pytest.approx(ALPHAS[optimizer])
        assert (c["beta_left"].disabled, c["beta2_left"].disabled) == (beta_off, beta2_off), optimizer
        assert w.paths["left"].shape == (41, 2)
    c["optimizer_right"].value = "rmsprop"              # RMSProp: Adam's step with beta1 = 0
    expected = landscape.optimizer_path(H, START, 0.3, 40, "adam", CENTER, {"beta1": 0.0, "beta2": 0.999})
    np.testing.assert_allclose(w.paths["right"], expected, rtol=1e-12)


def test_a_diverging_path_is_named_and_steps_change_both_paths():
    w = explorer()
    w.controls["alpha_left"].value = 60.0               # above 2 / mu_max = 46.7
    assert w.J["left"] == np.inf and "diverged" in w.label.value
    w.controls["steps"].value = 7
    assert w.paths["right"].shape == (8, 2)


def test_interactions_redraw_only_the_paths():
    w = explorer()
    before = w._view.full_renders
    for value in (10.0, 20.0, 30.0):
        w.controls["alpha_left"].value = value
    w.controls["optimizer_right"].value = "momentum"
    w.controls["beta_right"].value = 0.5
    assert w._view.full_renders == before, "the contours are drawn once; a change redraws only the paths"
    assert w.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_state_round_trips_through_json_and_hide_and_presenter_work():
    w = explorer(hide=("steps", "beta2_right"), presenter=True)
    assert w.controls["steps"].layout.display == "none" and w.image.layout.width == "1260px"
    w.controls["optimizer_right"].value = "momentum"
    w.controls["alpha_right"].value = 2.0
    preset = json.loads(json.dumps(w.state()))
    other = explorer()
    other.set_state(preset)
    assert other.state() == preset
    np.testing.assert_allclose(other.paths["right"], w.paths["right"])
    with pytest.raises(ValueError, match="unknown keys"):
        other.set_state({"beta3_left": 0.5})
    with pytest.raises(ValueError, match="unknown control"):
        explorer(hide=("nope",))
