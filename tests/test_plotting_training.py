"""plotting.training: each plot draws what it is given, labels its axes, and rejects mismatched input."""

import numpy as np
import pytest
from matplotlib.axes import Axes

from backprop_course.plotting import new_figure, to_png
from backprop_course.plotting import training as plots


def _ax():
    return new_figure().add_subplot()


def _renders(ax):
    png = to_png(ax.figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def test_cost_curves_one_line_per_run_plus_held_out_and_examples_axis():
    histories = {"a": {"epoch": [0, 1, 2], "cost": [1.0, 0.5, 0.25]},
                 "b": {"epoch": [0, 1, 2], "cost": [1.0, 0.8, 0.6], "val_cost": [1.1, 0.9, 0.8]}}
    ax = plots.plot_cost_curves(histories, x="examples", m=100)
    assert isinstance(ax, Axes) and len(ax.get_lines()) == 3
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [0, 100, 200])
    assert ax.get_lines()[2].get_linestyle() == "--", "held-out cost is dashed"
    assert ax.get_xlabel() == "examples seen" and ax.get_ylabel() == "cost J" and ax.get_yscale() == "log"
    _renders(ax)
    with pytest.raises(ValueError, match="needs m"):
        plots.plot_cost_curves(histories, x="examples")


def test_epsilon_curve_marks_the_chosen_step_on_the_curve():
    eps = np.logspace(-10, 0, 11)
    errors = 1e-16 / eps + eps**2
    ax = _ax()
    returned = plots.plot_epsilon_curve(eps, errors, ax=ax, marker=1e-5, label="float64")
    assert returned is ax and ax.get_xscale() == "log" and ax.get_yscale() == "log"
    marker = [line for line in ax.get_lines() if len(line.get_xdata()) == 1 and line.get_marker() == "o"][0]
    assert marker.get_xdata()[0] == 1e-5
    assert marker.get_ydata()[0] == pytest.approx(1e-16 / 1e-5 + 1e-10, rel=1e-9)
    assert any("best" in t.get_text() for t in ax.texts)
    _renders(ax)
    with pytest.raises(ValueError, match="one length"):
        plots.plot_epsilon_curve(eps, errors[:-1])


def test_cost_surface_draws_contours_paths_and_the_minimum():
    W1, W2 = np.meshgrid(np.linspace(-1, 1, 11), np.linspace(-1, 1, 11))
    J = W1**2 + 4 * W2**2
    path = np.array([[1.0, 1.0], [0.5, -0.5], [0.0, 0.0]])
    ax = plots.plot_cost_surface(W1, W2, J, paths={"α = 0.1": path}, center=(0, 0), labels=("a", "b"))
    line = [ln for ln in ax.get_lines() if ln.get_label() == "α = 0.1"][0]
    np.testing.assert_array_equal(line.get_xydata(), path)
    assert ax.get_xlabel() == "a" and ax.get_ylabel() == "b" and ax.collections, "contours drawn"
    _renders(ax)
    with pytest.raises(ValueError, match="one shape"):
        plots.plot_cost_surface(W1, W2, J[:5])


def test_confusion_matrix_writes_every_count():
    C = np.array([[5, 1], [0, 7]])
    ax = plots.plot_confusion_matrix(C, class_names=["no", "yes"])
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "5", "7"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    _renders(ax)
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion_matrix(np.ones((2, 3)))


def test_hidden_weights_tiles_one_image_per_unit_without_the_bias():
    Theta1 = np.zeros((4, 10))
    Theta1[:, 0] = 99.0                                   # the bias column must not be drawn
    Theta1[2, 1:] = np.arange(9.0)
    ax = plots.plot_hidden_weights(Theta1, (3, 3), columns=2)
    image = ax.images[0].get_array()
    assert image.shape == (2 * 3 + 1, 2 * 3 + 1), "2 x 2 tiles of 3 x 3 with one-pixel gaps"
    np.testing.assert_array_equal(image[4:7, 0:3], np.arange(9.0).reshape(3, 3))   # unit 3: row 2, column 1
    assert np.nanmax(image) == 8.0
    assert ax.images[0].get_clim() == (-8.0, 8.0)
    assert plots.plot_hidden_weights(Theta1, (3, 3), limit=20.0).images[0].get_clim() == (-20.0, 20.0)
    with pytest.raises(ValueError, match=r"\(s_2, 9 \+ 1\)"):
        plots.plot_hidden_weights(np.zeros((4, 9)), (3, 3))


def test_lambda_curves_use_a_symlog_axis_that_shows_zero():
    ax = plots.plot_lambda_curves([0, 0.1, 1, 10], [0.1, 0.2, 0.5, 1.0], [0.4, 0.35, 0.5, 1.0], marker=1)
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] < 0 < ax.get_xlim()[1]
    assert [ln.get_label() for ln in ax.get_lines()[:2]] == ["training set", "test set"]
    assert ax.get_xlabel() == "regularization strength λ"
    _renders(ax)


def test_gradient_norms_one_line_per_network():
    ax = plots.plot_gradient_norms({"sigmoid": [1e-4, 1e-3], "tanh": [0.1, 0.2]})
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2])
    _renders(ax)


def test_unit_weights_heat_map_labels_rows_and_columns():
    ax = plots.plot_unit_weights(np.array([[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]]), title="Θ")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["to 1", "to 2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["bias", "from 1", "from 2"]
    assert "-0.2" in [t.get_text() for t in ax.texts]
    _renders(ax)
