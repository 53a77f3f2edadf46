"""The one submission collector: which files of a student's folder are graded as which exercise.

``grade``, ``grade-all``, the Gradescope bundle and ``check`` read every submission through
:func:`collect`, so the same folder gets the same score on every path. The rules:

- **Any subfolder.** Exercise files are looked for in the folder and all its subfolders (at most
  :data:`MAX_DEPTH` deep). Hidden folders, ``__MACOSX``, ``__pycache__`` and ``.ipynb_checkpoints`` are
  skipped; a folder that is a symbolic link is reported and not entered.
- **Exact names first.** ``ex05_deltas.py`` is graded as exercise 5. Among several, the shallowest
  wins; several at the same depth are *ambiguous*: the most recently modified is graded and the
  others are named.
- **Near misses next.** Without an exact name, a file whose name differs only by letter case, a copy
  suffix (``ex03_cost (1).py``, ``ex03_cost copy.py``, ``ex03_cost-2.py``), spaces or hyphens for
  underscores, or one letter missing, extra or changed after the exercise number (two in a longer
  name: ``ex09_minibatch.py``) is graded under the exercise's name, and the feedback says so
  ("graded `ex03_cost (1).py` as `ex03_cost.py`"). The number must match: ``ex06_deltas.py`` is
  never exercise 5.
- **Helpers kept.** Every other ``.py`` file whose name is a Python module name (``myhelpers.py``) is
  kept, under its own name, next to the exercise files, so ``import myhelpers`` works as it did for the
  student. Two helpers of the same name: the shallowest is kept.
- **Never through a link.** A file that is a symbolic link, a special file (a FIFO, a device) or a file
  too large is reported and never opened through (:func:`read_files`); the sandbox's guarantees rest on it.

The result is a :class:`Submission`: the files read into memory under the names they are graded as,
and per exercise what was found, renamed, ambiguous or missing.
"""

import json
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .cases import EXERCISE_NAMES

MAX_FILES, MAX_FILE_BYTES, MAX_SUBMISSION_BYTES = 50, 1024 ** 2, 8 * 1024 ** 2
MAX_DEPTH, MAX_ENTRIES = 8, 5000
SKIPPED_FOLDERS = ("__MACOSX", "__pycache__", ".ipynb_checkpoints", "node_modules")
METADATA = "submission_metadata.json"     # Gradescope's name for it: the submission time, when present


class SubmissionError(Exception):
    """A submission folder that cannot be graded at all (missing, a link, unreadable)."""


@dataclass
class Submission:
    """A student's ``.py`` files, read without following links, and how each exercise was found.

    Attributes
    ----------
    source : str
        The folder.
    files : dict {name: bytes}
        What is graded, under the name it is graded as (``ex03_cost.py``, ``myhelpers.py``).
    problems : dict {name: str}
        Files that were found but not read, and why (a link, a special file, too large).
    notes : list of str
        Sentences for the student and the gradebook: renamed, ambiguous, skipped links.
    found : dict {exercise file name: path relative to the folder}
    renamed : dict {exercise file name: the student's own relative path}
    ambiguous : dict {exercise file name: [relative paths of the others]}
    missing : list of exercise file names
    submitted : datetime or None
        When it was submitted: Gradescope's metadata if present, else the newest graded file's mtime.
    users : list of dict
        Gradescope's submitters (email, name, sid) when the folder holds its metadata.
    """

    source: str
    files: dict = field(default_factory=dict)
    problems: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    found: dict = field(default_factory=dict)
    renamed: dict = field(default_factory=dict)
    ambiguous: dict = field(default_factory=dict)
    missing: list = field(default_factory=list)
    submitted: datetime = None
    users: list = field(default_factory=list)

    def report(self):
        """One line: what was found, renamed, ambiguous and missing."""
        parts = [f"found {len(self.found)}"]
        if self.renamed:
            parts.append("renamed " + ", ".join(f"{Path(old).name} -> {new}" for new, old in self.renamed.items()))
        if self.ambiguous:
            parts.append("ambiguous " + ", ".join(self.ambiguous))
        if self.missing:
            parts.append("missing " + ", ".join(self.missing))
        return "; ".join(parts)


# -- reading files without following links ----------------------------------------------------------

