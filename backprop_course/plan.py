"""A lecture plan: the moments of a lecture, in order, for the playground to step through.

A plan is a TOML file. Each ``[[moment]]`` names a preset (a built-in one or a ``.json`` file saved
with :func:`backprop_course.widgets.presenter.save_preset`) and/or playground settings; a moment that
names no preset starts from the previous moment's settings. Every moment becomes a full playground
state when the plan is read, so going back and forth always shows the same weights::

    title = "Lecture 6: training a network"
    presenter = true                     # projector mode (optional, default false)
    hide = ["output", "add_point"]       # controls hidden in every moment (optional)

    [[moment]]
    title = "XOR needs a hidden layer"
    preset = "xor-no-hidden"
    note = "A straight line cannot separate XOR: J stalls at log 2."

    [[moment]]
    title = "too large a step"
    preset = "default"
    alpha = 10                           # any playground setting, e.g. alpha, optimizer, hidden
    epoch = 40                           # train this many epochs before showing it (default 0)

``docs/lecture.toml`` in the repository is a whole lecture. :func:`load_plan` checks everything
(the TOML, each key, each setting's value, the preset names and files) and says which moment is
wrong and how, so a mistake shows on the instructor's terminal, not on the projector.

``backprop-course demo --plan lecture.toml`` serves a plan; the page address names it
(``?plan=lecture.toml&moment=2``). The command hands the files it was given to the page's kernel in
the environment variable :data:`DEMO_FILES` (their absolute paths); the kernel opens only those, or a
bare file name in its own folder.
"""

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .playground import DEFAULTS, PRESETS, check_state, unknown_names_error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Moment", "Plan", "PlanError", "load_plan", "read_preset_file", "load_preset_file", "find_demo_file",
           "DEMO_FILES"]

# The environment variable through which `backprop-course demo` names the preset and plan files it was
# given (absolute paths, separated by os.pathsep) to the kernel that runs the page.
DEMO_FILES = "BACKPROP_COURSE_DEMO_FILES"

_PLAN_KEYS = ("title", "presenter", "hide", "moment")
_MOMENT_KEYS = ("title", "note", "preset", "hide")


class PlanError(ValueError):
    """A lecture plan or preset file that cannot be used, with where and why."""


@dataclass
class Moment:
    """One moment of a lecture: a full playground state and what the page says and hides."""

    title: str
    state: dict
    note: str = ""
    hide: tuple = ()


@dataclass
class Plan:
    """A lecture plan read by :func:`load_plan`."""

    path: Path
    title: str
    moments: list
    presenter: bool = False
    hide: tuple = field(default_factory=tuple)

    @property
    def name(self):
        """The file name the page address uses (``?plan=NAME``)."""
        return self.path.name


