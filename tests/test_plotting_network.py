"""Tests for backprop_course.plotting.network: what draw_network puts on the Axes."""

import matplotlib
import numpy as np
import pytest
from matplotlib.collections import LineCollection
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
    """{(l, i, j): (color, width, alpha)} of every edge, read off the edge collections on the Axes."""
    drawn = [c for c in ax.collections if isinstance(c, LineCollection)]
    segments = [tuple(map(tuple, np.round(seg, 9))) for c in drawn for seg in c.get_segments()]
    styles = [(to_hex(rgba), float(w), float(rgba[3])) for c in drawn
              for rgba, w in zip(c.get_colors(), np.broadcast_to(c.get_linewidths(), len(c.get_segments())),
                                 strict=True)]
    picture = ax.network
    where = {tuple(map(tuple, np.round(seg, 9))): key for key, seg in zip(picture.edge_keys, picture._segments,
                                                                         strict=True)}
    assert len(segments) == len(set(segments)) == len(picture.edge_keys), "each edge drawn once"
    edges = {where[seg]: style for seg, style in zip(segments, styles, strict=True)}
    for key, (color, width, alpha) in edges.items():
        said = picture.edge_style(key)
        assert said[0] == color and np.isclose(said[1], width) and np.isclose(said[2], alpha), \
            f"edge_style{key} says what is drawn"
    return edges


def test_one_line_per_weight_including_the_bias_column():
    ax = draw_network([2, 3, 1], _theta())
    assert len(_edges(ax)) == 3 * 3 + 1 * 4, "expected one line per entry of Theta(1) and Theta(2)"
    ax = draw_network([2, 3, 1], _theta(), show_bias=False)
    assert len(_edges(ax)) == 3 * 2 + 1 * 3, "without bias units the bias column is not drawn"
    assert all(j > 0 for _, _, j in _edges(ax))


def test_edge_color_follows_the_sign_and_width_the_magnitude():
    Theta = _theta()
    edges = _edges(draw_network([2, 3, 1], Theta, max_width=6.0))
    for (l, i, j), (color, _, _) in edges.items():
        v = Theta[l][i, j]
        assert color == to_hex(POSITIVE if v >= 0 else NEGATIVE), f"weight {v:.3f}"
    widest = max(edges, key=lambda e: edges[e][1])
    assert abs(Theta[widest[0]][widest[1:]]) == max(np.abs(T).max() for T in Theta.values()), \
        "the largest |weight| must be the widest edge"
    assert np.isclose(edges[widest][1], 6.0)


def test_edge_values_such_as_D_replace_Theta():
    Theta = _theta()
    D = {l: -np.abs(T) for l, T in Theta.items()}            # every entry negative
    ax = draw_network([2, 3, 1], Theta, edge_values=D)
    assert {color for color, _, _ in _edges(ax).values()} == {to_hex(NEGATIVE)}


def test_highlight_fades_everything_else_unless_fade_is_off():
    ax = draw_network([2, 3, 1], _theta(), highlight_edges=[(1, 0, 1)], highlight_nodes=[(2, 1)])
    edges = _edges(ax)
    faded = [e for e, (color, _, alpha) in edges.items() if color == to_hex(_FADED) and alpha == 0.5]
    assert sorted(faded) == sorted(set(edges) - {(1, 0, 1)}), "all but the highlighted edge are faded"
    back, front = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(front.get_segments()) == 1 and front.get_zorder() > back.get_zorder(), \
        "the highlighted edge is drawn over the faded ones"
    ax = draw_network([2, 3, 1], _theta(), highlight_edges=[(1, 0, 1)], fade=False)
    assert to_hex(_FADED) not in {color for color, _, _ in _edges(ax).values()}


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
                           highlight_node="a", highlight_edges=[("J", "a")], backward=True)
    texts = [t.get_text() for t in ax.texts]
    assert "= 1.500" in texts and "= 0.711" in texts
    assert any("-1.407" in t for t in texts)


def test_a_network_picture_restyles_without_drawing_anew():
    ax = draw_network([2, 3, 1], _theta())
    picture = ax.network
    collections_before, texts_before = list(ax.collections), list(ax.texts)
    D = {l: -np.abs(T) for l, T in _theta().items()}
    picture.restyle(edge_values=D, node_values={(2, 1): "d=0.1"}, highlight_nodes=[(2, 1)],
                    highlight_edges=[(1, 0, 1)], edge_labels=True)
    assert list(ax.collections) == collections_before, "the same edge collections, restyled"
    assert picture.edge_style((1, 0, 1))[0] == to_hex(NEGATIVE) == _edges(ax)[(1, 0, 1)][0]
    assert picture.edge_style((2, 0, 1))[0] == to_hex(_FADED), "not highlighted: faded"
    assert "d=0.1" in [t.get_text() for t in ax.texts if t.get_visible()]
    picture.restyle(Theta=_theta())
    assert not any(t.get_visible() for t in ax.texts if t not in texts_before), "numbers of the last moment go away"
    assert len(_edges(ax)) == len(picture.edge_keys)
    assert set(picture.dynamic()) >= set(collections_before), "the edges are redrawn at every moment"


def test_a_scalar_graph_picture_moves_the_highlight_and_the_numbers():
    ax = draw_scalar_graph(GRAPH_NODES, GRAPH_EDGES, values={"x": 1.5})
    graph = ax.graph
    graph.restyle(values={"x": 1.5, "u": 0.9}, grads={"u": -0.2}, highlight_node="u", highlight_edges=[("u", "z")],
                  backward=True)
    assert graph.highlights["u"].get_visible() and not graph.highlights["x"].get_visible()
    assert graph.values["u"].get_text() == "= 0.900" and "-0.200" in graph.grads["u"].get_text()
    hot = graph.arrows[("u", "z")]
    (x_u, y_u), (x_z, y_z) = GRAPH_NODES["u"][1:], GRAPH_NODES["z"][1:]
    assert tuple(hot.xy) == (x_u, y_u) and tuple(hot.xyann) == (x_z, y_z), "a gradient travels backwards"
