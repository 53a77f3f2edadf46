"""An assignment as configuration: which exercises, their points, time limits, visibility and private cases.

One file, ``assignment.toml`` (``exercises/assignment.example.toml`` shows every key), read by
``backprop-course grade``, ``grade-all``, ``gradescope-bundle`` (``--assignment PATH``) and by
``check(..., assignment=PATH)`` in a notebook::

    name = "Homework 2: backpropagation"
    exercises = ["ex05_deltas", "ex06_backprop_loop"]
    time_limit = 20                      # seconds per exercise

    [points]                             # optional; 10 each by default
    ex05_deltas = 20
    ex06_backprop_loop = 30

    [visibility]                         # optional; Gradescope's values
    default = "after_due_date"

Everything is checked when the file is loaded, before anything is graded: an unknown key, an
exercise that does not exist, points that are not a positive number, an unknown visibility, a time
limit out of range, a private case that is malformed or that the reference itself cannot pass. Each
is an :class:`AssignmentError` that names the file, the key and what is allowed.

Points: an exercise's checks keep their proportions (type and shape 2, fixed cases 3, random cases 3,
properties 2, plus the private cases' own points) and are scaled so that they add up to the
exercise's points. Without an assignment file every exercise is worth its ``Exercise.points`` (10).
"""

import copy
import difflib
import hashlib
import json
import math
from datetime import datetime
from pathlib import Path

import numpy as np

import backprop_course as bp

from .cases import BY_NAME, EXERCISE_NAMES, EXERCISES, Case, Check, batch_data, get

VISIBILITIES = ("visible", "hidden", "after_due_date", "after_published")
GROUPS = ("type and shape", "fixed cases", "random cases", "properties", "private cases")
DEFAULT_TIME_LIMIT = 20.0
MAX_TIME_LIMIT = 600.0
KEYS = ("name", "exercises", "time_limit", "time_limits", "points", "visibility", "due", "extra_cases")
CASE_KEYS = ("exercise", "about", "points", "sizes", "m", "seed", "scale", "batch_size", "n", "K")


class AssignmentError(ValueError):
    """An assignment file that cannot be used; the message names the file, the key and the fix."""


def _closest(word, choices):
    near = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.5)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _positive(where, value, high=math.inf):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or \
            not 0 < value <= high:
        limit = f" and at most {high:g}" if high < math.inf else ""
        raise AssignmentError(f"{where} must be a number greater than 0{limit}; got {value!r}.")
    return float(value)


def _exercise(where, name):
    if name in BY_NAME:
        return name
    raise AssignmentError(f"{where}: there is no exercise {name!r}{_closest(name, EXERCISE_NAMES)}; the exercises are "
                          f"{', '.join(EXERCISE_NAMES)}.")


def _visibility(where, value):
    if value not in VISIBILITIES:
        raise AssignmentError(f"{where} must be one of {', '.join(VISIBILITIES)} (Gradescope's values); got "
                              f"{value!r}{_closest(value, VISIBILITIES)}.")
    return value


def _group(word):
    """A kind of check as written in the file ("fixed cases" or "fixed_cases") -> its name, or None."""
    word = str(word).replace("_", " ")
    return word if word in GROUPS else None


