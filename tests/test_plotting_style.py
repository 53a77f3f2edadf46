"""plotting.style: one look for every figure and its ways out as PNG (to_png, compact_png, LiveFigure)."""

import io

import numpy as np
from PIL import Image

from backprop_course.plotting.style import LiveFigure, compact_png, new_figure, presenter_style, to_png


def _figure():
    fig = new_figure(4.0, 3.0)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0, 1, 0], label="still")
    line, = ax.plot([0, 2], [1, 1], gid="moving")
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 2)
    return fig, line


def _pixels(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_to_png_and_compact_png_give_the_same_picture():
    fig, _ = _figure()
    full = _pixels(to_png(fig, dpi=80))
    compact = compact_png(fig, dpi=80)
    assert compact[:8] == b"\x89PNG\r\n\x1a\n"
    small = _pixels(compact)
    assert small.shape == full.shape
    assert np.abs(small - full).mean() < 3, "256 colors show the figure without visible loss"


def test_live_figure_redraws_only_the_moving_artists_and_matches_a_full_draw():
    fig, line = _figure()
    live = LiveFigure(fig, lambda: [line], dpi=80)
    first = live.png()
    line.set_ydata([0.5, 1.5])
    second = live.png()
    assert live.full_renders == 1, "the still background is drawn once"
    assert second != first
    fresh, fresh_line = _figure()
    fresh_line.set_ydata([0.5, 1.5])
    assert np.abs(_pixels(second) - _pixels(compact_png(fresh, dpi=80))).mean() < 1, (
        "blitting the moving line on the kept background gives the picture a full draw gives")
    fig.axes[0].set_xlim(0, 3)
    live.png()
    assert live.full_renders == 2, "a new axis limit redraws the background"


def test_presenter_style_is_larger():
    with presenter_style(True):
        big = new_figure().add_subplot().xaxis.label.get_size()
    with presenter_style(False):
        small = new_figure().add_subplot().xaxis.label.get_size()
    assert big > small


def test_each_scene_keeps_its_own_background():
    fig, line = _figure()
    still = fig.axes[0].lines[0]
    live = LiveFigure(fig, lambda: [line], dpi=80)
    live.png(scene="one")
    still.set_ydata([1, 0, 1])                   # the still part of scene "two"
    live.png(scene="two")
    still.set_ydata([0, 1, 0])
    first = live.png(scene="one")
    assert live.full_renders == 2, "going back to a scene reuses its background"
    fresh, _ = _figure()
    assert np.abs(_pixels(first) - _pixels(compact_png(fresh, dpi=80))).mean() < 1
