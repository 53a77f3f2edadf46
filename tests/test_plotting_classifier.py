"""plotting.classifier: the decision boundary and unit maps over the input plane, the confusion matrix."""

import numpy as np
import pytest

from backprop_course import plotting as plots
from backprop_course.activations import ACTIVATIONS
from backprop_course.plotting import classifier, to_png
from backprop_course.plotting.style import PALETTE


def _renders(ax):
    png = to_png(ax.figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 1000


def _plane(n=21):
    x1, x2 = np.linspace(-1, 1, n), np.linspace(-2, 2, n + 4)
    g1, g2 = np.meshgrid(x1, x2)
    return x1, x2, 1.0 / (1.0 + np.exp(-3 * (g1 + 0.5 * g2)))          # a(L) of one sigmoid output


def test_decision_boundary_draws_the_output_the_half_level_and_the_data():
    x1, x2, out = _plane()
    X = np.array([[-0.5, 0.5, 0.2], [1.0, -1.0, 0.3]])
    ax = plots.plot_decision_boundary(x1, x2, out, X, np.array([0, 1, 1]))
    image = ax.images[0].get_array()
    assert image.shape == out.shape + (3,), "one colored pixel per grid point"
    level = ax._bpc_level.get_segments()
    assert level, "the a = 0.5 line is drawn"
    points = np.vstack(level)
    assert np.allclose(points[:, 0] + 0.5 * points[:, 1], 0.0, atol=0.05), "where 3 (x1 + x2 / 2) = 0"
    assert len(ax.collections) == 3, "the line and one scatter per class"
    _renders(ax)


def test_update_decision_boundary_changes_only_the_picture_and_the_line():
    x1, x2, out = _plane()
    ax = plots.plot_decision_boundary(x1, x2, out, np.zeros((2, 1)), np.array([0]))
    before = ax.images[0].get_array().copy()
    plots.update_decision_boundary(ax, x1, x2, 1.0 - out)
    assert not np.array_equal(ax.images[0].get_array(), before)
    assert len(ax.images) == 1, "the same image artist, new pixels"
    with pytest.raises(ValueError, match="shape"):
        plots.update_decision_boundary(ax, x1, x2, out[:-1])


def test_softmax_outputs_color_the_winning_class():
    rgb = classifier.output_to_rgb(np.array([[[1.0]], [[0.0]]]), strength=1.0)
    np.testing.assert_allclose(rgb[0, 0], [c / 255 for c in bytes.fromhex(PALETTE["orange"][1:])])


def test_heatmap_mosaic_places_one_tile_per_unit():
    maps = {2: np.zeros((3, 4, 5)), 3: np.ones((1, 4, 5))}
    image, tiles = classifier.heatmap_mosaic(maps, {2: (-1.0, 1.0), 3: (0.0, 1.0)}, gap=2)
    assert image.shape == (3 * 4 + 2 * 2, 2 * 5 + 2, 3)
    assert set(tiles) == {(2, 1), (2, 2), (2, 3), (3, 1)}
    ax = plots.plot_neuron_heatmaps(maps, {2: (-1.0, 1.0), 3: (0.0, 1.0)})
    plots.update_neuron_heatmaps(ax, {2: np.ones((3, 4, 5)), 3: np.zeros((1, 4, 5))}, {2: (-1.0, 1.0), 3: (0.0, 1.0)})
    _renders(ax)


@pytest.mark.parametrize("name", [n for n, a in ACTIVATIONS.items() if "hidden" in a.roles])
def test_activation_range_reads_the_registry(name):
    values = np.array([-3.0, 2.0])
    low, high = classifier.activation_range(name, values)
    if ACTIVATIONS[name].values is not None:
        assert (low, high) == ACTIVATIONS[name].values, f"{name}: the color range is the range of g"
    else:
        assert (low, high) == (-3.0, 3.0), f"{name}: unbounded g spans the largest |value|, symmetric"


def test_confusion_matrix_writes_every_count():
    C = np.array([[5, 1], [0, 7]])
    ax = plots.plot_confusion_matrix(C, class_names=["no", "yes"])
    assert sorted(t.get_text() for t in ax.texts) == ["0", "1", "5", "7"]
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["no", "yes"]
    _renders(ax)
    with pytest.raises(ValueError, match="square"):
        plots.plot_confusion_matrix(np.ones((2, 3)))


