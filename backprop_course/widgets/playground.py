"""The training playground: watch a network learn, live, and steer it (TensorFlow-Playground style).

>>> from backprop_course.widgets import Playground
>>> Playground()                                        # the default: moons, 2 hidden layers of 4 tanh units
>>> Playground(preset="lr-too-high", presenter=True)    # projector-sized, at a prepared lecture moment
>>> Playground(hide=("output", "batch_size"))           # fewer knobs for a first lecture
>>> Playground(preset="lecture3.json")                  # a moment saved with save_preset
>>> Playground(plan="docs/lecture.toml")                # a lecture plan: Previous / Next, or the arrow keys

All logic lives in :class:`backprop_course.playground.PlaygroundState` (``.pg``), a traitlets
model; this module only draws it and joins the controls to its settings with ``traitlets.link``
(and, for the two settings a learner can type wrong, an observer that shows the error). The views
redraw when the model's ``changes`` moves. Play trains in small chunks on the kernel's asyncio event
loop: after each chunk it redraws and yields (``await asyncio.sleep``), so the kernel handles the
Pause click (a comm message) between chunks and the browser never waits on a long computation.
"""

import asyncio
import json
import time

import ipywidgets as widgets
import numpy as np
import traitlets

from ..activations import HIDDEN_ACTIVATIONS
from ..experiments import gradient_norms
from ..plan import PlanError, find_demo_file, load_plan, load_preset_file
from ..playground import (
    BATCH_SIZES,
    DATASETS,
    DEFAULTS,
    INITIALIZATIONS,
    OPTIMIZERS,
    OUTPUTS,
    PRESET_DESCRIPTIONS,
    PRESETS,
    PlaygroundState,
    check_state,
    unknown_names_error,
)
from ..plotting import classifier as views
from ..plotting.curves import plot_cost_curves, update_cost_curves
from ..plotting.network import LAYER_GAP, UNIT_GAP, draw_network
from ..plotting.style import LiveFigure, new_figure, presenter_style
from ._base import Explorer
from .presenter import apply_preset

__all__ = ["Playground"]

_ALPHAS = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_LAMBDAS = (0.0, 0.001, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
_BETAS = {"beta": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99), "beta1": (0.0, 0.5, 0.8, 0.9, 0.95, 0.99),
          "beta2": (0.9, 0.99, 0.999, 0.9999)}
# the optimizer each decay rate belongs to: the others' are greyed out
_BETA_OWNER = {"beta": "momentum", "beta1": "adam", "beta2": "adam"}
_INIT_LABELS = {0.12: "0.12 (every layer)", "glorot": "glorot", "he": "he (for relu)"}


def _with_value(options, value):
    """Dropdown options that include `value` (a preset may use a value the list lacks); numbers in order."""
    values = [v for _, v in options]
    if value in values:
        return options
    return sorted([*options, (f"{value:g}", value)], key=_option_order)


def _option_order(option):
    """Numbers first, in order; then the named choices ("glorot", "he") as they were listed."""
    value = option[1]
    return (1, 0) if isinstance(value, str) else (0, value)


def _query_value(text):
    """A setting's value from a page address: JSON numbers, lists and null; "none" is None; else the text."""
    if text.lower() in ("none", "null", "full"):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


# Keys that step through a lecture plan; the page's document hears them unless a text field has the focus.
_PLAN_KEYS_JS = """
(function () {
  if (window.bpcPlanKeys) { return; }          // one listener per page, however often the widget is shown
  window.bpcPlanKeys = true;
  var next = ["ArrowRight", "PageDown", "n", "N"], previous = ["ArrowLeft", "PageUp", "p", "P"];
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
    var which = next.indexOf(event.key) >= 0 ? "next" : previous.indexOf(event.key) >= 0 ? "previous" : null;
    var button = which && document.querySelector("button.bpc-plan-" + which);
    if (!button || button.disabled) { return; }
    event.preventDefault();
    button.click();
  });
})();
"""


