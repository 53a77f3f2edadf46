"""A gradebook a course can use: one row per student, a roster join, lateness, feedback files, a summary, an LMS file.

``backprop-course grade-all`` grades a folder of submissions and then calls :func:`write_all`, which
writes, once, after every graded process is dead:

- ``gradebook.csv`` (``--out``): one row per student (:data:`COLUMNS`, then three columns per exercise:
  ``EXERCISE points``, ``EXERCISE status`` and ``EXERCISE diagnoses``);
- ``gradebook.summary.md`` beside it: pass rates, the score histogram, the most common diagnoses per
  exercise, students without a submission and submissions not on the roster;
- with ``--feedback-dir DIR``, one Markdown file per student to return to them;
- with ``--lms moodle``, ``gradebook.moodle.csv``: the columns Moodle's "Import grades from CSV"
  maps by itself (see :func:`write_moodle` and ``docs/instructors.md``).

Statuses (:data:`STATUSES`): ``ok`` (full marks), ``partial`` (graded, fewer points, possibly 0),
``not implemented`` (still the stub), ``missing`` (no file, or one that could not be read),
``timeout``, ``crash`` (the code raised in every case, did not import, exited or ran out of memory),
``forbidden`` (called the library's own solution) and ``grader error``.
"""

import csv
import io
import os
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

STATUSES = ("ok", "partial", "not implemented", "missing", "timeout", "crash", "forbidden", "grader error")
COLUMNS = ("student", "id", "email", "name", "total", "max", "percent", "submitted", "late_hours", "files", "notes")
_CRASHES = ("crashed", "exited", "memory", "output_limit", "import_error", "invalid", "error")


def status(result):
    """The gradebook's status of one :class:`~backprop_course.grading.report.ExerciseResult`."""
    if result.status == "passed":
        return "ok"
    if result.status == "failed" and getattr(result, "crash", ""):
        return "crash"
    if result.status in ("partial", "failed"):
        return "partial"
    if result.status in _CRASHES:
        return "crash"
    return result.status if result.status in STATUSES else "crash"


# -- the roster --------------------------------------------------------------------------------------

_FIELDS = {
    "id": ("id", "student id", "student_id", "sid", "id number", "idnumber", "student number", "username", "login"),
    "email": ("email", "email address", "e-mail", "mail"),
    "name": ("name", "full name", "student", "student name"),
}


@dataclass
class Student:
    """One row of the roster (any of id, email, name) and the submission folder joined to it."""

    id: str = ""
    email: str = ""
    name: str = ""
    folder: str = ""

    def keys(self):
        """The strings a submission folder may be called to match this student (lower case)."""
        out = {v.strip().lower() for v in (self.id, self.email, self.name) if v.strip()}
        if "@" in self.email:
            out.add(self.email.split("@")[0].strip().lower())
        return {_simple(k) for k in out}


def _simple(text):
    return re.sub(r"[\s_.\-]+", " ", text.strip().lower())


