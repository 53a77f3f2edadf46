"""widgets.gradient_check: the EpsilonExplorer marks the central difference's error at the chosen step."""

import numpy as np
import pytest

from backprop_course import widgets as bw


def test_epsilon_explorer_marks_the_error_at_the_chosen_step(moons, small_net, is_png):
    X, Y = moons
    w = bw.EpsilonExplorer(small_net, X[:, :8], Y[:, :8], epsilons=np.logspace(-10, -1, 10))
    assert is_png(w.image.value) and "ε = 1.0e-04 in float64" in w.label.value
    assert w.errors["float64"] < 1e-8 and "trustworthy" in w.label.value
    before = w.image.value
    w.controls["epsilon"].value = 1e-10
    assert w.errors["float64"] > 1e-7, "round-off dominates at epsilon = 1e-10"
    assert "ε = 1.0e-10" in w.label.value and w.image.value != before
    w.controls["precision"].value = "both"
    assert set(w.errors) == {"float64", "float32"} and w.errors["float32"] > 0.1
    assert "float32" in w.label.value and "too coarse" in w.label.value
    # the number shown is computed at that step, not interpolated from the curve
    assert w.errors["float64"] == pytest.approx(w.error_at(1e-10))


def test_epsilon_explorer_agrees_with_the_course_threshold(moons, small_net):
    """Notebook 07: at the default step a correct gradient is far below GRADIENT_OK; at 1e-10 round-off is not."""
    from backprop_course.gradient_check import GRADIENT_OK

    X, Y = moons
    w = bw.EpsilonExplorer(small_net, X[:, :8], Y[:, :8], 0.5)
    assert w.errors["float64"] < GRADIENT_OK / 100
    w.controls["epsilon"].value = 1e-10
    assert w.errors["float64"] > GRADIENT_OK