class Playground(Explorer):
    """A live training dashboard: data, network, settings, Play / Pause / Step / Reset, views.

    Parameters
    ----------
    preset : None, str or dict
        A name from ``Playground.PRESETS`` (e.g. ``"lr-too-high"``), a state dict, or the path of a
        ``.json`` file saved with :func:`~backprop_course.widgets.presenter.save_preset` (which also
        gives presenter mode and the hidden controls, unless `presenter` or `hide` is given).
    presenter : bool or None
        Projector mode: big type, thick lines, larger figures. None: the preset file's or the plan's,
        else off.
    hide : iterable of str or None
        Names of controls to hide (see ``Playground.CONTROLS``); they still work from code.
    plan : None, str, Path or :class:`backprop_course.plan.Plan`
        A lecture plan (TOML, see :mod:`backprop_course.plan`): the playground opens at its moment
        `moment` and shows Previous / Next buttons, which the keys → / PageDown / n and ← / PageUp / p
        press too.
    moment : int
        The plan's moment to open at, from 1.
    resolution : int
        Grid points per axis for the decision boundary and the unit heatmaps.
    epochs_per_frame : int
        Epochs trained between two redraws while playing.
    export_path : str
        Where the Export button writes the trained Theta (``.npz``, read with
        :func:`backprop_course.playground.load_theta`).
    dpi : float
        Resolution of the views; lower redraws faster.
    **settings
        Any playground setting (``alpha=1.0``, ``hidden=[8]``, ...), see ``playground.DEFAULTS``.

    Attributes
    ----------
    pg : PlaygroundState
        The logic: ``pg.Theta``, ``pg.epoch``, ``pg.history``, ``pg.step(n)``, ...
    controls : dict {name: ipywidgets.Widget}
    images : dict {"boundary", "cost", "network", "units": ipywidgets.Image}
    exported : dict or None
        The Theta written by the last Export.
    """

    PRESETS = PRESETS
    CONTROLS = ("preset", "data", "noise", "test_fraction", "add_point", "hidden", "activation", "output",
                "epsilon_init", "alpha", "lambda_", "batch_size", "optimizer", "advanced", "beta", "beta1", "beta2",
                "epochs_per_frame", "show_gradients", "play", "pause", "step", "reset", "snapshot", "restore",
                "export")

    def __init__(self, preset=None, presenter=None, hide=None, resolution=50, epochs_per_frame=5,
                 export_path="playground_theta.npz", dpi=None, plan=None, moment=1, **settings):
        if plan is not None and not hasattr(plan, "moments"):
            plan = load_plan(plan, controls=self.CONTROLS)
        if isinstance(preset, str) and preset.endswith(".json"):
            preset, saved_presenter, saved_hide = load_preset_file(preset, controls=self.CONTROLS)
            presenter = saved_presenter if presenter is None else presenter
            hide = saved_hide if hide is None else hide
        if plan is not None:
            presenter = plan.presenter if presenter is None else presenter
        presenter = bool(presenter)
        super().__init__(presenter)
        self.resolution = int(resolution)
        self.export_path = export_path
        self.dpi = dpi or (72 if presenter else 80)
        self.plan, self.moment = plan, None
        self.pg = PlaygroundState(preset if plan is None else plan.moments[self._moment_number(moment) - 1].state,
                                  **settings)
        self.exported = None
        self.playing = False
        self.frames = 0
        self._task = None
        self._views, self._shapes = {}, {}
        self._D_norms = None                     # ||D(l)|| per layer while the gradients are shown
        self._build_controls(epochs_per_frame)
        self._bind()
        self._finish(self._build_layout(), () if hide is None else hide)
        self._hide_given = hide                 # a plan's moments hide their own controls unless hide= is given
        self.add_class("bpc-playground")
        self.pg.observe(lambda change: self.redraw(), names="changes")
        if plan is not None:
            self._show_moment(self._moment_number(moment))
        self.redraw()

    @classmethod
    def from_query(cls, query="", **kwargs):
        """A playground configured by a page address's query, e.g. ``"preset=lr-too-high&presenter=1&hide=output"``.

        Under voila the page's query string reaches the kernel as the ``QUERY_STRING`` environment
        variable, so ``Playground.from_query(os.environ.get("QUERY_STRING", ""))`` lets a lecturer
        open ``http://127.0.0.1:8866/?preset=lr-too-high&presenter=1`` straight at a prepared moment.

        Keys:

        - ``preset``: a name from ``PRESETS``, or a ``.json`` file saved with ``save_preset`` (its
          presenter mode and hidden controls too);
        - ``plan`` and ``moment``: a lecture plan (``.toml``) and the moment to open at (from 1);
        - ``presenter`` (1/true/yes/on) and ``hide`` (control names, comma-separated);
        - any playground setting, applied over the preset: ``alpha=0.03&optimizer=adam&hidden=8,8``.

        Files are the ones ``backprop-course demo`` was given, or bare file names in the notebook's
        folder (:func:`backprop_course.plan.find_demo_file`). A bad value does not break the page:
        the playground opens without it and says what was wrong.
        """
        from urllib.parse import parse_qs

        params = {k: v[-1] for k, v in parse_qs(query or "", keep_blank_values=True).items()}
        problems = []
        presenter = params.pop("presenter", "").lower() in ("1", "true", "yes", "on") or None
        hide = tuple(h for h in params.pop("hide", "").split(",") if h) or None
        preset, plan = params.pop("preset", "") or None, params.pop("plan", "") or None
        moment = params.pop("moment", "1")
        unknown = set(params) - set(DEFAULTS)
        if unknown:
            problems.append(str(unknown_names_error("address key", unknown, ["preset", "plan", "moment", "presenter",
                                                                                 "hide", *DEFAULTS])))
        settings = {k: _query_value(v) for k, v in params.items() if k in DEFAULTS}
        base = None
        if preset is not None and preset not in PRESETS:
            path = find_demo_file(preset, ".json")
            try:
                if path is None:
                    raise PlanError(f"unknown preset {preset!r}: the presets are {sorted(PRESETS)}, or a .json file "
                                    f"given to backprop-course demo or lying in the notebook's folder")
                base, saved_presenter, saved_hide = load_preset_file(path, controls=cls.CONTROLS)
                presenter = saved_presenter if presenter is None else presenter
                hide = saved_hide if hide is None else hide
            except PlanError as exc:
                problems.append(str(exc).rstrip("."))
            preset = base
        if settings:
            try:
                check_state(settings, base=PRESETS.get(preset) if isinstance(preset, str) else base)
            except (TypeError, ValueError) as exc:
                problems.append(f"the settings in the address: {exc}".rstrip("."))
                settings = {}
        if plan is not None:
            path = find_demo_file(plan, ".toml")
            try:
                if path is None:
                    raise PlanError(f"no lecture plan {plan!r}: give it to backprop-course demo --plan, "
                                    f"or put it in the notebook's folder")
                plan = load_plan(path, controls=cls.CONTROLS)
            except PlanError as exc:
                problems.append(str(exc).rstrip("."))
                plan = None
        try:
            moment = int(moment)
        except ValueError:
            problems.append(f"moment must be a number from 1; got {moment!r}")
            moment = 1
        bad = [h for h in hide or () if h not in cls.CONTROLS]
        if bad:
            problems.append(str(unknown_names_error("control", bad, cls.CONTROLS)).rstrip("."))
            hide = tuple(h for h in hide if h in cls.CONTROLS)
        if plan is not None and not 1 <= moment <= len(plan.moments):
            problems.append(f"moment {moment} is not in the plan, which has moments 1 to {len(plan.moments)}")
            moment = 1
        widget = cls(preset=preset, presenter=presenter, hide=hide, plan=plan, moment=moment, **settings, **kwargs)
        if problems:
            widget._say("⚠ address: " + "; ".join(problems), error=True)
        elif isinstance(preset, str) and preset in PRESET_DESCRIPTIONS and plan is None:
            widget._say(f"preset <b>{preset}</b>: {PRESET_DESCRIPTIONS[preset]}")
        return widget

    # -- construction ---------------------------------------------------------------------------

    def _build_controls(self, epochs_per_frame):
        W = widgets
        width = "auto" if self.presenter else "300px"

        def wide():  # a Layout per control: a shared one would hide them all together
            return W.Layout(width=width)

        style = {"description_width": "110px" if not self.presenter else "150px"}
        c = {}
        c["preset"] = W.Dropdown(options=[("(choose a preset)", "")] + [(n, n) for n in PRESETS], value="",
                                 description="preset", layout=wide(), style=style)
        c["data"] = W.Dropdown(options=list(DATASETS), description="data", layout=wide(), style=style)
        c["noise"] = W.FloatSlider(min=0.0, max=0.5, step=0.05, description="noise", continuous_update=False,
                                   layout=wide(), style=style)
        c["test_fraction"] = W.FloatSlider(min=0.0, max=0.8, step=0.05, description="test share",
                                           continuous_update=False, layout=wide(), style=style)
        small = "150px" if self.presenter else "135px"
        self._point = {
            "x1": W.FloatText(value=0.0, description="x₁", layout=W.Layout(width=small),
                              style={"description_width": "30px"}),
            "x2": W.FloatText(value=0.0, description="x₂", layout=W.Layout(width=small),
                              style={"description_width": "30px"}),
            "label": W.Dropdown(options=[0, 1], value=1, description="class", layout=W.Layout(width=small),
                                style={"description_width": "50px"}),
            "button": W.Button(description="add point", icon="plus", layout=W.Layout(width=small)),
        }
        c["add_point"] = W.VBox([W.HBox([self._point["x1"], self._point["x2"]]),
                                 W.HBox([self._point["label"], self._point["button"]])])
        c["hidden"] = W.Text(description="hidden units", placeholder="e.g. 4, 4   (empty: none)",
                             continuous_update=False, layout=wide(), style=style)
        c["activation"] = W.Dropdown(options=list(HIDDEN_ACTIVATIONS), description="activation g", layout=wide(),
                                     style=style)
        c["output"] = W.Dropdown(options=list(OUTPUTS), description="output", layout=wide(), style=style)
        c["epsilon_init"] = W.Dropdown(options=[(_INIT_LABELS[e], e) for e in INITIALIZATIONS],
                                       description="init range", layout=wide(), style=style,
                                       tooltip="initial weights uniform in [-epsilon, epsilon] (bp.init_thetas)")
        c["alpha"] = W.Dropdown(options=[(f"{a:g}", a) for a in _ALPHAS], description="alpha α", layout=wide(),
                                style=style)
        c["lambda_"] = W.Dropdown(options=[(f"{v:g}", v) for v in _LAMBDAS], description="lambda λ",
                                  layout=wide(), style=style)
        # "full batch" is batch_size None, listed as 0: a Dropdown whose value is None shows no selection
        c["batch_size"] = W.Dropdown(options=[("full batch", 0) if b is None else (str(b), b) for b in BATCH_SIZES],
                                     description="batch size", layout=wide(), style=style)
        c["optimizer"] = W.Dropdown(options=list(OPTIMIZERS), description="optimizer", layout=wide(), style=style)
        for name, values in _BETAS.items():
            c[name] = W.Dropdown(options=[(f"{v:g}", v) for v in values], description=name, style=style,
                                 layout=W.Layout(width="auto" if self.presenter else "270px"))
        c["advanced"] = W.Accordion(children=[W.VBox([
            W.HTML("<small>beta: momentum's velocity kept per step; beta1, beta2: Adam's averages of D "
                   "and of D²</small>"),
            c["beta"], c["beta1"], c["beta2"]])], titles=("advanced",), selected_index=None,
            layout=W.Layout(width="auto" if self.presenter else "310px"))
        c["epochs_per_frame"] = W.IntSlider(value=epochs_per_frame, min=1, max=50, description="epochs/frame",
                                            continuous_update=False, layout=wide(), style=style)
        c["show_gradients"] = W.Checkbox(value=False, description="show the gradients D on the edges",
                                         indent=False)
        def button():
            return W.Layout(width="auto", min_width="90px")

        c["play"] = W.Button(description="Play", icon="play", button_style="success", layout=button())
        c["pause"] = W.Button(description="Pause", icon="pause", button_style="warning", layout=button(),
                              disabled=True)
        c["step"] = W.Button(description="Step", icon="step-forward", layout=button(),
                             tooltip="train one epoch")
        c["reset"] = W.Button(description="Reset", icon="undo", layout=button(),
                              tooltip="back to the same initial Theta, epoch 0")
        c["snapshot"] = W.Button(description="Snapshot", icon="camera", layout=button())
        self._restore_choice = W.Dropdown(options=[], layout=W.Layout(width="220px"))
        self._restore_button = W.Button(description="Restore", icon="history", layout=button(), disabled=True)
        c["restore"] = W.HBox([self._restore_choice, self._restore_button])
        c["export"] = W.Button(description="Export Θ", icon="download", layout=button(),
                               tooltip="save the trained Theta to an .npz file")
        for name, control in c.items():
            self._control(name, control)
        c["preset"].observe(self._on_preset, names="value")
        c["show_gradients"].observe(lambda change: self.redraw(only=("network",)), names="value")
        c["play"].on_click(lambda _: self.play())
        c["pause"].on_click(lambda _: self.pause())
        c["step"].on_click(lambda _: self.step())
        c["reset"].on_click(lambda _: self.reset())
        c["snapshot"].on_click(lambda _: self.snapshot())
        self._restore_button.on_click(lambda _: self.restore(self._restore_choice.value))
        c["export"].on_click(lambda _: self.export())
        self._point["button"].on_click(lambda _: self.add_point(self._point["x1"].value, self._point["x2"].value,
                                                                self._point["label"].value))

    def _build_layout(self):
        W = widgets
        c = self.controls
        font = "26px" if self.presenter else "16px"
        self.status = W.HTML(layout=W.Layout(margin="2px 0 2px 0"))
        self.message = W.HTML(layout=W.Layout(min_height="1.5em"))
        self.images = {name: W.Image(format="png", layout=W.Layout(max_width="100%", height="auto"))
                       for name in ("network", "units", "boundary", "cost")}
        self._font = font
        buttons = W.HBox([c[k] for k in ("play", "pause", "step", "reset", "snapshot", "restore", "export")],
                         layout=W.Layout(flex_flow="row wrap"))

        def section(title, names):
            return W.VBox([W.HTML(f"<b>{title}</b>")] + [c[n] for n in names])

        settings = W.VBox([
            c["preset"],
            section("data", ("data", "noise", "test_fraction", "add_point")),
            section("network", ("hidden", "activation", "output", "epsilon_init")),
            section("training", ("alpha", "lambda_", "batch_size", "optimizer", "advanced", "epochs_per_frame",
                                 "show_gradients")),
        ], layout=W.Layout(width="320px" if not self.presenter else "440px", flex="0 0 auto"))
        # the four views as a 2 x 2 grid: network | boundary over units | cost; each image shrinks
        # to its cell, so the grid fits a notebook column and a projector alike
        for image in self.images.values():
            image.layout = W.Layout(max_width="100%", height="auto", object_fit="contain")
        views_grid = W.GridBox(
            [self.images["network"], self.images["boundary"], self.images["units"], self.images["cost"]],
            layout=W.Layout(grid_template_columns="repeat(2, minmax(0, 1fr))", grid_gap="4px 8px",
                            align_items="flex-start", justify_items="center", flex="1 1 0%", min_width="0"))
        body = W.HBox([settings, views_grid], layout=W.Layout(align_items="flex-start", width="100%"))
        if self.plan is None:
            return [self.status, buttons, self.message, body]
        return [self._build_plan_bar(), self.status, buttons, self.message, body]

    def _build_plan_bar(self):
        """The lecture plan's row: Previous, where we are, Next; the note; the keys' listener."""
        W = widgets

        def button(description, icon, css):
            b = W.Button(description=description, icon=icon, layout=W.Layout(width="auto", min_width="120px"),
                         tooltip=f"{description} moment (keys: {'→ PageDown n' if css == 'next' else '← PageUp p'})")
            b.add_class(f"bpc-plan-{css}")
            return b

        self.plan_previous = button("Previous", "arrow-left", "previous")
        self.plan_next = button("Next", "arrow-right", "next")
        self.plan_previous.on_click(lambda _: self.go_to_moment(self.moment - 1))
        self.plan_next.on_click(lambda _: self.go_to_moment(self.moment + 1))
        self.plan_title = W.HTML()
        self.plan_title.add_class("bpc-plan-title")
        self.plan_note = W.HTML()
        keys = W.Output(layout=W.Layout(display="none"))
        keys.outputs = ({"output_type": "display_data", "data": {"application/javascript": _PLAN_KEYS_JS},
                         "metadata": {}},)
        row = W.HBox([self.plan_previous, self.plan_title, self.plan_next],
                     layout=W.Layout(align_items="center", grid_gap="12px"))
        return W.VBox([row, self.plan_note, keys], layout=W.Layout(border_bottom="1px solid #ccc",
                                                                 padding="0 0 6px 0"))

    # -- a lecture plan ----------------------------------------------------------------------------------

    def go_to_moment(self, number):
        """Show the plan's moment `number` (from 1, clamped): its state, its hidden controls, its title and note."""
        if self.plan is None:
            raise ValueError("this playground has no lecture plan; make it with Playground(plan='lecture.toml').")
        number = self._moment_number(number)
        self.pause()
        self.pg.set_state(self.plan.moments[number - 1].state)
        return self._show_moment(number)

    def _moment_number(self, number):
        return max(1, min(len(self.plan.moments), int(number)))

    def _show_moment(self, number):
        """The plan bar and the hidden controls for moment `number` (its state is already set)."""
        count = len(self.plan.moments)
        moment = self.plan.moments[number - 1]
        self.moment = number
        if self._hide_given is None:
            self.hidden_controls = self.hide(moment.hide)
        font = self._font
        self.plan_title.value = (f"<span style='font-size:{font}'><b>{self.plan.title}</b> &nbsp;·&nbsp; moment "
                                 f"<span class='bpc-moment'>{number}</span> of {count}: "
                                 f"<b class='bpc-moment-title'>{moment.title}</b></span>")
        self.plan_note.value = f"<span style='font-size:{font}'>{moment.note}</span>" if moment.note else ""
        self.plan_previous.disabled = number == 1
        self.plan_next.disabled = number == count
        self.message.value = ""
        return moment

    # -- display ------------------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        # a short, stable text form (stored outputs and nbval compare it), not the widget tree
        s = self.pg.state()
        bundle["text/plain"] = (f"Playground(data={s['data']!r}, hidden={s['hidden']}, activation={s['activation']!r}, "
                                f"alpha={s['alpha']:g}, lambda_={s['lambda_']:g}, epoch={self.pg.epoch})")
        return bundle

    # -- state, presets -------------------------------------------------------------------------------

    def state(self):
        """The playground's settings and epoch, JSON-serializable (see :meth:`PlaygroundState.state`)."""
        return self.pg.state()

    def set_state(self, state):
        """Restore a state: data, network, settings, and the epoch it had trained to."""
        self.pause()
        self.pg.set_state(state)
        self.message.value = ""

    def apply_preset(self, preset):
        """Jump to a prepared moment: a name from ``PRESETS``, a state dict or a saved ``.json`` file."""
        state = apply_preset(self, preset)
        if isinstance(preset, str) and preset in PRESET_DESCRIPTIONS:
            self._say(f"preset <b>{preset}</b>: {PRESET_DESCRIPTIONS[preset]}")
        return state

    def _on_preset(self, change):
        if not change["new"]:
            return                                  # the menu going back to "(choose a preset)"
        self.apply_preset(change["new"])
        self.controls["preset"].value = ""           # ready for the next preset

    # -- controls <-> logic ----------------------------------------------------------------------------

    def _bind(self):
        """Join every setting control to the model's trait of the same name.

        The lists of alpha and lambda learn any value the model takes (a preset may use one they lack)
        as the link shows it. Data and hidden units go through :meth:`update`, which explains a
        setting the model refuses and puts the control back.
        """
        pg, c = self.pg, self.controls
        self._links = [traitlets.link((pg, name), (c[name], "value"))
                       for name in ("noise", "test_fraction", "activation", "output")]
        # a new list of options resets a Dropdown's value: done inside the link's update, whose guard
        # keeps that passing value from flowing back into the model
        self._links += [traitlets.link((pg, name), (c[name], "value"),
                                       transform=(lambda value, name=name: self._offer(name, value), lambda v: v))
                        for name in ("alpha", "lambda_")]
        # "full batch" is batch_size None, listed as 0: a Dropdown whose value is None shows no selection
        self._links.append(traitlets.link((pg, "batch_size"), (c["batch_size"], "value"),
                                          transform=(lambda b: b or 0, lambda b: b or None)))
        self._links += [traitlets.link((pg, name), (c[name], "value"),
                                       transform=(lambda value, name=name: self._offer(name, value), lambda v: v))
                        for name in ("epsilon_init", *_BETAS)]
        self._links.append(traitlets.link((pg, "optimizer"), (c["optimizer"], "value")))
        pg.observe(lambda change: self._grey_out_betas(), names="optimizer")
        self._grey_out_betas()
        shown = {"data": lambda data: data, "hidden": lambda hidden: ", ".join(str(n) for n in hidden)}
        for name, show in shown.items():
            c[name].value = show(getattr(pg, name))
            pg.observe(lambda change, name=name, show=show: setattr(c[name], "value", show(change["new"])),
                       names=name)
            c[name].observe(lambda change, name=name: self.update(**{name: change["new"]}), names="value")
        pg.observe(lambda change: self._offer_classes(), names="changes")
        self._offer_classes()

    def _offer(self, name, value):
        """Make sure the dropdown `name` lists `value`; returns `value`."""
        options = list(self.controls[name].options)
        if value not in [v for _, v in options]:
            self.controls[name].options = _with_value(options, value)
        return value

    def _grey_out_betas(self):
        """Only the chosen optimizer's decay rates can be changed; the others are greyed out."""
        for name, owner in _BETA_OWNER.items():
            self.controls[name].disabled = self.pg.optimizer != owner

    def _offer_classes(self):
        classes = list(range(max(self.pg.classes, 2)))
        if list(self._point["label"].options) != classes:
            self._point["label"].options = classes

    def update(self, **settings):
        """Change settings as the controls do (see :meth:`PlaygroundState.update`); say why if refused."""
        try:
            self.pg.update(**settings)
        except (TypeError, ValueError) as exc:
            for name in ("data", "hidden"):          # the typed or chosen value goes back to the model's
                if name in settings:
                    self.controls[name].value = ", ".join(map(str, self.pg.hidden)) if name == "hidden" \
                        else self.pg.data
            self._say(f"⚠ {exc}", error=True)
            return
        self.message.value = ""

    def add_point(self, x1, x2, label):
        """Add one of your own points (the data becomes "custom", training starts over)."""
        try:
            self.pg.add_point(x1, x2, label)
        except (TypeError, ValueError) as exc:
            self._say(f"⚠ {exc}", error=True)
            return
        self._say(f"added the point ({x1:g}, {x2:g}) of class {label}; {self.pg.X.shape[1]} points now")

    def set_points(self, X, labels):
        """Train on your own points: X of shape (2, m), labels of shape (m,)."""
        self.pg.set_points(X, labels)

    def _say(self, html, error=False):
        color = "#D55E00" if error else "#333333"
        self.message.value = f"<span style='color:{color}; font-size:{self._font}'>{html}</span>"

    # -- training ------------------------------------------------------------------------------------------

    def step(self, n_epochs=1):
        """Train `n_epochs` epochs (the Step button trains one); the views redraw when the model changes."""
        self.pg.step(n_epochs)

    def reset(self):
        """Back to the same initial Theta, epoch 0 (a fair start for comparing settings)."""
        self.pause()
        self.pg.reset()
        self.message.value = ""

    def play(self):
        """Start training in the background on the running asyncio loop; returns the task (or None)."""
        if self.playing:
            return self._task
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self._say("⚠ Play needs a running event loop (a Jupyter kernel or voila); "
                      "use Step, or pg.step(n) from code.", error=True)
            return None
        if self.pg.diverged:
            self._say("⚠ training diverged; press Reset (and lower alpha) first.", error=True)
            return None
        self.playing = True
        self._set_playing_buttons()
        self._task = loop.create_task(self._play_loop())
        return self._task

    def pause(self):
        """Stop playing after the current chunk (the epoch counter stops)."""
        self.playing = False
        self._set_playing_buttons()
        if self._views:
            self._show_status()

    def _set_playing_buttons(self):
        self.controls["play"].disabled = self.playing
        self.controls["pause"].disabled = not self.playing

    async def _play_loop(self, frame_interval=0.04):
        """Train a few epochs, redraw, yield to the event loop; repeat until paused."""
        try:
            while self.playing:
                started = time.perf_counter()
                self.pg.step(self.controls["epochs_per_frame"].value)      # redraws through pg.changes
                if self.pg.diverged:
                    self.pause()
                    break
                # Yield so the kernel handles waiting comm messages (Pause, slider changes) and
                # the browser gets time to show the frame; aim for at most 25 frames a second.
                await asyncio.sleep(max(0.005, frame_interval - (time.perf_counter() - started)))
        except Exception as exc:  # shown, not swallowed: a background task's error is otherwise invisible
            self.pause()
            self._say(f"⚠ training stopped: {type(exc).__name__}: {exc}", error=True)
            raise

    # -- snapshots and export ---------------------------------------------------------------------------

    def snapshot(self, name=None):
        """Keep the current state (weights and history) under a name, for Restore."""
        name = self.pg.snapshot(name)
        self._restore_choice.options = list(self.pg.snapshots)
        self._restore_choice.value = name
        self._restore_button.disabled = False
        self._say(f"kept <b>{name}</b>")
        return name

    def restore(self, name=None):
        """Return to a snapshot (the latest when `name` is None)."""
        self.pause()
        self.pg.restore(name)
        self._say(f"restored <b>{name or list(self.pg.snapshots)[-1]}</b>")

    def export(self, path=None):
        """Write the trained Theta to `path` (default ``export_path``) and keep it in ``.exported``."""
        path = path or self.export_path
        self.exported = self.pg.export_theta(path)
        self._say(f"saved Θ (epoch {self.pg.epoch}, layer sizes {self.pg.sizes}) to <code>{path}</code>")
        return self.exported

    # -- drawing ------------------------------------------------------------------------------------------

    def _layer_ranges(self, maps):
        L = len(self.pg.Theta) + 1
        ranges = {l: views.activation_range(self.pg.activation, maps[l]) for l in maps}
        ranges[L] = (0.0, 1.0)
        return ranges

    # Each view is made once for what fixes its shape (its key) and then only updated: new data of
    # the same classes moves the points, training restyles the edges and repaints the maps.
    def _view_keys(self):
        pg = self.pg
        return {"boundary": (pg.K, pg.classes, pg.X_test.shape[1] > 0, self.resolution),
                "cost": (),
                "network": tuple(pg.sizes),
                "units": (tuple(pg.sizes), self.resolution)}

    def _make_view(self, name, maps):
        """Make the figure of view `name` for the current data and network shape; returns (LiveFigure, Axes)."""
        pg, presenter = self.pg, self.presenter
        scale = 1.45 if presenter else 1.0
        L = len(pg.Theta) + 1
        with presenter_style(presenter):
            if name == "boundary":
                x1, x2, _ = pg.grid(self.resolution)
                fig = new_figure(5.2 * scale, 4.4 * scale, presenter=presenter)
                ax = views.plot_decision_boundary(x1, x2, self._decision(maps), pg.X_train, pg.labels_train,
                                                  ax=fig.add_subplot(), X_test=pg.X_test, labels_test=pg.labels_test,
                                                  presenter=presenter)
                return LiveFigure(fig, lambda: [*ax.images, *ax.collections], dpi=self.dpi), ax
            if name == "cost":
                fig = new_figure(5.2 * scale, 3.2 * scale, presenter=presenter)
                ax = plot_cost_curves({"": pg.history}, ax=fig.add_subplot(), log=False, title="cost J",
                                      presenter=presenter, live=True)
                return LiveFigure(fig, lambda: list(ax.lines), dpi=self.dpi), ax
            if name == "network":
                # keep draw_network's proportions (units 2.1 apart, layers 3.6 apart) within a size budget
                tallest = max(pg.sizes) + 1
                data_w, data_h = LAYER_GAP * (len(pg.sizes) - 1) + 2.2, UNIT_GAP * tallest + 2.7
                zoom = min(0.4, 4.4 / data_h, 5.2 / data_w)
                fig = new_figure(max(data_w * zoom, 3.8) * scale, (data_h * zoom + 0.3) * scale, presenter=presenter)
                ax = draw_network(pg.sizes, pg.Theta, ax=fig.add_subplot(), presenter=presenter,
                                  title="weights Θ (blue +, vermillion −)")
                # the units stay in the still background; the edges (which stop at the units) and the title change
                return LiveFigure(fig, lambda: [*ax.network.dynamic(), ax.title], dpi=self.dpi), ax
            rows = min(max(pg.sizes[1:]), 8)
            fig = new_figure(min(1.1 * (L - 1) + 0.6, 5.2) * scale, min(0.85 * rows + 0.9, 3.6) * scale,
                             presenter=presenter)
            ax = views.plot_neuron_heatmaps({l: maps[l] for l in range(2, L + 1)}, self._layer_ranges(maps),
                                            ax=fig.add_subplot(), presenter=presenter)
            return LiveFigure(fig, lambda: list(ax.images), dpi=self.dpi), ax

    def _decision(self, maps):
        out = maps[len(self.pg.Theta) + 1]
        return out[0] if self.pg.K == 1 else out

    def redraw(self, only=None):
        """Update the views and the status line from the current state (fast: only changed artists).

        `only` names the views to update (default: all four).
        """
        pg = self.pg
        maps = pg.grid_activations(self.resolution)
        keys = self._view_keys()
        for name, key in keys.items():
            if self._shapes.get(name) != key:
                self._views[name] = self._make_view(name, maps)
                self._shapes[name] = key
        names = tuple(keys) if only is None else tuple(only)
        show_D = self.controls["show_gradients"].value and not pg.diverged
        D = pg.gradient() if show_D else None
        self._D_norms = None if D is None else gradient_norms(D)
        if "boundary" in names:
            x1, x2, _ = pg.grid(self.resolution)
            views.update_decision_boundary(self._views["boundary"][1], x1, x2, self._decision(maps),
                                           presenter=self.presenter, X=pg.X_train, labels=pg.labels_train,
                                           X_test=pg.X_test if pg.X_test.shape[1] else None,
                                           labels_test=pg.labels_test)
        if "cost" in names:
            update_cost_curves(self._views["cost"][1], {"": pg.history})
        if "network" in names:
            net_ax = self._views["network"][1]
            net_ax.network.restyle(edge_values=D if show_D else pg.Theta)
            # set_text keeps the title's (presenter) font size, which set_title outside the style would reset
            net_ax.title.set_text("gradient D (blue +, vermillion −)" if show_D else
                                  "weights Θ (blue +, vermillion −)")
        if "units" in names:
            L = len(pg.Theta) + 1
            views.update_neuron_heatmaps(self._views["units"][1], {l: maps[l] for l in range(2, L + 1)},
                                         self._layer_ranges(maps))
        for name in names:
            self.images[name].value = self._views[name][0].png()
        self._show_status()
        self.frames += 1

    def figure(self):
        """A static picture of the four views (network, units, boundary, cost) as one Figure.

        For printed notes and for notebooks read without a kernel (the live views need one).
        """
        pg, presenter = self.pg, self.presenter
        maps = pg.grid_activations(self.resolution)
        x1, x2, _ = pg.grid(self.resolution)
        L = len(pg.Theta) + 1
        with presenter_style(presenter):
            fig = new_figure(17.0 * (1.3 if presenter else 1.0), 4.4 * (1.3 if presenter else 1.0),
                             presenter=presenter)
            grid = fig.add_gridspec(1, 4, width_ratios=[1.5, 0.9, 1.2, 1.3])
            draw_network(pg.sizes, pg.Theta, ax=fig.add_subplot(grid[0]), presenter=presenter,
                         title=f"the network at epoch {pg.epoch}: Θ")
            views.plot_neuron_heatmaps({l: maps[l] for l in range(2, L + 1)}, self._layer_ranges(maps),
                                       ax=fig.add_subplot(grid[1]), presenter=presenter)
            views.plot_decision_boundary(x1, x2, self._decision(maps), pg.X_train, pg.labels_train,
                                         ax=fig.add_subplot(grid[2]), X_test=pg.X_test, labels_test=pg.labels_test,
                                         presenter=presenter)
            plot_cost_curves({"": pg.history}, ax=fig.add_subplot(grid[3]), log=False, title="cost J",
                             presenter=presenter, live=True)
        return fig

    def _show_status(self):
        pg = self.pg
        train_acc, test_acc = pg.accuracy()
        test = "" if np.isnan(pg.test_cost) else f" &nbsp;(test {pg.test_cost:.3f})"
        acc = f"{100 * train_acc:.0f}%" + ("" if np.isnan(test_acc) else f" / test {100 * test_acc:.0f}%")
        state = "▶ playing" if self.playing else "paused"
        line = (f"<span style='font-size:{self._font}'><b>epoch <span class='bpc-epoch'>{pg.epoch}</span></b>"
                f" &nbsp;·&nbsp; J = <span class='bpc-cost'>{pg.cost:.4f}</span>{test}"
                f" &nbsp;·&nbsp; accuracy {acc} &nbsp;·&nbsp; {state}</span>")
        if self._D_norms is not None:
            # how large each layer's gradient is: in a deep sigmoid network the first ones vanish
            sizes = " &nbsp;·&nbsp; ".join(f"‖D<sup>({l})</sup>‖ = {n:.1e}" for l, n in enumerate(self._D_norms, 1))
            line += f"<br><span class='bpc-gradient-norms' style='font-size:{self._font}'>{sizes}</span>"
        if pg.diverged:
            line += f"<br><span style='color:#D55E00; font-size:{self._font}'>⚠ {pg.diverged}</span>"
        self.status.value = line


Playground.__doc__ += "\n    Presets\n    -------\n" + "\n".join(
    f"    ``{name}``: {text}" for name, text in PRESET_DESCRIPTIONS.items())
