"""plotting.curves: cost against time (static and live), the epsilon U-curve, lambda curves, gradient norms."""

import numpy as np
import pytest
from matplotlib.axes import Axes

from backprop_course import plotting as plots
from backprop_course.plotting import new_figure, to_png


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


def test_live_cost_curves_follow_the_history_and_grow_their_axes_in_steps():
    history = {"epoch": [0, 1, 2], "cost": [0.7, 0.6, 0.5], "test_cost": [0.8, 0.7, 0.65]}
    ax = plots.plot_cost_curves({"": history}, ax=_ax(), log=False, live=True)
    train, test = ax.get_lines()
    assert train.get_label() == "training J" and test.get_label() == "test J"
    assert test.get_linestyle() == "--" and list(train.get_markevery()) == [-1], "a dot on the latest value"
    assert ax.get_xlim() == (0.0, 10.0), "the epoch axis starts at the first step, 10"
    longer = {"epoch": list(range(13)), "cost": list(np.linspace(0.7, 0.3, 13)),
              "test_cost": [float("nan")] * 13}
    plots.update_cost_curves(ax, {"": longer})
    np.testing.assert_array_equal(train.get_xdata(), np.arange(13))
    assert not test.get_visible(), "no finite held-out cost, no held-out curve"
    assert ax.get_xlim() == (0.0, 20.0) and ax.get_ylim()[0] == 0.0
    _renders(ax)
    with pytest.raises(ValueError, match="draw them first"):
        plots.update_cost_curves(_ax(), {"": longer})


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


def test_lambda_curves_use_a_symlog_axis_that_shows_zero():
    ax = plots.plot_lambda_curves([0, 0.1, 1, 10], [0.1, 0.2, 0.5, 1.0], [0.4, 0.35, 0.5, 1.0], marker=1)
    assert ax.get_xscale() == "symlog" and ax.get_xlim()[0] < 0 < ax.get_xlim()[1]
    assert [ln.get_label() for ln in ax.get_lines()[:2]] == ["training set", "validation set"]
    assert ax.get_xlabel() == "regularization strength λ"
    _renders(ax)


def test_gradient_norms_one_line_per_network():
    ax = plots.plot_gradient_norms({"sigmoid": [1e-4, 1e-3], "tanh": [0.1, 0.2]})
    assert len(ax.get_lines()) == 2 and ax.get_yscale() == "log"
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2])
    _renders(ax)


def test_the_epsilon_marker_moves_along_every_curve():
    eps = np.logspace(-10, 0, 11)
    ax = _ax()
    plots.plot_epsilon_curve(eps, 1e-16 / eps + eps ** 2, ax=ax, marker=1e-5, label="a")
    plots.plot_epsilon_curve(eps, 1e-8 / eps + eps ** 2, ax=ax, marker=1e-5, label="b", annotate=False)
    moved = plots.update_epsilon_marker(ax, 1e-3)
    dots = [line for line in moved if line.get_gid() == "bpc-epsilon-marker"]
    assert [d.get_xdata()[0] for d in dots] == [1e-3, 1e-3]
    assert dots[1].get_ydata()[0] == pytest.approx(1e-8 / 1e-3 + 1e-6, rel=1e-9)
    with pytest.raises(ValueError, match="marked epsilon curves"):
        plots.update_epsilon_marker(_ax(), 1e-3)


def test_cost_bands_draw_the_mean_and_a_band_from_the_lowest_to_the_highest_run():
    runs = np.array([[1.0, 0.5, 0.2], [2.0, 1.0, 0.4], [1.5, 0.6, 0.3]])
    ax = plots.plot_cost_bands({"adam": runs, "one run": runs[:1]}, title="t")
    lines = ax.get_lines()
    assert len(lines) == 2 and len(ax.collections) == 1, "a band only where there are several runs"
    np.testing.assert_allclose(lines[0].get_ydata(), runs.mean(axis=0))
    assert lines[0].get_label() == "adam (3 runs)" and lines[1].get_label() == "one run"
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() == pytest.approx(0.2) and band[:, 1].max() == pytest.approx(2.0)
    assert ax.get_yscale() == "log" and ax.get_xlabel() == "epoch" and ax.get_title() == "t"
    _renders(ax)
    with pytest.raises(TypeError, match="non-empty dict"):
        plots.plot_cost_bands({})
    with pytest.raises(ValueError, match="shape"):
        plots.plot_cost_bands({"bad": np.ones((2, 2, 2))})


def test_layer_histograms_one_row_per_layer_each_scaled_to_its_highest_bar():
    values = {1: np.array([0.1, 0.2, 0.2, 0.9]), 2: np.array([0.5, 0.5, 0.5]), 3: np.array([0.0, 1e-3, 1e3])}
    ax = plots.plot_layer_histograms(values, bins=4, value_range=(0, 1), title="a")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1", "2", "3"]
    tops = [p.get_path().vertices[:, 1].max() for p in ax.patches]
    assert len(ax.patches) == 3 and tops == pytest.approx([0.85, 1.85, 2.85]), "row k sits at height k"
    assert ax.get_xlim() == (0, 1) and ax.get_title() == "a"
    _renders(ax)
    logs = plots.plot_layer_histograms({1: np.array([0.0, 1e-3, 1e3, -1e3])}, bins=6, log_abs=True)
    assert logs.get_xlim() == pytest.approx((-3, 3)), "log10 |v| of the non-zero entries"
    assert logs.get_xlabel() == "log₁₀ |value|"
    with pytest.raises(ValueError, match="no finite"):
        plots.plot_layer_histograms({1: np.zeros(3)}, log_abs=True)
    with pytest.raises(TypeError, match="non-empty dict"):
        plots.plot_layer_histograms([1, 2])