def _read(path, what="the assignment file"):
    """The file's data: TOML (.toml) or JSON (.json)."""
    path = Path(path)
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise AssignmentError(f"cannot read {what} {path} ({exc.strerror}).") from None
    if path.suffix == ".json":
        try:
            return json.loads(text)
        except ValueError as exc:
            raise AssignmentError(f"{path} is not valid JSON: {exc}.") from None
    try:
        import tomllib
    except ModuleNotFoundError:                 # Python 3.10
        try:
            import tomli as tomllib
        except ModuleNotFoundError:
            raise AssignmentError(f"reading {path} needs Python 3.11 or newer, or the tomli package on Python "
                                  f"3.10 (pip install tomli); a .json file with the same keys works too.") from None
    try:
        return tomllib.loads(text.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssignmentError(f"{path} is not valid TOML: {exc}.") from None


class Assignment:
    """A validated assignment (see the module docstring). Build it with :func:`load` or :meth:`default`.

    Attributes
    ----------
    name : str
    exercises : tuple of str
        Exercise names, in notebook order.
    points : dict {exercise: float}
    time_limits : dict {exercise: float}
        Seconds of wall clock per exercise.
    due : datetime or None
        When the work is due (for lateness in grade-all's gradebook).
    cases : list of dict
        The private cases, validated (:meth:`extra_cases` turns them into cases and checks).
    source : str
        The file it came from ("" for the default).
    key : str
        A fingerprint of everything above: equal keys grade alike.
    """

    def __init__(self, name, exercises, points, time_limits, visibility, due=None, cases=(), source=""):
        self.name, self.exercises, self.points, self.time_limits = name, tuple(exercises), dict(points), \
            dict(time_limits)
        self.visibility, self.due, self.cases, self.source = visibility, due, [dict(c) for c in cases], source
        self.key = hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:16]

    @classmethod
    def default(cls):
        """Every exercise, worth its own points, 20 s each, every test visible: the grader without a file."""
        return cls("backprop-course exercises", EXERCISE_NAMES, {e.name: float(e.points) for e in EXERCISES},
                   {e.name: DEFAULT_TIME_LIMIT for e in EXERCISES}, {"default": "visible", "kinds": {},
                                                                      "exercises": {}})

    @property
    def total(self):
        return round(sum(self.points[e] for e in self.exercises), 6)

    def includes(self, exercise):
        return get(exercise).name in self.exercises

    def visibility_of(self, exercise, group=None):
        """Gradescope visibility of a check of kind `group` in `exercise` (None: the exercise as a whole)."""
        own = self.visibility["exercises"].get(exercise, {})
        for value in (own.get(group), own.get("default"), self.visibility["kinds"].get(group),
                      self.visibility["default"]):
            if value is not None:
                return value
        return "visible"

    def extra_cases(self, exercise, draw):
        """(cases, checks) of the private cases of `exercise`, their numbers drawn with `draw` where generated."""
        cases, checks = [], []
        for i, spec in enumerate(self.cases):
            if spec["exercise"] != exercise:
                continue
            case = _build_case(spec, i, draw)
            kind = "batches" if exercise == "ex09_minibatches" else "values"
            cases.append(case)
            checks.append(Check(f"instructor's case: {spec['about']}", "private cases", spec["points"], (case.id,),
                                kind))
        return cases, checks

    def to_json(self):
        """Everything, as plain JSON (the Gradescope bundle carries this instead of the TOML file)."""
        return {"name": self.name, "exercises": list(self.exercises), "points": self.points,
                "time_limits": self.time_limits, "visibility": self.visibility,
                "due": self.due.isoformat() if self.due else None, "cases": self.cases}

    @classmethod
    def from_json(cls, data, source=""):
        """The inverse of :meth:`to_json` (data written by this module; still checked)."""
        due = datetime.fromisoformat(data["due"]) if data.get("due") else None
        return cls(data["name"], data["exercises"], data["points"], data["time_limits"], data["visibility"], due,
                   data["cases"], source)

    def validate(self, secret=None):
        """Grade every private case against the reference (with `secret`'s numbers): raise if one fails.

        A private case is checked the way a student's answer is: the reference's own answer must pass
        its check, so a broken case fails here, when the instructor builds, never when students submit.
        """
        from .checks import CaseResult, evaluate, prepare

        for name in self.exercises:
            try:
                prep = prepare(name, secret, self)
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                raise AssignmentError(f"{self.source or 'the assignment'}: a private case of {name} cannot be "
                                      f"built: {exc}") from None
            for check in prep.checks:
                if check.group != "private cases":
                    continue
                (cid,) = check.cases
                case = prep.by_id[cid]
                want = prep.expected.get(cid)
                if want is None:                 # ex09: the library's own batches stand for the reference
                    try:
                        want = bp.minibatches(*copy.deepcopy(case.args))
                    except (ValueError, TypeError) as exc:
                        raise AssignmentError(f"{self.source or 'the assignment'}: the private case {case.about!r} "
                                              f"of {name} cannot be built: {exc}") from None
                if cid in prep.expected and not all(np.all(np.isfinite(v)) for v in _leaves(want)):
                    raise AssignmentError(f"{self.source or 'the assignment'}: the reference gives inf or nan on the "
                                          f"private case {case.about!r} of {name} (weights too large?).")
                passed, message, _ = evaluate(prep, check, {cid: CaseResult(True, want, args_after=list(case.args))})
                if not passed:
                    raise AssignmentError(f"{self.source or 'the assignment'}: the reference does not pass the "
                                          f"private case {case.about!r} of {name}: {message}")
        return self

    def __repr__(self):
        return f"<Assignment {self.name!r}: {', '.join(self.exercises)}; {self.total:g} points>"


