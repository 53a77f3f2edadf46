"""Scoring, in the grader's own process: reference values, the checks, and how a graded run earns points.

:func:`prepare` builds an exercise's cases, computes every expected value with the course library,
and packs the job the graded process receives: the cases and the oracle's table of the helper answers
(the earlier exercises' functions on exactly the inputs a correct solution passes them). Nothing in
the job is an answer to the exercise itself. :func:`score` turns what the graded process sent back
(a :class:`RawRun`) into an :class:`~backprop_course.grading.report.ExerciseResult`.

Rules that hold for every exercise:

- values are compared with float64 tolerances, never as text;
- the type-and-shape and untouched-inputs checks earn points only once some value is right
  (zeros of the right shape score 0);
- feedback says where and by how much a value is off, never what the expected value is;
- a call of a library name that is this exercise's answer, made while the exercise is graded, gives 0
  ("forbidden"); the same call at module level (debugging code) only earns a note.
"""

import copy
import json
import re
import threading
from dataclasses import dataclass, field, replace

import numpy as np

import backprop_course as bp

from . import diagnoses as dg
from .cases import OWNER, VALUE_KINDS, Draw, as_batches, build, finding, get, mutation_findings, oracle_calls
from .report import CheckResult, ExerciseResult
from .wire import Opaque, canonical, encode


@dataclass
class CaseResult:
    ok: bool
    value: object = None
    error_type: str = ""
    error: str = ""
    warnings: list = field(default_factory=list)
    args_after: object = None


@dataclass
class RawRun:
    """What one graded process produced, before scoring."""

    status: str                      # "ok", "timeout", "crashed", "exited", "output_limit", "import_error", ...
    message: str = ""
    results: dict = field(default_factory=dict)
    forbidden: list = field(default_factory=list)
    notes: list = field(default_factory=list)        # module-level notes: skipped lines, library calls
    fallbacks: list = field(default_factory=list)    # helpers whose oracle missed (the learner's own ran)


@dataclass
class Prepared:
    """An exercise ready to grade: cases, checks, the parent's expected values, and the job to send."""

    exercise: object
    cases: list
    checks: list
    by_id: dict
    expected: dict
    numerical: dict
    job: bytes
    visible: bool = True            # the cases a learner can see (no secret): inputs may be named in feedback

    @property
    def max_points(self):
        return round(float(sum(c.points for c in self.checks)), 6)


_PREPARED, _LOCK = {}, threading.Lock()


def elementwise(function):
    """True for helpers of one argument z (sigmoid, sigmoid_gradient): the oracle answers them per element."""
    return OWNER[function].args[function] == ("z",)


def prepare(name, secret=None, assignment=None):
    """The :class:`Prepared` exercise `name`, visible or drawn from `secret` (bytes); computed once.

    With an :class:`~backprop_course.grading.assignment.Assignment`, the exercise gets that assignment's
    private cases and its checks are scaled to the assignment's points; without one, the exercise's own
    ``points`` (10).
    """
    exercise = get(name)
    key = (exercise.name, secret, assignment.key if assignment is not None else None)
    with _LOCK:
        if key not in _PREPARED:
            _PREPARED[key] = _prepare(exercise, secret, assignment)
        return _PREPARED[key]


def scaled(checks, points):
    """`checks` with their points scaled so that they add up to `points`."""
    raw = sum(c.points for c in checks)
    if raw <= 0 or abs(raw - points) < 1e-12:
        return list(checks)
    return [replace(c, points=c.points * points / raw) for c in checks]


