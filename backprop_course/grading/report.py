"""Grading results and how they are shown: a text table, an HTML table, Gradescope's results.json.

Every rendering is deterministic (no times, no paths), so a notebook cell that shows a grade gives
the same output on every run.
"""

import html
import json
import os
import tempfile
from dataclasses import dataclass, field


@dataclass
class CheckResult:
    label: str
    group: str
    points: float
    max_points: float
    message: str = ""
    same_as: str = ""               # the label of an earlier check that failed with the same crash


@dataclass
class ExerciseResult:
    name: str
    points: float
    max_points: float
    status: str                     # passed, partial, failed, not implemented, forbidden, timeout, ...
    feedback: list                  # lines, the most useful first
    findings: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    notes: list = field(default_factory=list)   # said whatever the score: skipped debugging lines, helpers
    crash: str = ""                 # the error when the code raised in every case (shown once, as the first line)

    @property
    def first_line(self):
        return self.feedback[0] if self.feedback else ""

    def text(self):
        """A learner's view: score, status, diagnoses and every check."""
        out = [f"{self.name}: {_pts(self.points)}/{_pts(self.max_points)} ({self.status})"]
        if self.status == "passed":
            out.append("  all checks passed")
        for f in self.findings:
            out.append(f"  diagnosis [{f.code}]: {f.message}")
        for c in self.checks:
            mark = "ok " if c.points >= c.max_points else "-- "
            line = f"  {mark}{_pts(c.points)}/{_pts(c.max_points)}  {c.group}: {c.label}"
            if c.message and c.points < c.max_points and not c.same_as:
                line += f"\n        {c.message}"
            out.append(line)
        if not self.checks or ((self.status not in ("passed", "partial", "failed") or self.crash) and self.feedback):
            out[1:1] = [f"  {line}" for line in self.headline()]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(dict.fromkeys(out))

    def __str__(self):
        return self.text()

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        return html_table([self])

    def headline(self):
        """The first feedback line and, when the code raised in every case, the line with that error."""
        said = [line for line in self.feedback if self.crash and line.startswith("your code raised an error")]
        return list(dict.fromkeys([self.first_line, *said]))

    @property
    def started(self):
        """False for an exercise still a stub, or missing: the learner has not begun it."""
        return self.status not in ("not implemented", "missing")

    def summary(self):
        """What the exercise as a whole says, without the list of checks: status, diagnoses, notes."""
        out = [f"{self.name}: {_pts(self.points)}/{_pts(self.max_points)} ({self.status})"]
        if (self.status not in ("passed", "partial", "failed") or self.crash) and self.first_line:
            out += [f"  {line}" for line in self.headline()]
        out += [f"  diagnosis [{f.code}]: {f.message}" for f in self.findings]
        out += [f"  note: {n}" for n in self.notes]
        return "\n".join(out)

    def to_dict(self):
        return {"name": self.name, "points": self.points, "max_points": self.max_points, "status": self.status,
                "feedback": self.feedback, "diagnoses": [f.code for f in self.findings],
                "checks": [vars(c) for c in self.checks], "notes": self.notes}


def _pts(x):
    return f"{x:g}"


def _cut(text, width):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 3] + "..."


@dataclass
class SubmissionResult:
    """Every graded exercise of one submission, how it was isolated, and notes about its files."""

    source: str
    exercises: list
    sandbox: str = ""               # how graded code ran (see sandbox.py): "sandbox", "unprivileged", ...
    isolation: str = ""             # one sentence saying so, for people
    notes: list = field(default_factory=list)   # e.g. files not graded (symbolic links), files renamed
    submission: object = None       # the collect.Submission that was graded (found, renamed, missing, ...)
    assignment: object = None       # the assignment.Assignment it was graded under

    @property
    def points(self):
        return round(sum(e.points for e in self.exercises), 6)

    @property
    def max_points(self):
        return round(sum(e.max_points for e in self.exercises), 6)

    def table(self, width=72):
        """The summary table: exercise, points, max, status, first feedback line."""
        rows = [("exercise", "points", "max", "status", "feedback")]
        for e in self.exercises:
            rows.append((e.name, _pts(e.points), _pts(e.max_points), e.status, _cut(e.first_line, width)))
        rows.append(("total", _pts(self.points), _pts(self.max_points), "", ""))
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        lines = []
        for i, r in enumerate(rows):
            lines.append("  ".join([r[0].ljust(widths[0]), r[1].rjust(widths[1]), r[2].rjust(widths[2]),
                                    r[3].ljust(widths[3]), r[4]]).rstrip())
            if i == 0 or i == len(rows) - 2:
                lines.append("-" * min(120, max(len(x) for x in lines)))
        return "\n".join(lines)

    def text(self):
        return self.table() + "\n\n" + "\n\n".join(e.text() for e in self.exercises)

    def __str__(self):
        return self.text()

    def __repr__(self):
        return self.text()

    def _repr_html_(self):
        return html_table(self.exercises, total=(self.points, self.max_points))

    def to_gradescope(self, visibility=None):
        """Gradescope's results.json: one test per check, each exercise's summary once in the overall output.

        Each test's visibility comes from the assignment (per exercise or per kind of check) unless
        `visibility` forces one for all; the overall output (the table and each exercise's status,
        diagnoses and notes) has the assignment's default visibility.
        """
        def shown(exercise, group=None):
            if visibility is not None:
                return visibility
            return self.assignment.visibility_of(exercise, group) if self.assignment is not None else "visible"

        tests = []
        for i, e in enumerate(self.exercises, start=1):
            if not e.checks:
                tests.append({"name": e.name, "number": f"{i}", "score": e.points, "max_score": e.max_points,
                              "status": "passed" if e.points >= e.max_points else "failed",
                              "output": e.first_line, "visibility": shown(e.name), "tags": [e.name]})
            for j, c in enumerate(e.checks, start=1):
                ok = c.points >= c.max_points
                output = "passed" if ok else (c.message or {"not implemented": "not implemented yet",
                                                             "missing": "the file is missing"}.get(e.status, e.status))
                tests.append({"name": f"{e.name}: {c.label}", "number": f"{i}.{j}", "score": c.points,
                              "max_score": c.max_points, "status": "passed" if ok else "failed", "output": output,
                              "visibility": shown(e.name, c.group), "tags": [e.name, c.group]})
        weaker = [self.isolation] if self.isolation and self.sandbox != "sandbox" else []
        summaries = [e.summary() for e in self.exercises if e.status != "passed" or e.notes]
        output = "\n\n".join([self.table(), *summaries, *self.notes, *weaker])
        top = visibility or (self.assignment.visibility["default"] if self.assignment is not None else "visible")
        return {"score": self.points, "output": output, "visibility": top,
                "stdout_visibility": "hidden", "tests": tests,
                "extra_data": {"exercises": [e.to_dict() for e in self.exercises],
                               "assignment": getattr(self.assignment, "name", None),
                               "sandbox": {"mode": self.sandbox, "detail": self.isolation}, "notes": self.notes}}