def _leaves(value):
    """The arrays and numbers inside nested dicts, tuples and lists, as float64 arrays."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [np.asarray(value, dtype=np.float64)]


def load(path=None, secret=None):
    """The :class:`Assignment` in `path` (TOML or JSON), checked; None gives :meth:`Assignment.default`.

    `secret` (bytes) draws the generated private cases from a deployment secret when they are validated.
    """
    if path is None:
        return Assignment.default()
    if isinstance(path, Assignment):
        return path
    path = Path(path)
    data = _read(path)
    if isinstance(data, dict) and data.get("format") == "backprop-course assignment":    # written by to_json
        return Assignment.from_json(data["assignment"], str(path)).validate(secret)
    return from_dict(data, base=path.parent, source=str(path)).validate(secret)


def from_dict(data, base=Path("."), source="the assignment"):
    """An :class:`Assignment` from the file's data (a dict); `base` resolves ``extra_cases`` paths."""
    if not isinstance(data, dict):
        raise AssignmentError(f"{source} must hold keys and values (a TOML document).")
    for key in data:
        if key not in KEYS:
            raise AssignmentError(f"{source}: unknown key {key!r}{_closest(key, KEYS)}; the keys are "
                                  f"{', '.join(KEYS)}.")
    name = data.get("name", Path(source).stem)
    if not isinstance(name, str) or not name.strip():
        raise AssignmentError(f"{source}: name must be a non-empty string; got {name!r}.")
    listed = data.get("exercises", list(EXERCISE_NAMES))
    if not isinstance(listed, list) or not listed:
        raise AssignmentError(f"{source}: exercises must be a non-empty list of exercise names, e.g. "
                              f"[\"ex05_deltas\", \"ex06_backprop_loop\"]; got {listed!r}.")
    chosen = [_exercise(f"{source}: exercises", n) for n in listed]
    if len(set(chosen)) != len(chosen):
        raise AssignmentError(f"{source}: exercises lists an exercise twice: {listed!r}.")
    exercises = [n for n in EXERCISE_NAMES if n in chosen]          # notebook order
    points = {n: float(BY_NAME[n].points) for n in exercises}
    table = data.get("points", {})
    if not isinstance(table, dict):
        raise AssignmentError(f"{source}: [points] must be a table of exercise = points; got {table!r}.")
    for n, value in table.items():
        _exercise(f"{source}: [points]", n)
        if n not in exercises:
            raise AssignmentError(f"{source}: [points] gives points to {n}, which is not in exercises.")
        points[n] = _positive(f"{source}: points of {n}", value)
    limit = _positive(f"{source}: time_limit", data.get("time_limit", DEFAULT_TIME_LIMIT), MAX_TIME_LIMIT)
    limits = {n: limit for n in exercises}
    table = data.get("time_limits", {})
    if not isinstance(table, dict):
        raise AssignmentError(f"{source}: [time_limits] must be a table of exercise = seconds; got {table!r}.")
    for n, value in table.items():
        _exercise(f"{source}: [time_limits]", n)
        if n not in exercises:
            raise AssignmentError(f"{source}: [time_limits] sets a limit for {n}, which is not in exercises.")
        limits[n] = _positive(f"{source}: time limit of {n}", value, MAX_TIME_LIMIT)
    visibility = _read_visibility(data.get("visibility", {}), exercises, source)
    due = _read_due(data.get("due"), source)
    cases = []
    if data.get("extra_cases") is not None:
        where = data["extra_cases"]
        if not isinstance(where, str):
            raise AssignmentError(f"{source}: extra_cases must be the path of a TOML file of private cases.")
        path = (Path(base) / where).expanduser()
        try:
            extra = _read(path, "the private cases file")
        except AssignmentError as exc:
            raise AssignmentError(f"{source}: extra_cases: {exc}") from None
        listed = extra.get("case", []) if isinstance(extra, dict) else None
        if not isinstance(listed, list) or set(extra) - {"case"}:
            raise AssignmentError(f"{path} must hold [[case]] tables only (see exercises/assignment.example.toml).")
        cases = [_read_case(spec, i, exercises, f"{path}: case {i + 1}") for i, spec in enumerate(listed)]
    return Assignment(name.strip(), exercises, points, limits, visibility, due, cases, source)


