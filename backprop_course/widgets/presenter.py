"""Presenter mode for every widget of the course: projector-sized controls and presets.

Hiding controls is every widget's own ``hide(names)`` (:class:`backprop_course.widgets._base.Explorer`).
Any widget with ``state() -> dict`` and ``set_state(dict)`` works with these helpers:

>>> from backprop_course.widgets.presenter import apply_preset
>>> apply_preset(pg, "lr-too-high")          # a name the widget lists in its PRESETS
>>> apply_preset(pg, {"alpha": 3.0})         # or a state dict (the widget's set_state decides)
>>> apply_preset(pg, "lecture3.json")        # or a JSON file saved with save_preset

A lecturer prepares the moments of a lecture once (``save_preset(widget, "lecture3.json")``)
and jumps to each with one call in front of the class. The file keeps the widget's state, its
presenter mode and its hidden controls; ``backprop-course demo --preset lecture3.json`` opens it as
a page (the playground's), and a lecture plan (:mod:`backprop_course.plan`) can name it.
"""

import json
import os

from ..plan import read_preset_file

__all__ = ["apply_preset", "save_preset", "load_preset", "presenter_box", "PRESENTER_CSS"]

# ipywidgets sizes its controls from these CSS variables; setting them on one container makes
# every control inside it projector-sized without touching the rest of the page.
PRESENTER_CSS = """
<style>
.bpc-presenter {
  --jp-widgets-font-size: 20px;
  --jp-widgets-inline-height: 42px;
  --jp-widgets-inline-label-width: 150px;
  --jp-widgets-inline-width: 420px;
  --jp-widgets-slider-handle-size: 22px;
  --jp-widgets-slider-track-thickness: 6px;
  font-size: 20px;
}
.bpc-presenter .widget-button, .bpc-presenter .jupyter-button { font-size: 20px; font-weight: bold; }
.bpc-presenter .widget-html-content { font-size: 20px; line-height: 1.35; }
.bpc-presenter .widget-readout, .bpc-presenter select, .bpc-presenter input { font-size: 20px; }
</style>
"""


def _presets_of(widget, presets):
    if presets is not None:
        return presets
    return getattr(widget, "PRESETS", {}) or {}


def load_preset(path):
    """The widget state of a preset file saved by :func:`save_preset` (a dict for ``set_state``)."""
    return read_preset_file(path)[1]


def save_preset(widget, path):
    """Write the widget's state, presenter mode and hidden controls to a JSON file.

    The file is ``{"widget": class name, "presenter": bool, "hide": [names], "state": widget.state()}``;
    :func:`apply_preset` restores the state and the hidden controls, and a widget made from the file
    (``Playground(preset="file.json")``) also its presenter mode.
    """
    preset = {"widget": type(widget).__name__, "presenter": bool(getattr(widget, "presenter", False)),
              "hide": list(getattr(widget, "hidden_controls", ())), "state": widget.state()}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(preset, f, indent=1, sort_keys=True)
    return path


def apply_preset(widget, preset, presets=None):
    """Restore a prepared state on any widget with ``state()`` and ``set_state(dict)``.

    Parameters
    ----------
    widget : object with ``state()`` and ``set_state(dict)``
    preset : str or dict
        A name from `presets` (default: the widget's ``PRESETS`` attribute), a path to a JSON
        file written by :func:`save_preset` (its hidden controls are hidden too; presenter mode is
        chosen when a widget is made, so a live widget keeps its own), or a state dict passed to
        ``set_state`` as it is.
    presets : dict {name: dict}, optional
        Where names are looked up instead of ``widget.PRESETS``.

    Returns
    -------
    dict
        The state that was applied.
    """
    if not (callable(getattr(widget, "state", None)) and callable(getattr(widget, "set_state", None))):
        raise TypeError(f"{type(widget).__name__} has no state()/set_state(); presets need both.")
    table = _presets_of(widget, presets)
    hide = None
    if isinstance(preset, str):
        if preset in table:
            state = table[preset]
        elif preset.endswith(".json") and os.path.exists(preset):
            saved_by, state, _, hide = read_preset_file(preset)
            if saved_by not in (None, type(widget).__name__):
                raise ValueError(f"{preset} was saved from a {saved_by}, not from a {type(widget).__name__}.")
        else:
            raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(table)} "
                             f"or give a state dict or the path of a .json file saved with save_preset.")
    elif isinstance(preset, dict):
        state = preset
    else:
        raise TypeError(f"preset must be a name, a dict or a .json path; got {type(preset).__name__}.")
    widget.set_state(dict(state))
    if hide is not None and callable(getattr(widget, "hide", None)):
        widget.hidden_controls = widget.hide(hide)
    return state


def presenter_box(box, presenter=True):
    """Mark an ipywidgets container for presenter sizes and return the CSS widget to show with it."""
    import ipywidgets as widgets

    if presenter:
        box.add_class("bpc-presenter")
    else:
        box.remove_class("bpc-presenter")
    return widgets.HTML(PRESENTER_CSS if presenter else "", layout=widgets.Layout(display="none"))
