"""plotting.weights: hidden units' incoming weights as pictures, a layer's weights as a heat map."""

import numpy as np
import pytest

from backprop_course import plotting as plots
from backprop_course.plotting import to_png


def _renders(ax):
    png = to_png(ax.figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


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


def test_unit_weights_heat_map_labels_rows_and_columns():
    ax = plots.plot_unit_weights(np.array([[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]]), title="Θ")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["to 1", "to 2"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["bias", "from 1", "from 2"]
    assert "-0.2" in [t.get_text() for t in ax.texts]
    _renders(ax)


def test_updates_show_new_weights_in_the_same_pictures():
    Theta1 = np.zeros((4, 10))
    ax = plots.plot_hidden_weights(Theta1, (3, 3), columns=2, limit=5.0)
    Theta1[3, 1:] = np.arange(9.0)
    image = plots.update_hidden_weights(ax, Theta1, (3, 3))
    np.testing.assert_array_equal(image.get_array()[4:7, 4:7], np.arange(9.0).reshape(3, 3))
    T = np.array([[0.1, -0.2, 0.3], [0.1, -0.2, 0.3]])
    ax = plots.plot_unit_weights(T, colorbar=False)
    assert len(ax.figure.axes) == 1, "no color scale when asked for none"
    changed = plots.update_unit_weights(ax, 2 * T)
    assert "-0.4" in [t.get_text() for t in changed if hasattr(t, "get_text")]
    assert ax.images[0].get_clim() == (-0.6, 0.6)
    with pytest.raises(ValueError, match="shape"):
        plots.update_unit_weights(ax, np.zeros((3, 3)))