def _read_visibility(table, exercises, source):
    if not isinstance(table, dict):
        raise AssignmentError(f"{source}: [visibility] must be a table; got {table!r}.")
    out = {"default": "visible", "kinds": {}, "exercises": {}}
    for key, value in table.items():
        where = f"{source}: visibility {key!r}"
        if key == "default":
            out["default"] = _visibility(where, value)
        elif _group(key):
            out["kinds"][_group(key)] = _visibility(where, value)
        elif key in BY_NAME:
            if key not in exercises:
                raise AssignmentError(f"{where}: {key} is not in exercises.")
            if isinstance(value, dict):
                own = {}
                for kind, v in value.items():
                    if kind != "default" and not _group(kind):
                        raise AssignmentError(f"{where}: unknown kind of check {kind!r}; use default or one of "
                                              f"{', '.join(GROUPS)}.")
                    own["default" if kind == "default" else _group(kind)] = _visibility(f"{where}.{kind}", v)
                out["exercises"][key] = own
            else:
                out["exercises"][key] = {"default": _visibility(where, value)}
        else:
            near = _closest(key, (*GROUPS, *BY_NAME))
            raise AssignmentError(f"{where}: not default, an exercise or a kind of check{near}; kinds of check: "
                                  f"{', '.join(GROUPS)}.")
    return out


def _read_due(value, source):
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise AssignmentError(f"{source}: due must be a date and time like 2025-10-14T23:59:00+02:00; got "
                                  f"{value!r}.") from None
    if not isinstance(value, datetime):
        raise AssignmentError(f"{source}: due must be a date and time like 2025-10-14T23:59:00+02:00 (a day alone "
                              f"is ambiguous); got {value!r}.")
    return value if value.tzinfo else value.astimezone()           # a naive time is this machine's local time


# -- private cases ------------------------------------------------------------------------------------

def _number_array(where, value, ndim=None):
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise AssignmentError(f"{where} must be numbers (a number or nested lists of numbers).") from None
    if ndim is not None and arr.ndim != ndim:
        raise AssignmentError(f"{where} must be a {ndim}-dimensional array; got {arr.ndim} dimensions.")
    if not np.all(np.isfinite(arr)):
        raise AssignmentError(f"{where} holds inf or nan.")
    return arr.tolist()