def _prepare(exercise, secret, assignment=None):
    cases, checks = build(exercise, secret)
    points = exercise.points
    if assignment is not None:
        more_cases, more_checks = assignment.extra_cases(exercise.name, Draw(exercise.name, secret))
        cases, checks = cases + more_cases, checks + more_checks
        points = assignment.points[exercise.name]
    checks = scaled(checks, points)
    by_id = {c.id: c for c in cases}
    expected = {c.id: exercise.reference[c.func](*copy.deepcopy(c.args))
                for c in cases if c.func in exercise.reference}
    numerical = {}
    for check in checks:
        for cid in check.cases if check.kind in ("numgrad", "deltas_numgrad") else ():
            Theta, X, Y = by_id[cid].args[:3]
            lambda_ = by_id[cid].args[3] if check.kind == "numgrad" else 0.0
            numerical[cid] = (bp.forward(Theta, X)[0], bp.numerical_gradient(Theta, X, Y, lambda_, 1e-5))
    job = {"exercise": exercise.name, "filename": exercise.filename, "functions": list(exercise.functions),
           "cases": [{"id": c.id, "func": c.func, "args": encode(c.args)} for c in cases],
           "forbidden": list(exercise.forbidden), "helpers": {}, "oracle": {}}
    calls = [call for c in cases for call in oracle_calls(exercise, c)]
    zs = np.concatenate([z.ravel() for f, args in calls if f == "forward"
                         for z in bp.forward(*args)[1].values()] or [np.zeros(0)])
    for function in exercise.uses:
        owner = OWNER[function]
        reference = owner.reference[function]
        job["helpers"][function] = {"module": owner.name, "number": owner.number,
                                    "args": list(owner.args[function]),
                                    "defaults": {k: encode(v) for k, v in owner.defaults.get(function, {}).items()}}
        if elementwise(function):
            x = np.unique(zs)
            job["oracle"][function] = {"x": encode(x), "y": encode(np.asarray(reference(x), dtype=np.float64))}
            continue
        entries, seen = [], set()
        for f, args in calls:
            if f == function and canonical(args)[0] not in seen:
                seen.add(canonical(args)[0])
                entries.append([encode(args), encode(reference(*copy.deepcopy(args)))])
        job["oracle"][function] = {"calls": entries}
    return Prepared(exercise, cases, checks, by_id, expected, numerical,
                    json.dumps(job, allow_nan=False, separators=(",", ":")).encode(), visible=secret is None)


# -- comparing values -----------------------------------------------------------------------------------

def describe(value):
    """A learner-readable description of what a function returned."""
    if value is None:
        return "None (does your function return its result?)"
    if isinstance(value, np.ndarray):
        return "a 0-dimensional numpy array" if value.ndim == 0 else f"an array of shape {value.shape}"
    if isinstance(value, Opaque):
        return value.description
    if isinstance(value, dict):
        return f"a dict with keys {sorted(value, key=repr)[:8]}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def _unit(i, layer, bias):
    """Row or column `i` of a layer's activations in words: the bias unit (row 0) or unit k (1-based)."""
    if bias:
        return f"the bias unit of layer {layer}" if i == 0 else f"unit {i} of layer {layer}"
    return f"unit {i + 1} of layer {layer}"


def locate(path, index, context):
    """Where entry `index` of the array called `path` sits, in the course's terms (layer, unit, example).

    `context` may hold ``L`` (the number of layers, for a(l)), ``z`` (the input of an elementwise
    function) and ``visible`` (whether inputs may be named). Returns "" when it has no such terms.
    """
    name, _, layer = str(path).partition("[")
    layer = layer.rstrip("]")
    if not layer.isdigit() or len(index) != 2:
        if name in ("g(z)", "g'(z)") and "z" in context:
            z = float(np.ravel(context["z"])[int(np.ravel_multi_index(index, np.shape(context["z"])))] if index
                      else np.asarray(context["z"]))
            if context.get("visible"):
                return f"at z = {z:.3g}"
            return "at a large negative z" if z < -30 else "at a large positive z" if z > 30 else \
                f"at a {'negative' if z < 0 else 'positive'} z with |z| {'< 5' if abs(z) < 5 else '>= 5'}"
        return ""
    l, (i, j) = int(layer), (int(index[0]), int(index[1]))
    if name in ("D", "Theta", "Delta"):
        return f"the weight from {_unit(j, l, True)} to {_unit(i, l + 1, False)}"
    example = f"example {j + 1}"
    if name == "a":
        return f"{_unit(i, l, l != context.get('L'))}, {example}"
    if name == "z":
        return f"{_unit(i, l, False)}, {example}"
    if name == "d":
        return _unit(i, l, False) + (f", {example}" if context.get("m", 1) > 1 else "")
    return ""


