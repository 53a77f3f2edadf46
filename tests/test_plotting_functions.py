"""plotting.functions: an activation with its slope, a cost curve, and the marks a slider moves."""

import numpy as np
import pytest

from backprop_course.activations import ACTIVATIONS, HIDDEN_ACTIVATIONS
from backprop_course.plotting.functions import plot_activation, plot_curve, update_activation_mark, update_curve_mark


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_every_hidden_activation_plots_g_and_its_slope_with_the_registrys_symbol(name):
    ax = plot_activation(name, mark=0.5)
    g, g_prime = ax.lines[:2]
    z = g.get_xdata()
    assert (z[0], z[-1]) == ACTIVATIONS[name].z_range
    np.testing.assert_allclose(g_prime.get_ydata(), ACTIVATIONS[name].g_prime(z))
    assert ACTIVATIONS[name].latex in g.get_label()
    moved = update_activation_mark(ax, name, -1.0)
    dots = {line.get_gid(): line.get_ydata()[0] for line in moved if line.get_gid() != "bpc-mark"}
    assert dots["bpc-mark-g"] == pytest.approx(ACTIVATIONS[name].g(-1.0))
    assert dots["bpc-mark-g-prime"] == pytest.approx(ACTIVATIONS[name].g_prime(-1.0))


def test_softmax_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="not elementwise"):
        plot_activation("softmax")


def test_the_curve_mark_sits_on_the_curve():
    x = np.linspace(-2, 2, 41)
    ax = plot_curve(x, x ** 2, mark=1.0)
    line = update_curve_mark(ax, x, x ** 2, -1.5)
    assert line.get_xdata()[0] == -1.5 and line.get_ydata()[0] == pytest.approx(2.25, abs=0.01)
    with pytest.raises(ValueError, match="no mark"):
        update_curve_mark(plot_curve(x, x), x, x, 0.0)