def read_roster(path):
    """The students of a roster CSV: it needs a header with at least one of id / email / name (any case).

    Raises ValueError with what was found when no such column exists.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read the roster {path} ({getattr(exc, 'strerror', None) or exc}).") from None
    rows = list(csv.DictReader(io.StringIO(text)))
    header = rows[0].keys() if rows else next(csv.reader(io.StringIO(text)), [])
    columns = {}
    for kind, names in _FIELDS.items():
        for h in header:
            if h is not None and h.strip().lower() in names and kind not in columns:
                columns[kind] = h
    if not columns:
        raise ValueError(f"the roster {path} has no id, email or name column (its header is {list(header)}).")
    students = [Student(**{kind: (row.get(h) or "").strip() for kind, h in columns.items()}) for row in rows]
    return [s for s in students if s.id or s.email or s.name]


def folder_keys(student_folder, submission=None):
    """The names a submission folder goes by: its own, Moodle's download prefix, Gradescope's metadata users."""
    name = Path(student_folder).name
    keys = {_simple(name)}
    moodle = re.match(r"^(.+?)_\d+_assignsubmission_", name)      # Moodle's "Download all submissions"
    if moodle:
        keys.add(_simple(moodle.group(1)))
    for user in getattr(submission, "users", ()) or ():
        keys |= {_simple(str(user.get(k, ""))) for k in ("email", "sid", "name") if user.get(k)}
    return keys - {""}


def join(roster, graded):
    """Match roster students to graded submissions {folder name: SubmissionResult}.

    Returns (rows, unmatched): rows is a list of (Student, folder name or None) in roster order, then
    the submissions nobody on the roster matches, as (Student(), folder); `unmatched` lists those folders.
    """
    taken, rows = set(), []
    keys = {folder: folder_keys(folder, getattr(result, "submission", None)) for folder, result in graded.items()}
    for student in roster:
        wanted = student.keys()
        match = next((f for f in graded if f not in taken and keys[f] & wanted), None)
        if match is not None:
            taken.add(match)
        rows.append((student, match))
    unmatched = [f for f in graded if f not in taken]
    return rows + [(Student(), f) for f in unmatched], unmatched


# -- rows ------------------------------------------------------------------------------------------------

@dataclass
class Row:
    student: str
    who: Student
    result: object = None                 # SubmissionResult, or None for a roster student without one
    late_hours: float = None
    notes: list = field(default_factory=list)


def late_hours(submitted, due):
    """Hours after `due` (0 when on time), or None when either time is unknown."""
    if submitted is None or due is None:
        return None
    if submitted.tzinfo is None:
        submitted = submitted.astimezone()
    return max(0.0, (submitted - due).total_seconds() / 3600)


def rows(graded, assignment, roster=None, due=None):
    """The gradebook's :class:`Row` list and the unmatched submission folders."""
    due = due or assignment.due
    if roster is None:
        pairs, unmatched = [(Student(), folder) for folder in graded], []
    else:
        pairs, unmatched = join(roster, graded)
    out = []
    for who, folder in pairs:
        result = graded.get(folder) if folder is not None else None
        submitted = getattr(getattr(result, "submission", None), "submitted", None)
        notes = [] if result is not None else ["no submission"]
        if roster is not None and folder in unmatched:
            notes.append("not on the roster")
        out.append(Row(folder or "", who, result, late_hours(submitted, due) if result is not None else None, notes))
    return out, unmatched


def _pts(x):
    return f"{x:g}"


def write_csv(path, book, assignment):
    """The gradebook CSV: :data:`COLUMNS` then points, status and diagnoses per exercise."""
    names = list(assignment.exercises)
    header = list(COLUMNS[:10]) + [f"{n} {part}" for n in names for part in ("points", "status", "diagnoses")] + \
        ["notes"]
    with _atomic(path) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in book:
            result, sub = row.result, getattr(row.result, "submission", None)
            by_name = {e.name: e for e in result.exercises} if result else {}
            total = result.points if result else 0.0
            cells = [row.student, row.who.id, row.who.email, row.who.name, _pts(total), _pts(assignment.total),
                     f"{100 * total / assignment.total:.1f}" if assignment.total else "",
                     sub.submitted.isoformat(timespec="seconds") if getattr(sub, "submitted", None) else "",
                     "" if row.late_hours is None else f"{row.late_hours:.2f}", sub.report() if sub else ""]
            for n in names:
                e = by_name.get(n)
                if e is None:
                    cells += ["0", "missing", ""]
                else:
                    cells += [_pts(e.points), status(e), " ".join(f.code for f in e.findings)]
            errors = [f"{e.name}: {e.first_line}" for e in (result.exercises if result else ())
                      if e.status == "grader error"]
            cells.append(" | ".join(dict.fromkeys(row.notes + errors + (result.notes if result else []))))
            writer.writerow(cells)


class _atomic:
    """Write a text file through a temporary file and a rename: readers never see half of it."""

    def __init__(self, path):
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.tmp, "w", newline="", encoding="utf-8")
        return self.file

    def __exit__(self, kind, value, tb):
        self.file.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


# -- feedback files -----------------------------------------------------------------------------------------

