"""Plots for the course, drawn with matplotlib on top of the numpy core.

Every plot function takes arrays (and an optional ``ax``) and returns the Axes it drew on.
Figures for widgets are built with :func:`style.new_figure` (a ``matplotlib.figure.Figure``,
never ``pyplot``) so that nothing leaks into other notebook cells.
"""

from .style import PALETTE, new_figure, presenter_style, to_png

__all__ = ["PALETTE", "new_figure", "presenter_style", "to_png"]