def read_files(source, paths, sub=None):
    """A :class:`Submission` from {graded name: path}; a link, a special or too large a file is only reported."""
    sub, total = sub or Submission(str(source)), sum(len(v) for v in (sub.files.values() if sub else ()))
    for name, path in paths.items():
        data, why = None, None
        try:
            st = os.lstat(path)
        except OSError as exc:
            st, why = None, f"cannot be read ({exc.strerror})."
        if why:
            pass
        elif len(sub.files) >= MAX_FILES:
            why = f"is one file too many (the grader reads at most {MAX_FILES} .py files)."
        elif stat.S_ISLNK(st.st_mode):
            why = "is a symbolic link; the grader does not follow links: submit the file itself."
        elif not stat.S_ISREG(st.st_mode):
            why = "is not a regular file."
        else:
            data, why = _read_file(path)
            if data is not None and total + len(data) > MAX_SUBMISSION_BYTES:
                data, why = None, f"does not fit: the files of a submission may hold {MAX_SUBMISSION_BYTES} bytes."
        if data is not None:
            sub.files[name] = data
            total += len(data)
        else:
            sub.problems[name] = why
            sub.notes.append(f"{name} {why}")
    return sub


def _read_file(path):
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})."
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "is not a regular file."
        if st.st_size > MAX_FILE_BYTES:
            return None, f"is larger than {MAX_FILE_BYTES // 1024 ** 2} MB."
        data = os.read(fd, MAX_FILE_BYTES + 1)
        return (data, None) if len(data) <= MAX_FILE_BYTES else (None, f"is larger than {MAX_FILE_BYTES} bytes.")
    finally:
        os.close(fd)


# -- matching names ---------------------------------------------------------------------------------------

_COPY = re.compile(r"(\s*\(\d+\)|\s*-\s*copy(\s*\d+)?|\s+copy(\s*\d+)?|-\d+)+$", re.IGNORECASE)


def normalize(filename):
    """A file name as the exercise it may be: lower case, no ``.py``, no copy suffix, ``_`` for spaces and ``-``."""
    stem = filename[:-3] if filename.lower().endswith(".py") else filename
    stem = _COPY.sub("", stem.strip())
    return re.sub(r"[\s\-]+", "_", stem.lower())


def edits(a, b):
    """The Levenshtein distance of two short strings: characters inserted, deleted or changed."""
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        previous, row[0] = row[0], i
        for j, y in enumerate(b, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (x != y))
    return row[-1]


def near_miss(filename, exercise):
    """True when `filename` is a near miss for `exercise` (e.g. "ex05_deltas"): see the module docstring.

    After the copy suffix and the case are set aside, the name may differ from the exercise's by one
    letter, or by two in a name of eight letters or more after the number (``ex09_minibatch``).
    """
    key = normalize(filename)
    number = exercise.split("_")[0] + "_"
    if key == exercise:
        return True
    if not key.startswith(number):
        return False
    allowed = 2 if len(exercise) - len(number) >= 8 else 1
    return edits(key[len(number):], exercise[len(number):]) <= allowed


# -- walking a submission folder --------------------------------------------------------------------------

@dataclass
class _Entry:
    rel: str
    path: str
    depth: int
    mtime: float


def _walk(folder, notes):
    """Every ``.py`` entry under `folder` (links and special files included: they are reported later)."""
    entries, seen = [], 0
    for here, dirs, files in os.walk(folder, followlinks=False):
        rel_here = os.path.relpath(here, folder)
        depth = 0 if rel_here == "." else rel_here.count(os.sep) + 1
        kept = []
        for d in sorted(dirs):
            full = os.path.join(here, d)
            if d.startswith(".") or d in SKIPPED_FOLDERS:
                continue
            if os.path.islink(full):
                notes.append(f"{os.path.relpath(full, folder)}/ is a symbolic link to a folder; the grader does not "
                             f"follow links.")
                continue
            if depth + 1 <= MAX_DEPTH:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            seen += 1
            if seen > MAX_ENTRIES:
                notes.append(f"the folder holds more than {MAX_ENTRIES} files; the rest were not looked at.")
                return entries
            if not name.lower().endswith(".py") or name.startswith("._"):
                continue
            path = os.path.join(here, name)
            try:
                mtime = os.lstat(path).st_mtime
            except OSError:
                mtime = 0.0
            entries.append(_Entry(os.path.relpath(path, folder), path, depth, mtime))
    return entries


def _pick(candidates):
    """The candidate graded (shallowest, then newest, then by name) and the others at that depth."""
    best = min(c.depth for c in candidates)
    top = sorted((c for c in candidates if c.depth == best), key=lambda c: (-c.mtime, c.rel))
    return top[0], [c.rel for c in top[1:]]