def feedback_markdown(row, assignment):
    """A student's feedback as Markdown: the total, a table of exercises, then each exercise's feedback."""
    who = row.who.name or row.student or row.who.email or row.who.id
    lines = [f"# {assignment.name}: feedback for {who}", ""]
    result = row.result
    if result is None:
        lines += ["No submission was found for you.", ""]
        return "\n".join(lines)
    lines += [f"**Total: {_pts(result.points)} / {_pts(result.max_points)}**", ""]
    if row.late_hours:
        lines += [f"Submitted {row.late_hours:.1f} hours after the due date.", ""]
    lines += ["| exercise | points | status |", "|---|---|---|"]
    lines += [f"| `{e.name}` | {_pts(e.points)} / {_pts(e.max_points)} | {status(e)} |" for e in result.exercises]
    lines.append("")
    for note in result.notes:
        lines.append(f"- {note}")
    if result.notes:
        lines.append("")
    for e in result.exercises:
        lines += [f"## {e.name}: {_pts(e.points)} / {_pts(e.max_points)} ({status(e)})", ""]
        if e.status == "passed":
            lines.append("All checks passed.")
        elif (e.status not in ("partial", "failed") or e.crash) and e.first_line:
            lines += e.headline()
        items = [f"- **{f.code.replace('_', ' ')}**: {f.message}" for f in e.findings]
        items += [f"- {c.group}, *{c.label}*: {c.message}" for c in e.checks
                  if c.points < c.max_points and c.message and not c.same_as]
        items += [f"- note: {n}" for n in e.notes]
        if items:
            lines += ([""] if lines[-1] else []) + items
        lines.append("")
    return "\n".join(lines)


def _safe(name):
    return re.sub(r"[^\w.\-@]+", "_", name).strip("._") or "student"