def compare(got, want, atol, rtol, path, values=True, context=None, strict_float=False):
    """None when `got` matches `want` (structure, shapes and, if `values`, numbers); else a message.

    The message says where (in layers, units and examples) and by how much `got` is off, never what
    `want` is, and never an index into the grader's data. `strict_float`: a float expected is a float
    (a 0-d array is not one).
    """
    context = dict(context or {})
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return f"{path} should be a dict keyed by layer number; got {describe(got)}."
        if sorted(got, key=repr) != sorted(want, key=repr):
            return f"{path} should have keys {sorted(want)}; got {sorted(got, key=repr)}."
        if path == "a":
            context["L"] = max(want)
        for k in sorted(want):
            msg = compare(got[k], want[k], atol, rtol, f"{path}[{k}]", values, context)
            if msg:
                return msg
        return None
    if isinstance(want, tuple):
        if not isinstance(got, (tuple, list)) or len(got) != len(want):
            what = f"the pair ({', '.join(path)})" if isinstance(path, tuple) else f"{len(want)} values"
            return f"the result should be {what}; got {describe(got)}."
        for i, (g, w) in enumerate(zip(got, want, strict=True)):
            msg = compare(g, w, atol, rtol, path[i] if isinstance(path, tuple) else f"{path}[{i}]", values, context)
            if msg:
                return msg
        return None
    want_arr = np.asarray(want, dtype=np.float64)
    if isinstance(got, (bool, np.bool_)) or not isinstance(got, (int, float, np.ndarray)):
        return f"{path} should be {'a number' if want_arr.ndim == 0 else 'an array'}; got {describe(got)}."
    if strict_float and not isinstance(want, np.ndarray) and isinstance(got, np.ndarray):
        return f"{path} should be a float for a float z; got {describe(got)}, which is not a float."
    got_arr = np.asarray(got, dtype=np.float64)
    if got_arr.shape != want_arr.shape:
        if want_arr.ndim == 0:
            return f"{path} should be a single number; got {describe(got)}."
        return f"{path} has shape {got_arr.shape}; expected {want_arr.shape}."
    if not values:
        return None
    if not np.all(np.isfinite(got_arr)):
        return f"{path} contains inf or nan."
    if np.allclose(got_arr, want_arr, atol=atol, rtol=rtol):
        return None
    diff = got_arr - want_arr
    where = np.unravel_index(int(np.argmax(np.abs(diff))), diff.shape) if diff.ndim else ()
    side = "too large" if diff[where] > 0 else "too small"
    if not where:
        return f"{path} is {side} by about {abs(float(diff)):.2g}."
    note = ""
    if (got_arr.ndim == 2 and got_arr.shape[1] > 1 and str(path).startswith(("D[", "Theta["))
            and np.allclose(got_arr[:, 1:], want_arr[:, 1:], atol=atol, rtol=rtol)):
        note = " Only column 0, the bias column, differs."
    wrong = int(np.sum(~np.isclose(got_arr, want_arr, atol=atol, rtol=rtol)))
    spread = f"{wrong} of {got_arr.size} entries differ" if got_arr.size > 1 else "it differs"
    at = locate(path, tuple(int(i) for i in where), {**context, "m": got_arr.shape[-1] if got_arr.ndim else 1})
    return (f"{path} is off by up to {float(np.max(np.abs(diff))):.2g} ({spread}); the largest difference is "
            f"{at + ', ' if at else ''}{side}.{note}")


def _same(a, b):
    return compare(a, b, 0.0, 0.0, "x") is None


def _same_batches(A, B):
    try:
        return len(A) == len(B) and all(_same(np.asarray(xa), np.asarray(xb)) and _same(np.asarray(ya), np.asarray(yb))
                                        for (xa, ya), (xb, yb) in zip(A, B, strict=True))
    except (TypeError, ValueError):
        return False


def _result_name(exercise, case):
    return exercise.names or exercise.results.get(case.func, "the result")


_FILES = re.compile(r"(?:\(in |Error in )(ex\d\d_\w+\.py)")
_AT = re.compile(r" \(in (\w+\.py), line (\d+)(?:, function \w+)?:")