def read_metadata(path):
    """(submission time, users, due date) from Gradescope's ``submission_metadata.json``, or (None, [], None)."""
    def when(text):
        return datetime.fromisoformat(text) if isinstance(text, str) else None

    try:
        if os.path.islink(path):
            return None, [], None
        data = json.loads(Path(path).read_text())
        users = [u for u in data.get("users", []) if isinstance(u, dict)]
        due = data.get("assignment", {}).get("due_date") if isinstance(data.get("assignment"), dict) else None
        return when(data.get("created_at")), users, when(due)
    except (OSError, ValueError, AttributeError, TypeError):
        return None, [], None


def _submitted(folder, chosen):
    """Gradescope's submission time if the folder holds its metadata, else the newest graded file's mtime."""
    created, users, _ = read_metadata(Path(folder, METADATA))
    if created is not None:
        return created, users
    times = [c.mtime for c in chosen if c.mtime]
    return (datetime.fromtimestamp(max(times), tz=timezone.utc).astimezone() if times else None), users


def collect(folder, exercises=EXERCISE_NAMES):
    """The :class:`Submission` of `folder` for `exercises` (names like "ex05_deltas"); see the module docstring.

    Raises :class:`SubmissionError` when `folder` itself is a link, not a folder or unreadable.
    """
    folder = Path(folder)
    try:
        st = os.lstat(folder)
    except OSError as exc:
        raise SubmissionError(f"{folder} cannot be read ({exc.strerror}).") from None
    if stat.S_ISLNK(st.st_mode):
        raise SubmissionError(f"{folder} is a symbolic link; the grader does not follow links.")
    if not stat.S_ISDIR(st.st_mode):
        raise SubmissionError(f"{folder} is not a folder.")
    sub = Submission(str(folder))
    try:
        entries = _walk(folder, sub.notes)
    except OSError as exc:
        raise SubmissionError(f"{folder} cannot be read ({exc.strerror}).") from None
    chosen, taken = {}, set()
    # Every exercise's file is staged (a later exercise may import an earlier one); only those of
    # `exercises` are reported missing, renamed or ambiguous.
    for exercise in (*exercises, *(x for x in EXERCISE_NAMES if x not in exercises)):
        graded = exercise in exercises
        target = f"{exercise}.py"
        exact = [e for e in entries if os.path.basename(e.rel) == target]
        near = [e for e in entries if e.rel not in taken and os.path.basename(e.rel) != target
                and near_miss(os.path.basename(e.rel), exercise)]
        pool = exact or near
        if not pool:
            if graded:
                sub.missing.append(target)
            continue
        entry, others = _pick(pool)
        chosen[target] = entry
        taken.add(entry.rel)
        if not graded:
            continue
        if exact and near:
            sub.notes.append(f"also found {', '.join(f'`{e.rel}`' for e in near)}, not graded: `{entry.rel}` has the "
                             f"exact name.")
        sub.found[target] = entry.rel
        if os.path.basename(entry.rel) != target:
            sub.renamed[target] = entry.rel
            sub.notes.append(f"graded `{entry.rel}` as `{target}`.")
        if others:
            sub.ambiguous[target] = others
            sub.notes.append(f"found {len(others) + 1} files for {target} ({', '.join([entry.rel, *others])}); graded "
                             f"`{entry.rel}`, the most recently changed.")
    # Near misses of any exercise (graded or not) are never helpers: `import ex05_deltas` must not reach them.
    helpers = {}
    for e in sorted(entries, key=lambda e: (e.depth, e.rel)):
        name = os.path.basename(e.rel)
        if e.rel in taken or any(near_miss(name, x) for x in EXERCISE_NAMES) or not name[:-3].isidentifier():
            continue
        if name not in helpers:
            helpers[name] = e
    read_files(folder, {name: e.path for name, e in chosen.items()}, sub)
    read_files(folder, {name: e.path for name, e in helpers.items()}, sub)
    sub.submitted, sub.users = _submitted(folder, [chosen[f"{x}.py"] for x in exercises if f"{x}.py" in chosen])
    return sub


def student_folders(root):
    """{student: folder}: one subfolder per student under `root` (hidden ones skipped).

    A subfolder that is a symbolic link is kept as it is: grading reports it instead of following it.
    Loose files directly in `root` are not a student's.
    """
    root = Path(root)
    if not root.is_dir():
        raise SubmissionError(f"{root} is not a folder (expected one subfolder per student).")
    return {sub.name: sub for sub in sorted(root.iterdir())
            if not sub.name.startswith(".") and sub.name not in SKIPPED_FOLDERS and (sub.is_symlink() or sub.is_dir())}
