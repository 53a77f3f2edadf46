"""One base for every widget of the course: controls by name, presenter mode, hiding, state, the step player.

Every widget (:class:`Explorer` subclasses, the step-through and the playground included) is an
``ipywidgets.VBox`` that

- keeps its controls by name in ``controls`` and hides any of them with ``hide=(...)`` (they keep
  working from code);
- is projector-sized with ``presenter=True`` (:func:`~backprop_course.widgets.presenter.presenter_box`);
- gives ``state() -> dict`` and takes ``set_state(dict)``: JSON-serializable presets that
  :func:`~backprop_course.widgets.presenter.apply_preset` restores;
- draws its pictures once and then only the artists that change, through a
  :class:`~backprop_course.plotting.style.LiveFigure`, so an interaction redraws in well under 100 ms
  (``benchmarks/bench_widgets.py`` measures it).

Widgets that walk through steps (:class:`~backprop_course.widgets.StepThrough`,
:class:`~backprop_course.widgets.ChainRuleExplorer`) share the step player: Prev / Next / Reset and a
slider, written once here.
"""

import ipywidgets as widgets
import numpy as np

from ..plotting.style import LiveFigure, new_figure, presenter_style
from .presenter import presenter_box

__all__ = ["Explorer"]


def _to_json(value):
    """A control's value as JSON data: tuples become lists, numpy scalars Python numbers."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, tuple):
        return [_to_json(v) for v in value]
    return value


class Explorer(widgets.VBox):
    """The base of every widget: controls by name, presenter mode, hidden controls, state, step player.

    A subclass calls ``super().__init__(presenter)`` first, makes its controls (registering each
    with :meth:`_control` or :meth:`_player`), then calls :meth:`_finish` with its children and the
    names to hide.

    Attributes
    ----------
    controls : dict {name: ipywidgets.Widget}
        Every control by the name that ``hide=``, ``state()`` and ``set_state()`` use.
    presenter : bool
    hidden_controls : tuple of str
    """

    def __init__(self, presenter=False, **kwargs):
        super().__init__(**kwargs)
        self.presenter = bool(presenter)
        self.controls = {}
        self.hidden_controls = ()

    # -- controls, hiding, presenter mode ---------------------------------------------------------------

    def _control(self, name, widget):
        """Register `widget` as the control `name` and return it."""
        self.controls[name] = widget
        return widget

    def _finish(self, children, hide=()):
        """Hide the controls named in `hide` and show `children`, projector-sized in presenter mode
        (the presenter style sheet travels as a last, invisible child)."""
        self.hidden_controls = self.hide(hide)
        css = presenter_box(self, self.presenter)
        self.children = (*children, css) if self.presenter else tuple(children)

    def hide(self, names):
        """Hide the named controls (``layout.display = "none"``) and show the others; they keep working.

        Parameters
        ----------
        names : str or iterable of str
            Names from :attr:`controls`; an unknown name is an error that lists the valid ones.

        Returns
        -------
        tuple of str
            The hidden names.
        """
        names = (names,) if isinstance(names, str) else tuple(names)
        unknown = [name for name in names if name not in self.controls]
        if unknown:
            raise ValueError(f"hide: unknown control(s) {unknown}: no such control. "
                             f"The controls are {sorted(self.controls)}.")
        for name, control in self.controls.items():
            control.layout.display = "none" if name in names else None
        return names

    def _text(self):
        """An HTML-with-LaTeX area for equations and readouts, larger in presenter mode."""
        html = widgets.HTMLMath()
        html.style.font_size = "1.35em" if self.presenter else "1.0em"
        return html

    def _label(self):
        """A one-line HTML readout under the controls, larger in presenter mode."""
        label = widgets.HTML(layout=widgets.Layout(min_height="2em"))
        if self.presenter:
            label.style.font_size = "22px"
        return label

    def _figure(self, width, height):
        """A new figure of `width` x `height` inches, 1.4 times larger in presenter mode."""
        scale = 1.4 if self.presenter else 1.0
        with presenter_style(self.presenter):
            return new_figure(width * scale, height * scale, presenter=self.presenter)

    # -- state ---------------------------------------------------------------------------------------

    def state(self):
        """The values of the controls, by name, as a JSON-serializable dict."""
        return {name: _to_json(c.value) for name, c in self.controls.items() if hasattr(c, "value")}

    def set_state(self, state):
        """Set controls from a dict made by :meth:`state` (any subset of its keys; unknown keys raise)."""
        known = self._known_keys(state)
        for name in known:                                         # in the controls' order
            if name in state:
                value = state[name]
                self.controls[name].value = tuple(value) if isinstance(value, list) else value

    def _known_keys(self, state):
        """The keys of :meth:`state`, after refusing any key of `state` that is not one of them."""
        known = list(self.state())
        unknown = set(state) - set(known)
        if unknown:
            raise ValueError(f"set_state: unknown keys {sorted(unknown)}; the keys are {known}.")
        return known

    # -- the step player ------------------------------------------------------------------------------

    def _player(self, count):
        """Prev / Next / Reset and a step slider over `count` steps, as one row; calls :meth:`_show_step`."""
        def button(description, tooltip):  # one Layout each: hiding one button must not hide the others
            return widgets.Button(description=description, tooltip=tooltip,
                                  layout=widgets.Layout(width="110px" if self.presenter else "80px"))

        self.prev = self._control("prev", button("◀ Prev", "previous step"))
        self.next = self._control("next", button("Next ▶", "next step"))
        self.reset = self._control("reset", button("Reset", "back to step 0"))
        self.slider = self._control("slider", widgets.IntSlider(
            value=0, min=0, max=max(count - 1, 0), description="step", continuous_update=True,
            layout=widgets.Layout(width="360px")))
        self.prev.on_click(lambda _: self._go(self.slider.value - 1))
        self.next.on_click(lambda _: self._go(self.slider.value + 1))
        self.reset.on_click(lambda _: self._go(0))
        self.slider.observe(lambda change: self._show_step(), names="value")
        return widgets.HBox([self.prev, self.next, self.reset, self.slider])

    def _go(self, index):
        """Move the player to step `index` (clamped); showing it is the slider's callback."""
        self.slider.value = max(0, min(self.slider.max, index))

    def _player_buttons(self):
        """Disable Prev on the first step and Next on the last."""
        self.prev.disabled = self.slider.value == 0
        self.next.disabled = self.slider.value == self.slider.max

    def _show_step(self):
        raise NotImplementedError

    # -- pictures ---------------------------------------------------------------------------------------

    def _live(self, fig, dynamic, dpi=None):
        """A :class:`~backprop_course.plotting.style.LiveFigure` of `fig` that redraws only `dynamic()`."""
        return LiveFigure(fig, dynamic, dpi=dpi or fig.dpi)

    @staticmethod
    def _show_png(image, live, width=None, scene=None):
        """Show the figure of `live` in `image` at its own pixel size (or `width` px), shrinking to fit.

        `scene` names the form of the figure's still part (:meth:`LiveFigure.render`)."""
        image.value = live.png(scene)
        pixels = width or int(round(live.fig.get_size_inches()[0] * live.fig.dpi))
        image.layout.width = f"{pixels}px"
        image.layout.max_width = "100%"
