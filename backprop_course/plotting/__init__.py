"""Plots for the course, drawn with matplotlib on top of the numpy core.

Every plot function takes arrays (and an optional ``ax``) and returns the Axes it drew on.
Figures for widgets are built with :func:`style.new_figure` (a ``matplotlib.figure.Figure``,
never ``pyplot``) so that nothing leaks into other notebook cells.

=================  ==============================================================================
``style``          the palette, projector sizes, new figures, PNG output (to_png, compact_png,
                   LiveFigure for widgets that redraw)
``functions``      one-variable functions: an activation g with g', a cost curve J(w)
``network``        a network's units and weights (draw_network), its live edges, the chain-rule graph
``curves``         cost against training time (one run, or several seeds as a band), the epsilon
                   U-curve, lambda curves, gradient norms, per-layer histograms
``landscape``      contours of J over two weights with descent paths
``weights``        weights as pictures: hidden units' incoming weights, a layer's weight matrix
``classifier``     decision boundary and unit maps over the input plane, the confusion matrix
=================  ==============================================================================

``from backprop_course import plotting`` gives every plot function by name, e.g.
``plotting.plot_cost_curves``. An ``update_*`` function changes what its ``plot_*`` partner drew
(for widgets that redraw at every click); ``NetworkPicture`` and ``ScalarGraphPicture`` keep a
drawing's artists so that a new moment only restyles them.
"""

from .classifier import (
    CLASS_COLORS,
    plot_confusion_matrix,
    plot_decision_boundary,
    plot_neuron_heatmaps,
    update_decision_boundary,
    update_neuron_heatmaps,
)
from .curves import (
    plot_cost_bands,
    plot_cost_curves,
    plot_epsilon_curve,
    plot_gradient_norms,
    plot_lambda_curves,
    plot_layer_histograms,
    update_cost_curves,
    update_epsilon_marker,
)
from .functions import plot_activation, plot_curve, update_activation_mark, update_curve_mark
from .landscape import plot_cost_surface, update_descent_paths
from .network import NetworkPicture, ScalarGraphPicture, draw_network, draw_scalar_graph
from .style import NEGATIVE, PALETTE, POSITIVE, LiveFigure, compact_png, new_figure, presenter_style, to_png
from .weights import plot_hidden_weights, plot_unit_weights, update_hidden_weights, update_unit_weights

__all__ = [
    "CLASS_COLORS", "LiveFigure", "NEGATIVE", "NetworkPicture", "PALETTE", "POSITIVE", "ScalarGraphPicture",
    "compact_png", "draw_network", "draw_scalar_graph", "new_figure", "plot_activation", "plot_confusion_matrix",
    "plot_cost_bands", "plot_cost_curves", "plot_cost_surface", "plot_curve", "plot_decision_boundary",
    "plot_epsilon_curve", "plot_gradient_norms", "plot_hidden_weights", "plot_lambda_curves", "plot_layer_histograms",
    "plot_neuron_heatmaps", "plot_unit_weights",
    "presenter_style", "to_png", "update_activation_mark", "update_cost_curves", "update_curve_mark",
    "update_decision_boundary", "update_descent_paths", "update_epsilon_marker", "update_hidden_weights",
    "update_neuron_heatmaps", "update_unit_weights",
]
