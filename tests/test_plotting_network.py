"""Tests for backprop_course.plotting.network: what draw_network puts on the Axes."""

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex

from backprop_course.chain_rule import GRAPH_EDGES, GRAPH_NODES
from backprop_course.plotting.network import (
    _FADED,
    draw_network,
    draw_scalar_graph,
    node_positions,
)
from backprop_course.plotting.style import NEGATIVE, POSITIVE, new_figure

matplotlib.use("Agg")


def _theta():
    return {1: np.sin(np.arange(9) + 1.0).reshape(3, 3), 2: np.cos(np.arange(4) + 0.5).reshape(1, 4)}


def _edges(ax):
    """The edge lines (2-point Line2D objects) in drawing order, skipping highlight halos."""
    return [line for line in ax.lines if len(line.get_xdata()) == 2]


def test_one_line_per_weight_including_the_bias_column():
    ax = draw_network([2, 3, 1], _theta())
    assert len(_edges(ax)) == 3 * 3 + 1 * 4, "expected one line per entry of Theta(1) and Theta(2)"
    ax = draw_network([2, 3, 1], _theta(), show_bias=False)
    assert len(_edges(ax)) == 3 * 2 + 1 * 3, "without bias units the bias column is not drawn"


def test_edge_color_follows_the_sign_and_width_the_magnitude():
    Theta = _theta()
    ax = draw_network([2, 3, 1], Theta, max_width=6.0)
    lines = _edges(ax)
    values = [Theta[l][i, j] for l in (1, 2) for i in range(Theta[l].shape[0]) for j in range(Theta[l].shape[1])]
    for v, line in zip(values, lines, strict=True):
        assert to_hex(line.get_color()) == to_hex(POSITIVE if v >= 0 else NEGATIVE), f"weight {v:.3f}"
    widths = np.array([line.get_linewidth() for line in lines])
    assert np.argmax(widths) == np.argmax(np.abs(values)), "the largest |weight| must be the widest edge"
    assert np.isclose(widths.max(), 6.0)


def test_edge_values_such_as_D_replace_Theta():
    Theta = _theta()
    D = {l: -np.abs(T) for l, T in Theta.items()}            # every entry negative
    ax = draw_network([2, 3, 1], Theta, edge_values=D)
    assert {to_hex(line.get_color()) for line in _edges(ax)} == {to_hex(NEGATIVE)}


def test_highlight_fades_everything_else_unless_fade_is_off():
    ax = draw_network([2, 3, 1], _theta(), highlight_edges=[(1, 0, 1)], highlight_nodes=[(2, 1)])
    colors = [to_hex(line.get_color()) for line in _edges(ax)]
    assert colors.count(to_hex(_FADED)) == len(colors) - 1, "all but the highlighted edge are faded"
    ax = draw_network([2, 3, 1], _theta(), highlight_edges=[(1, 0, 1)], fade=False)
    assert to_hex(_FADED) not in {to_hex(line.get_color()) for line in _edges(ax)}


def test_node_values_and_edge_labels_are_written():
    ax = draw_network([2, 3, 1], _theta(), node_values={(2, 1): "z=0.12\na=0.53", 3: [0.25]},
                      edge_labels=True, fmt="{:.3f}")
    texts = [t.get_text() for t in ax.texts]
    assert "z=0.12\na=0.53" in texts and "0.250" in texts
    assert f"{_theta()[1][0, 0]:.3f}" in texts, "edge labels write the weight values"


def test_wrong_edge_value_shape_names_the_layer_and_expected_shape():
    with pytest.raises(ValueError, match=r"layer 1 have shape \(2, 3\).*needs shape \(3, 3\)"):
        draw_network([2, 3, 1], edge_values={1: np.zeros((2, 3)), 2: np.zeros((1, 4))})
    with pytest.raises(ValueError, match="at least 2"):
        draw_network([3])


def test_bias_unit_sits_on_top_and_output_layer_has_none():
    pos = node_positions([2, 3, 1])
    assert pos[(1, 0)][1] > pos[(1, 1)][1] > pos[(1, 2)][1]
    assert (3, 0) not in pos and (2, 0) in pos


def test_draws_into_a_given_axes_and_presenter_uses_bigger_text():
    fig = new_figure()
    ax = fig.add_subplot()
    assert draw_network([2, 2, 1], ax=ax) is ax
    small = max(t.get_fontsize() for t in draw_network([2, 2, 1]).texts)
    big = max(t.get_fontsize() for t in draw_network([2, 2, 1], presenter=True).texts)
    assert big > 1.5 * small


def test_scalar_graph_writes_values_and_gradients():
    ax = draw_scalar_graph(GRAPH_NODES, GRAPH_EDGES, values={"x": 1.5, "a": 0.711}, grads={"a": -1.407},
                           highlight_node="a", highlight_edge=("J", "a"), backward=True)
    texts = [t.get_text() for t in ax.texts]
    assert "= 1.500" in texts and "= 0.711" in texts
    assert any("-1.407" in t for t in texts)


def test_a_network_picture_restyles_without_drawing_anew():
    ax = draw_network([2, 3, 1], _theta())
    picture = ax.network
    lines_before, texts_before = list(ax.lines), list(ax.texts)
    D = {l: -np.abs(T) for l, T in _theta().items()}
    picture.restyle(edge_values=D, node_values={(2, 1): "d=0.1"}, highlight_nodes=[(2, 1)],
                    highlight_edges=[(1, 0, 1)], edge_labels=True)
    assert ax.lines[:len(lines_before)] == lines_before, "the same edge lines, restyled"
    assert to_hex(picture.edges[(1, 0, 1)].get_color()) == to_hex(NEGATIVE)
    assert to_hex(picture.edges[(2, 0, 1)].get_color()) == to_hex(_FADED), "not highlighted: faded"
    assert "d=0.1" in [t.get_text() for t in ax.texts if t.get_visible()]
    picture.restyle(Theta=_theta())
    assert not any(t.get_visible() for t in ax.texts if t not in texts_before), "numbers of the last moment go away"
    assert set(picture.dynamic()) >= set(picture.edges.values())


def test_a_scalar_graph_picture_moves_the_highlight_and_the_numbers():
    ax = draw_scalar_graph(GRAPH_NODES, GRAPH_EDGES, values={"x": 1.5})
    graph = ax.graph
    graph.restyle(values={"x": 1.5, "u": 0.9}, grads={"u": -0.2}, highlight_node="u", highlight_edge=("u", "z"),
                  backward=True)
    assert graph.highlights["u"].get_visible() and not graph.highlights["x"].get_visible()
    assert graph.values["u"].get_text() == "= 0.900" and "-0.200" in graph.grads["u"].get_text()
    hot = graph.arrows[("u", "z")]
    (x_u, y_u), (x_z, y_z) = GRAPH_NODES["u"][1:], GRAPH_NODES["z"][1:]
    assert tuple(hot.xy) == (x_u, y_u) and tuple(hot.xyann) == (x_z, y_z), "a gradient travels backwards"