def html_table(exercises, total=None):
    """An HTML table of exercise results; a single exercise also lists every check (for notebooks)."""
    colors = {"passed": "#009E73", "partial": "#E69F00"}
    rows = []
    for e in exercises:
        color = colors.get(e.status, "#D55E00")
        detail = "".join(f"<li><b>{html.escape(f.code.replace('_', ' '))}</b>: {html.escape(f.message)}</li>"
                         for f in e.findings)
        detail += "".join(f"<li>note: {html.escape(n)}</li>" for n in e.notes)
        if e.status not in ("partial", "failed"):
            detail += f"<li>{html.escape(e.first_line)}</li>"
        elif len(exercises) > 1:
            detail += "".join(f"<li>{html.escape(c.label)}: {html.escape(c.message)}</li>"
                              for c in e.checks if c.points < c.max_points and c.message)
        rows.append(f"<tr><td><code>{html.escape(e.name)}</code></td><td style='text-align:right'>"
                    f"{_pts(e.points)}/{_pts(e.max_points)}</td><td style='color:{color};font-weight:bold'>"
                    f"{html.escape(e.status)}</td><td style='text-align:left'><ul style='margin:0'>{detail}</ul>"
                    f"</td></tr>")
    foot = ""
    if total is not None:
        foot = f"<tr><td><b>total</b></td><td style='text-align:right'><b>{_pts(total[0])}/{_pts(total[1])}</b></td>" \
               f"<td></td><td></td></tr>"
    out = ("<table><thead><tr><th>exercise</th><th>points</th><th>status</th><th>feedback</th></tr></thead>"
           f"<tbody>{''.join(rows)}{foot}</tbody></table>")
    if len(exercises) == 1 and exercises[0].checks:
        out += _checks_table(exercises[0])
    return out


def _checks_table(e):
    rows = []
    for c in e.checks:
        ok = c.points >= c.max_points
        mark = "<span style='color:#009E73'>&#10003;</span>" if ok else "<span style='color:#D55E00'>&#10007;</span>"
        message = "" if ok else html.escape(c.message)
        rows.append(f"<tr><td>{mark}</td><td style='text-align:right'>{_pts(c.points)}/{_pts(c.max_points)}</td>"
                    f"<td style='text-align:left'>{html.escape(c.group)}</td><td style='text-align:left'>"
                    f"{html.escape(c.label)}</td><td style='text-align:left'>{message}</td></tr>")
    return ("<table><thead><tr><th></th><th>points</th><th>part</th><th>check</th><th>what went wrong</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def write_json_atomic(path, data):
    """Write JSON to `path` via a temporary file and a rename, so readers never see half a file."""
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".json")
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(data, f, indent=1, allow_nan=False)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def zero_results(assignment, message="grading did not finish"):
    """A valid Gradescope results.json giving 0 everywhere (written first, replaced at the end).

    One test per exercise of `assignment`, worth its points, with the exercise's visibility.
    """
    tests = [{"name": name, "number": str(i + 1), "score": 0.0, "max_score": assignment.points[name],
              "output": message, "visibility": assignment.visibility_of(name)}
             for i, name in enumerate(assignment.exercises)]
    return {"score": 0.0, "output": message, "visibility": assignment.visibility["default"],
            "stdout_visibility": "hidden", "tests": tests}