def write_feedback(folder, book, assignment):
    """One Markdown file per student in `folder`; returns the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, used = [], set()
    for row in book:
        base = _safe(row.student or row.who.email or row.who.name or row.who.id)
        name, k = f"{base}.md", 2
        while name in used:
            name, k = f"{base}-{k}.md", k + 1
        used.add(name)
        with _atomic(folder / name) as f:
            f.write(feedback_markdown(row, assignment))
        written.append(folder / name)
    return written


# -- the cohort summary -----------------------------------------------------------------------------------

def summary(book, assignment, unmatched=(), mode_detail=""):
    """The cohort summary as Markdown: pass rates, score histogram, common diagnoses per exercise."""
    graded = [r for r in book if r.result is not None]
    n = len(graded)
    lines = [f"# {assignment.name}: cohort summary", "", f"{n} submission(s) graded; {mode_detail}".rstrip("; "), ""]
    if n:
        totals = [r.result.points for r in graded]
        lines += [f"Total: mean {statistics.mean(totals):.2f}, median {statistics.median(totals):g} of "
                  f"{_pts(assignment.total)} points.", ""]
    lines += ["## Exercises", "", "| exercise | full marks | mean points | " + " | ".join(STATUSES) + " |",
              "|---|---|---|" + "---|" * len(STATUSES)]
    for name in assignment.exercises:
        results = [e for r in graded for e in r.result.exercises if e.name == name]
        counts = Counter(status(e) for e in results)
        full = sum(e.points >= e.max_points for e in results)
        mean = statistics.mean(e.points for e in results) if results else 0.0
        lines.append(f"| `{name}` | {full}/{len(results)} | {mean:.2f} / {_pts(assignment.points[name])} | "
                     + " | ".join(str(counts.get(s, 0)) for s in STATUSES) + " |")
    lines += ["", "## Score histogram", "", "```"]
    bins = [0] * 10
    for r in graded:
        share = r.result.points / assignment.total if assignment.total else 0.0
        bins[min(9, int(share * 10))] += 1
    width = max(bins) if any(bins) else 1
    for i, k in enumerate(bins):
        low, high = i * 10, i * 10 + 10
        lines.append(f"{low:3d}-{high:3d}% {'#' * round(30 * k / width):30s} {k}")
    lines += ["```", "", "## Most common diagnoses per exercise", ""]
    any_found = False
    for name in assignment.exercises:
        counts = Counter(f.code for r in graded for e in r.result.exercises if e.name == name for f in e.findings)
        if counts:
            any_found = True
            lines.append(f"- `{name}`: " + ", ".join(f"{code} ({k})" for code, k in counts.most_common(5)))
    if not any_found:
        lines.append("No catalogued mistake was diagnosed.")
    lines.append("")
    absent = [r.who for r in book if r.result is None]
    if absent:
        lines += ["## On the roster, no submission", ""] + [f"- {s.name or s.email or s.id}" for s in absent] + [""]
    if unmatched:
        lines += ["## Submissions not on the roster", ""] + [f"- {f}" for f in unmatched] + [""]
    errors = [r.student for r in graded if any(e.status == "grader error" for e in r.result.exercises)]
    if errors:
        lines += ["## Grader errors (see the notes column)", ""] + [f"- {s}" for s in errors] + [""]
    return "\n".join(lines)


# -- an LMS: Moodle --------------------------------------------------------------------------------------------

def write_moodle(path, book, assignment):
    """A CSV for Moodle's "Import grades from CSV"; returns the number of rows written.

    Moodle's import asks which column identifies the user ("Map from") and which user field it holds
    ("Map to"); a column headed ``Email address`` (or ``ID number``, ``Username``) is preselected for
    the field of that name. A column headed ``NAME (Real)`` is preselected for the grade item called
    NAME and ``NAME (Feedback)`` for its feedback, the headers Moodle's own CSV export writes. So with a
    grade item named like the assignment (and, optionally, one per exercise), the import needs no
    choice but the one to confirm. Students are identified by one column: the roster's email, else
    its id (Moodle's ID number), else, without a roster, the submission folder's name as the username.
    Rows without that identifier (submissions not on the roster) cannot be imported and are left out;
    the summary lists them.
    """
    emails, ids = any(r.who.email for r in book), any(r.who.id for r in book)
    ident = "Email address" if emails else "ID number" if ids else "Username"
    header = [ident, "Full name", f"{assignment.name} (Real)", f"{assignment.name} (Feedback)"] + \
        [f"{name} (Real)" for name in assignment.exercises]
    written = 0
    with _atomic(path) as f:
        writer = csv.writer(f)
        writer.writerow(header)
        for row in book:
            who = {"Email address": row.who.email, "ID number": row.who.id, "Username": row.student}[ident]
            if not who:
                continue
            result = row.result
            by_name = {e.name: e for e in result.exercises} if result else {}
            parts = [f"{n} {_pts(by_name[n].points)}/{_pts(by_name[n].max_points)} {status(by_name[n])}"
                     for n in assignment.exercises if n in by_name]
            feedback = "; ".join(parts) if result else "no submission"
            if row.late_hours:
                feedback += f"; submitted {row.late_hours:.1f} h late"
            writer.writerow([who, row.who.name or row.student, _pts(result.points if result else 0.0), feedback]
                            + [_pts(by_name[n].points) if n in by_name else "0" for n in assignment.exercises])
            written += 1
    return written


LMS_WRITERS = {"moodle": write_moodle}


def write_all(out, graded, assignment, roster=None, due=None, feedback_dir=None, lms=None, mode_detail=""):
    """Write the gradebook, its summary, and optionally feedback files and an LMS file; returns their paths."""
    out = Path(out)
    book, unmatched = rows(graded, assignment, roster, due)
    write_csv(out, book, assignment)
    paths = {"gradebook": out}
    paths["summary"] = out.with_name(out.stem + ".summary.md")
    with _atomic(paths["summary"]) as f:
        f.write(summary(book, assignment, unmatched, mode_detail))
    if feedback_dir:
        paths["feedback"] = Path(feedback_dir)
        write_feedback(feedback_dir, book, assignment)
    if lms:
        paths[lms] = out.with_name(f"{out.stem}.{lms}.csv")
        LMS_WRITERS[lms](paths[lms], book, assignment)
    return paths, book, unmatched


def parse_due(text):
    """A due date from the command line (ISO 8601, e.g. 2025-10-14T23:59+02:00; without a zone: local time)."""
    try:
        due = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--due must be a date and time like 2025-10-14T23:59:00+02:00; got {text!r}.") from None
    return due if due.tzinfo else due.astimezone()