def read_preset_file(path):
    """A preset file written by ``save_preset``, any widget's: (widget name or None, state, presenter, hide).

    The file holds ``{"widget": NAME, "state": {...}, "presenter": bool, "hide": [names]}``; a bare
    state dict (older files) gives None for the widget, presenter and hide. The state is not checked here.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PlanError(f"cannot read the preset file {path}: {exc.strerror or exc}.") from None
    except json.JSONDecodeError as exc:
        raise PlanError(f"{path} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); "
                        f"save presets with save_preset(widget, path).") from None
    if not isinstance(data, dict):
        raise PlanError(f"{path} must hold a JSON object (a saved widget state); it holds {type(data).__name__}.")
    if "state" not in data:
        return None, data, None, None
    widget, state, presenter, hide = data.get("widget"), data["state"], data.get("presenter"), data.get("hide")
    if not isinstance(state, dict):
        raise PlanError(f"{path}: 'state' must be a JSON object of settings; got {state!r}.")
    if not isinstance(presenter, (bool, type(None))):
        raise PlanError(f"{path}: 'presenter' must be true or false; got {presenter!r}.")
    if hide is not None and not (isinstance(hide, list) and all(isinstance(h, str) for h in hide)):
        raise PlanError(f"{path}: 'hide' must be a list of control names; got {hide!r}.")
    return widget, state, presenter, (tuple(hide) if hide is not None else None)


def load_preset_file(path, controls=None):
    """A playground preset saved with ``save_preset``, checked: (full state, presenter or None, hide or None).

    `controls`, when given, are the names ``hide`` may use.
    """
    widget, state, presenter, hide = read_preset_file(path)
    if widget not in (None, "Playground"):
        raise PlanError(f"{path} was saved from a {widget}, not from the playground.")
    try:
        state = check_state(state)
    except (TypeError, ValueError) as exc:
        raise PlanError(f"{path}: {exc}") from None
    if hide is not None:
        hide = _check_hide(path, list(hide), controls)
    return state, presenter, hide


def _check_hide(where, hide, controls):
    if isinstance(hide, str):
        hide = [h for h in hide.split(",") if h]
    if not isinstance(hide, list) or not all(isinstance(h, str) for h in hide):
        raise PlanError(f"{where}: 'hide' must be a list of control names such as [\"output\", \"batch_size\"]; "
                        f"got {hide!r}.")
    if controls is not None:
        unknown = set(hide) - set(controls)
        if unknown:
            raise PlanError(f"{where}: {unknown_names_error('control', unknown, list(controls))}")
    return tuple(hide)


def load_plan(path, controls=None):
    """Read and check a lecture plan (TOML); every moment becomes a full playground state.

    Parameters
    ----------
    path : str or Path
    controls : sequence of str, optional
        The names ``hide`` may use (``Playground.CONTROLS``); unchecked when None.

    Returns
    -------
    Plan

    Raises
    ------
    PlanError
        Naming the file, the moment (number and title) and the problem, with the closest names for
        a misspelt key, setting, preset or control.
    """
    path = Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise PlanError(f"cannot read the plan {path}: {exc.strerror or exc}.") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(f"{path} is not valid TOML: {exc}.") from None
    unknown = set(data) - set(_PLAN_KEYS)
    if unknown:
        hint = " (a moment's settings go under its [[moment]] header)" if unknown & set(DEFAULTS) else ""
        raise PlanError(f"{path}: {unknown_names_error('plan key', unknown, list(_PLAN_KEYS))}{hint}")
    title = data.get("title", path.stem)
    presenter = data.get("presenter", False)
    if not isinstance(presenter, bool):
        raise PlanError(f"{path}: 'presenter' must be true or false; got {presenter!r}.")
    hide = _check_hide(path, data.get("hide", []), controls)
    raw = data.get("moment")
    if not isinstance(raw, list) or not raw or not all(isinstance(m, dict) for m in raw):
        raise PlanError(f"{path} has no moments: add at least one [[moment]] table with a preset or settings.")
    moments, previous = [], None
    for number, entry in enumerate(raw, start=1):
        label = entry.get("title") or entry.get("preset") or f"moment {number}"
        where = f"{path}, moment {number} ({label!r})"
        moments.append(_moment(where, entry, previous, hide, path.parent, controls, label))
        previous = moments[-1].state
    return Plan(path=path.resolve(), title=str(title), moments=moments, presenter=presenter, hide=hide)


def _moment(where, entry, previous, plan_hide, folder, controls, label):
    """One [[moment]] entry as a Moment: its preset (or the previous moment's settings) changed by its settings."""
    unknown = set(entry) - set(_MOMENT_KEYS) - set(DEFAULTS)
    if unknown:
        raise PlanError(f"{where}: {unknown_names_error('key', unknown, [*_MOMENT_KEYS, *DEFAULTS])}")
    for key in ("title", "note", "preset"):
        if key in entry and not isinstance(entry[key], str):
            raise PlanError(f"{where}: {key!r} must be text; got {entry[key]!r}.")
    settings = {key: value for key, value in entry.items() if key in DEFAULTS}
    hide = plan_hide
    preset = entry.get("preset")
    if preset is None:
        base = {**(previous or DEFAULTS), "epoch": 0}
    elif preset.endswith(".json"):
        try:
            base, _, file_hide = load_preset_file(folder / preset, controls)
        except PlanError as exc:
            raise PlanError(f"{where}: {exc}") from None
        hide = plan_hide if file_hide is None else file_hide
    elif preset in PRESETS:
        base = PRESETS[preset]
    else:
        raise PlanError(f"{where}: {unknown_names_error('preset', [preset], list(PRESETS))} "
                        f"A saved preset is a file name ending in .json, relative to the plan.")
    if "hide" in entry:
        hide = _check_hide(where, entry["hide"], controls)
    try:
        state = check_state(settings, base=base)
    except (TypeError, ValueError) as exc:
        raise PlanError(f"{where}: {exc}") from None
    return Moment(title=label, state=state, note=entry.get("note", ""), hide=hide)


def find_demo_file(name, suffix):
    """The file a page address names (``?preset=NAME.json``, ``?plan=NAME.toml``), or None.

    Only two places are looked at: the files ``backprop-course demo`` was given (the environment
    variable :data:`DEMO_FILES`), matched by file name, and a bare file name in the current folder
    (the kernel's: the notebook's folder). A path with folders in it is never opened from an address.
    """
    if not name.endswith(suffix) or os.path.basename(name) != name or name in ("", ".", ".."):
        return None
    for given in os.environ.get(DEMO_FILES, "").split(os.pathsep):
        if given and os.path.basename(given) == name and os.path.isfile(given):
            return Path(given)
    here = Path.cwd() / name
    return here if here.is_file() else None