def crash_key(error):
    """What makes two errors the same crash: the exception's type and the learner's line (else the whole text)."""
    where = _AT.search(error)
    return (error.split(":", 1)[0], where.group(1), where.group(2)) if where else error


def evaluate(prep, check, results):
    """(passed, message, crash) for one check, given {case id: CaseResult}.

    `crash` is the failed call's error when the check failed because the learner's code raised (else
    None): the same crash in several checks is shown once.
    """
    cases = check.cases
    if check.kind.startswith("mutation"):
        # Judge mutation on the calls that returned (a crash is already paid for by the value checks).
        ran = tuple(cid for cid in cases if results.get(cid) is not None and results[cid].ok)
        cases = ran or cases
    for cid in cases:
        r, case = results.get(cid), prep.by_id[cid]
        if r is None:
            return False, f"{case.about}: no result (the run ended before this case).", None
        if not r.ok:
            return False, f"{case.about}: {r.error}", r.error
        msg = _judge(prep, check, case, r, results)
        if msg:
            return False, (f"{case.about}: {msg}" if check.kind != "batch_seed" else msg), None
        if check.kind == "batch_seed":
            break
    return True, "", None


def _judge(prep, check, case, r, results):
    exercise, kind = prep.exercise, check.kind
    if kind.startswith("mutation"):
        positions = range(len(case.args)) if kind == "mutation" else [int(kind.split(":")[1])]
        after = r.args_after if isinstance(r.args_after, (list, tuple)) else ()
        for i in positions:
            if i >= len(after) or not _same(after[i], case.args[i]):
                return f"the argument {exercise.args[case.func][i]} was changed in place."
        return None
    if kind in ("batches", "batch_shapes"):
        found = exercise.diagnose(case, r.value, r.args_after, r.warnings)
        bad = [f for f in found if f.code != "batches_not_shuffled"]
        if kind == "batch_shapes":
            bad = [f for f in bad if f.code in ("wrong_shape", "batches_wrong_sizes")]
        return bad[0].message.split(" Reread")[0] if bad else None
    if kind == "batch_seed":
        first, again, other = (as_batches(results[c].value) for c in check.cases)
        if not _same_batches(first, again):
            return "two calls with the same seed gave different batches."
        if _same_batches(first, other):
            return "two different seeds gave the same batches: is the seed used?"
        order = [int(v) for xb, _ in first for v in np.asarray(xb)[0]]
        if order == list(range(len(order))):
            return "the examples keep their original order: shuffle them."
        return None
    if kind == "deltas_numgrad":
        return _deltas_numgrad(case, r.value, *prep.numerical[case.id])
    want, name = prep.expected[case.id], _result_name(exercise, case)
    context = {"visible": prep.visible}
    if exercise.args[case.func] == ("z",):
        context["z"] = case.args[0]
    if kind in ("shape", "float_shape"):
        return compare(r.value, want, exercise.atol, exercise.rtol, name, values=False, context=context,
                       strict_float=kind == "float_shape")
    if kind == "overflow":
        noisy = [w for w in r.warnings if "overflow" in w or "invalid" in w]
        return f"numpy warned: {noisy[0]}" if noisy else compare(r.value, want, exercise.atol, exercise.rtol, name,
                                                                 context=context)
    if kind == "numgrad":
        msg = compare(r.value, want, exercise.atol, exercise.rtol, name, values=False)
        if msg:
            return msg
        numerical = prep.numerical[case.id][1]
        err = bp.relative_error({k: np.asarray(v, dtype=np.float64) for k, v in r.value.items()}, numerical)
        return None if err < 1e-7 else f"relative error {err:.2g} against the numerical gradient."
    return compare(r.value, want, exercise.atol, exercise.rtol, name, context=context)