def _read_case(spec, index, exercises, where):
    if not isinstance(spec, dict):
        raise AssignmentError(f"{where} must be a table.")
    exercise = _exercise(f"{where}: exercise", spec.get("exercise"))
    if exercise not in exercises:
        raise AssignmentError(f"{where} is for {exercise}, which is not in exercises.")
    ex = BY_NAME[exercise]
    (func,) = ex.functions if len(ex.functions) == 1 else (spec.get("function", ex.functions[0]),)
    names = ex.args[func]
    allowed = set(CASE_KEYS) | set(names) | {"function"}
    for key in spec:
        if key not in allowed:
            raise AssignmentError(f"{where}: unknown key {key!r}{_closest(key, allowed)}; a case of {exercise} takes "
                                  f"{', '.join(sorted(allowed))}.")
    about = spec.get("about")
    if not isinstance(about, str) or not about.strip():
        raise AssignmentError(f"{where}: about must say in a few words what the case tests (students see it).")
    out = {"exercise": exercise, "function": func, "about": about.strip(),
           "points": _positive(f"{where}: points", spec.get("points", 1.0))}
    if "sizes" in spec:
        sizes = spec["sizes"]
        if not isinstance(sizes, list) or len(sizes) < 2 or not all(
                isinstance(s, int) and not isinstance(s, bool) and 1 <= s <= 100 for s in sizes):
            raise AssignmentError(f"{where}: sizes must list at least two layer sizes between 1 and 100, e.g. "
                                  f"[3, 4, 2]; got {sizes!r}.")
        if "Theta" in spec:
            raise AssignmentError(f"{where}: give either sizes (the grader draws the numbers) or Theta, not both.")
        out["sizes"] = sizes
        out["m"] = 1 if exercise == "ex05_deltas" else int(_positive(f"{where}: m", spec.get("m", 4), 1000))
        out["seed"] = spec.get("seed", index)
        out["scale"] = _positive(f"{where}: scale", spec.get("scale", 1.0), 50)
        if not isinstance(out["seed"], int) or isinstance(out["seed"], bool):
            raise AssignmentError(f"{where}: seed must be an integer.")
    for name in names:
        if name in spec:
            value = spec[name]
            if name in ("Theta", "D"):
                if not isinstance(value, dict) or not value:
                    raise AssignmentError(f"{where}: {name} must be a table of layer = matrix, e.g. "
                                          f"{name} = {{ 1 = [[0.1, 0.2, 0.3]] }}.")
                layers = {}
                for k, v in value.items():
                    if not str(k).isdigit() or int(k) < 1:
                        raise AssignmentError(f"{where}: {name} is keyed by layer numbers 1, 2, ...; got {k!r}.")
                    layers[str(int(k))] = _number_array(f"{where}: {name}[{k}]", v, ndim=2)
                out[name] = layers
            elif name in ("X", "Y") and exercise == "ex09_minibatches":
                raise AssignmentError(f"{where}: the grader draws X and Y of exercise 9 itself (from m, n and K) so "
                                      f"that every example can be traced through the batches; leave them out.")
            elif name in ("X", "Y", "x", "y"):
                out[name] = _number_array(f"{where}: {name}", value, ndim=2)
            elif name == "z":
                out[name] = _number_array(f"{where}: z", value)
            elif name in ("batch_size", "seed"):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise AssignmentError(f"{where}: {name} must be an integer; got {value!r}.")
                out[name] = value
            else:
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise AssignmentError(f"{where}: {name} must be a number; got {value!r}.")
                out[name] = float(_number_array(f"{where}: {name}", value))
        elif not _generated(out, name, exercise):
            drawn = " (or sizes to draw the network from)" if name in ("Theta", "X", "Y", "x", "y", "D") else ""
            raise AssignmentError(f"{where}: a case of {exercise} needs {name}{drawn}.")
    if exercise == "ex09_minibatches":
        out.setdefault("m", int(_positive(f"{where}: m", spec.get("m", 10), 1000)))
        for key in ("n", "K"):
            out[key] = int(_positive(f"{where}: {key}", spec.get(key, 3 if key == "n" else 2), 20))
    return out


def _generated(spec, name, exercise):
    """Whether argument `name` is drawn by the grader (from sizes, or ex09's traceable data)."""
    if exercise == "ex09_minibatches":
        return name in ("X", "Y")
    return "sizes" in spec and name in ("Theta", "X", "Y", "x", "y", "D")


def _build_case(spec, index, draw):
    """The :class:`~backprop_course.grading.cases.Case` of private case `spec` (the `index`-th of the file)."""
    exercise, func = spec["exercise"], spec["function"]
    names = BY_NAME[exercise].args[func]
    cid = f"private{index + 1}"
    given = {}
    if "sizes" in spec:
        theta_seed = spec["seed"]
        Theta = draw.theta(cid, spec["sizes"], theta_seed, scale=spec["scale"])
        X, Y = draw.data(cid, spec["sizes"][0], spec["sizes"][-1], spec["m"], theta_seed)
        given.update(Theta=Theta, X=X, Y=Y, x=X, y=Y)
        if "D" in names:
            given["D"] = {l: T for l, T in draw.theta(f"{cid}/D", spec["sizes"], theta_seed + 1).items()}
    if exercise == "ex09_minibatches":
        given["X"], given["Y"] = batch_data(spec["n"], spec["K"], spec["m"])
    for name in names:
        if name in spec:
            value = spec[name]
            if isinstance(value, dict):
                value = {int(k): np.asarray(v, dtype=np.float64) for k, v in value.items()}
            elif isinstance(value, list):
                value = np.asarray(value, dtype=np.float64)
            given[name] = value
    return Case(cid, func, tuple(given[n] for n in names), f"instructor's case: {spec['about']}")