def _deltas_numgrad(case, d, a, numerical):
    Theta = case.args[0]
    L = len(Theta) + 1
    want_keys = list(range(2, L + 1))
    if not isinstance(d, dict) or sorted(d, key=repr) != want_keys:
        return f"d should be a dict with keys {want_keys}."
    for l in range(1, L):
        if not isinstance(d[l + 1], (np.ndarray, int, float)):
            return f"d[{l + 1}] should be an array; got {describe(d[l + 1])}."
        dl = np.asarray(d[l + 1], dtype=np.float64)
        if dl.shape != (Theta[l].shape[0], 1):
            return f"d[{l + 1}] has shape {dl.shape}; expected {(Theta[l].shape[0], 1)}."
        err = bp.relative_error(dl @ a[l].T, numerical[l])
        if not err <= 1e-7:
            return f"d[{l + 1}] a[{l}]' differs from the numerical gradient of Theta[{l}] (relative error {err:.2g})."
    return None


# -- diagnoses --------------------------------------------------------------------------------------------

# Findings that name no catalogued slip, only a pattern of where the values differ: across cases they
# can disagree (a network without a hidden layer shows a pattern a deeper one does not), so only those
# of the largest network that shows one are kept.
PATTERNS = ("gradient_mismatch", "recursion_wrong", "last_layer_wrong", "cost_mismatch", "update_mismatch",
            "numerical_gradient_mismatch")


def _layers(case):
    Theta = case.args[0] if case.args and isinstance(case.args[0], dict) else None
    return (len(Theta), sum(np.size(T) for T in Theta.values())) if Theta else (0, 0)


def diagnose(prep, results):
    """Catalogued mistakes explaining the failures, without duplicates, in a stable order.

    A finding about any exercise (inputs changed, the wrong shape) names this exercise's own notebook.
    """
    exercise = prep.exercise
    findings, from_errors, patterns = [], [], {}
    for case in prep.cases:
        r = results.get(case.id)
        if r is None:
            continue
        if not r.ok:
            from_errors += exercise.clues(r.error) if exercise.clues else []
            continue
        right = case.id in prep.expected and compare(r.value, prep.expected[case.id], exercise.atol,
                                                     exercise.rtol, "x") is None
        if right and not r.warnings:
            found = []
        else:
            try:
                found = exercise.diagnose(case, r.value, r.args_after, r.warnings) if exercise.diagnose else []
            except (TypeError, ValueError, KeyError, IndexError, AttributeError):
                found = []
        findings += [f for f in found if f.code not in PATTERNS]
        if any(f.code in PATTERNS for f in found):
            patterns.setdefault(_layers(case), []).extend(f for f in found if f.code in PATTERNS)
        if case.func != "minibatches":
            names = exercise.args[case.func]
            after = r.args_after if isinstance(r.args_after, (list, tuple)) else ()
            if len(after) == len(case.args):
                changed = [n for n, b, a in zip(names, case.args, after, strict=True) if not _same(a, b)]
                if changed:
                    findings += mutation_findings(changed, dict(zip(names, case.args, strict=True)),
                                                  dict(zip(names, after, strict=True)))
    if patterns:
        findings += patterns[max(patterns)]
    if exercise.name == "ex09_minibatches" and all(c in results and results[c].ok for c in ("mb_rand1", "mb_again")):
        if not _same_batches(as_batches(results["mb_rand1"].value), as_batches(results["mb_again"].value)):
            findings.append(finding("batches_not_deterministic"))
    # A shape error is a weaker clue than a value that matches a simulated mistake: use it only alone.
    if not any(f.code in ("bias_row_not_dropped", "theta_not_transposed") for f in findings):
        findings += from_errors
    unique, seen = [], set()
    equation, notebook = exercise.home
    for f in findings:
        if f.code not in seen:
            seen.add(f.code)
            unique.append(dg.for_exercise(f, equation, notebook, exercise.shape))
    return unique


# -- scoring ----------------------------------------------------------------------------------------------

def _zero(prep, status, message, notes=()):
    checks = [CheckResult(c.label, c.group, 0.0, c.points, "") for c in prep.checks]
    return ExerciseResult(prep.exercise.name, 0.0, prep.max_points, status, [message], [], checks, list(notes))


def _notes(prep, run):
    notes = list(run.notes)
    for function in run.fallbacks:
        owner = OWNER[function]
        notes.append(f"Some calls of {function} passed values a correct solution never passes it, so your own "
                     f"{function} (exercise {owner.number}) answered them; the rest came from the grader's "
                     f"correct {function}.")
    return notes


def score(prep, run):
    """Turn a :class:`RawRun` into an :class:`ExerciseResult` using the parent's own reference values."""
    exercise = prep.exercise
    notes = _notes(prep, run)
    if run.status != "ok":
        return _zero(prep, run.status, run.message, notes)
    if run.forbidden:
        return _zero(prep, "forbidden", f"calls {', '.join(run.forbidden)}, the library's own version of this "
                                        f"exercise, while it is graded: 0 points. Write the computation yourself "
                                        f"(the helpers of earlier exercises are fine).", notes)
    results = run.results
    if results and all(not r.ok and r.error_type == "NotImplementedError" and "(in ex" not in r.error.replace(
            f"(in {exercise.filename},", "") for r in results.values()):       # this exercise's own stub
        first = next(iter(results.values())).error.split(" (in ")[0].removeprefix("NotImplementedError: ")
        if "not implemented yet" not in first:
            first = f"not implemented yet ({first})"
        return _zero(prep, "not implemented", first, notes)
    missing = [r for r in results.values() if r.error_type == "MissingFunction"]
    if missing and len(missing) == len(results):
        return _zero(prep, "error", missing[0].error, notes)

    checks, lines, crashes = [], [], {}
    for check in prep.checks:
        try:
            passed, message, crash = evaluate(prep, check, results)
        except Exception as exc:  # odd values from the learner must never crash the grader
            passed, message, crash = False, f"the result could not be checked ({type(exc).__name__}).", None
        same_as = ""
        if crash is not None:            # one crash, many checks: its message once, under the first of them
            same_as = crashes.setdefault(crash_key(crash), check.label)
            same_as = "" if same_as == check.label else same_as
            if same_as:
                message = f"the same error as in the check \"{same_as}\"."
        checks.append(CheckResult(check.label, check.group, check.points if passed else 0.0, check.points,
                                  "" if passed else message, same_as))
    for c in checks:
        repeats = sum(other.same_as == c.label for other in checks)
        if repeats:
            c.message += f" (The same error in {repeats} more check{'s' if repeats > 1 else ''}.)"
    gate = "no value is right yet, so this check earns nothing either."
    if not any(c.points > 0 for c, check in zip(checks, prep.checks, strict=True) if check.kind in VALUE_KINDS):
        checks = [replace(c, points=0.0, message=c.message or gate) for c in checks]
        if any(c.message == gate for c in checks):
            lines.append("No value is right yet: the right type, shapes or untouched inputs earn points only once "
                         "some values are right.")
    try:
        findings = diagnose(prep, results)
    except Exception:  # a diagnosis is a bonus; never let it cost the grade
        findings = []
    points = round(sum(c.points for c in checks), 6)
    helpers = sorted({name for r in results.values() if not r.ok for name in _FILES.findall(r.error)}
                     - {exercise.filename})
    if helpers:
        lines.insert(0, f"Some errors come from {', '.join(helpers)}, another exercise this one uses: grade and "
                        f"fix that one first.")
    lines += [f.message for f in findings]
    lines += [f"{c.label}: {c.message}" for c in checks
              if c.points < c.max_points and c.message and c.message != gate and not c.same_as]
    raised = [r for r in results.values() if not r.ok]
    crash = ""
    if points >= prep.max_points:
        status, lines = "passed", ["all checks passed"]
    else:
        status = "partial" if points > 0 else "failed"
    if points == 0 and results and len(raised) == len(results):      # no case returned: a crash, said once
        crash = raised[0].error
        lines.insert(1 if helpers else 0, f"your code raised an error in every case: {crash}" if len(crashes) == 1 else
                     f"your code raised an error in every case ({len(crashes)} different errors, each under the first "
                     f"check it failed).")
        if len(crashes) == 1:                   # the one crash is the first line; the checks point to it
            checks = [replace(c, message=f"{c.message.split(': ', 1)[0]}: the error above" + (
                c.message[c.message.rindex(" (The same error"):] if "(The same error" in c.message else ""))
                if c.message and not c.same_as and c.message != gate else c for c in checks]
    return ExerciseResult(exercise.name, points, prep.max_points, status, lines, findings, checks, notes, crash)
