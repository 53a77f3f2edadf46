"""Your own copy of the course: the notebooks and exercise stubs, copied into a folder you work in.

``backprop-course start [DIR]`` copies them out of the installed package into DIR (default
``./backprop-course``) and opens ``notebooks/00_start_here.ipynb``; ``backprop-course update [DIR]``
brings in a newer version of the course later. The folder has the layout of a clone, so ``check(...)``
in a notebook, ``backprop-course grade`` and ``pytest exercises/`` work in it as they do in a clone.

Updates merge the way nbgitpuller does: **your edits always win and nothing is lost.** A manifest in
the folder (``.backprop-course.json``) records the fingerprint (SHA-256) of every file as the course
installed it, which tells a change of yours from a change of the course:

=============================  ==================  ================================================
your file                      the course's file   ``update`` does
=============================  ==================  ================================================
missing, never installed       exists              adds it
missing, installed before      exists              restores it
as installed                   changed             replaces it with the new version
changed by you                 unchanged           nothing: your version stays
changed by you                 changed             keeps yours and writes the course's version
                                                   beside it, ``NAME.course-VERSION.EXT``
=============================  ==================  ================================================

A file the course no longer has stays where it is.
"""

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".backprop-course.json"
DEFAULT_FOLDER = "backprop-course"
FIRST_NOTEBOOK = "notebooks/00_start_here.ipynb"
# What a workspace gets, folder -> file patterns. Never the reference solutions: they live in
# backprop_course/grading/solutions/, which is neither here nor in the wheel.
COURSE_FILES = {"notebooks": ("*.ipynb",), "exercises": ("*.py", "README.md")}
PACKAGE_DATA = Path(__file__).resolve().parent / "course"  # where the wheel puts the course files
CHECKOUT = Path(__file__).resolve().parents[1]  # the clone, for an editable install


def course_version():
    from . import __version__

    return __version__


def course_source():
    """The folder holding the course's ``notebooks/`` and ``exercises/``.

    An installed wheel carries them as package data (``backprop_course/course/``); an editable install
    from a clone reads the clone's own folders.
    """
    for root in (PACKAGE_DATA, CHECKOUT):
        if all((root / folder).is_dir() for folder in COURSE_FILES):
            return root
    raise FileNotFoundError(
        f"the course's notebooks and exercises are not installed (looked in {PACKAGE_DATA} and {CHECKOUT}). "
        "Reinstall the package from a wheel (pip install --force-reinstall backprop-course) or from a clone "
        "(pip install -e .)."
    )


def course_files(source=None):
    """{relative path like "notebooks/01_neuron_and_sigmoid.ipynb": absolute Path} of every course file."""
    source = Path(source) if source is not None else course_source()
    files = {}
    for folder, patterns in COURSE_FILES.items():
        for pattern in patterns:
            for path in (source / folder).glob(pattern):
                if path.is_file():
                    files[f"{folder}/{path.name}"] = path
    return dict(sorted(files.items()))


def fingerprint(path):
    """SHA-256 of a file's bytes, as hex."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_manifest(folder):
    """{relative path: fingerprint as installed} from FOLDER's manifest, or None when it has none."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
        files = data["files"]
        if not isinstance(files, dict):
            raise TypeError("files is not a mapping")
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is damaged ({exc}); delete it and run `backprop-course update` again: your files "
                         "are kept, and course files that differ from yours are written beside them.") from exc
    return {str(k): str(v) for k, v in files.items()}


def _write_manifest(folder, files):
    data = {"course_version": course_version(), "files": dict(sorted(files.items()))}
    fd, tmp = tempfile.mkstemp(prefix=".manifest-", dir=folder)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=1)
        out.write("\n")
    os.replace(tmp, Path(folder) / MANIFEST)


def _beside_name(relpath):
    """Where the course's version goes when yours differs: ``exercises/ex05_deltas.course-0.2.0.py``."""
    path = Path(relpath)
    return (path.parent / f"{path.stem}.course-{course_version()}{path.suffix}").as_posix()


def _free_beside_name(folder, relpath, digest):
    """A name beside `relpath` that is free, or already holds exactly this version (then nothing to write)."""
    base = Path(_beside_name(relpath))
    for number in range(1, 1000):
        name = base.as_posix() if number == 1 else (base.parent / f"{base.stem}-{number}{base.suffix}").as_posix()
        target = Path(folder) / name
        if not target.exists() or (target.is_file() and fingerprint(target) == digest):
            return name
    raise RuntimeError(f"too many copies beside {relpath} in {folder}; tidy them up and run update again.")


@dataclass
class SyncReport:
    """What a sync did (or, with ``dry_run``, would do) to each file of a workspace."""

    folder: Path
    added: list = field(default_factory=list)
    restored: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    beside: list = field(default_factory=list)  # (your file, where the course's version went)
    yours: list = field(default_factory=list)  # changed by you, the course's version unchanged
    left: list = field(default_factory=list)  # no longer in the course; your copy stays
    unchanged: int = 0
    dry_run: bool = False

    @property
    def changes(self):
        """How many files were (or would be) written."""
        return len(self.added) + len(self.restored) + len(self.updated) + len(self.beside)

    def lines(self):
        """The report, one line per file that was written or needs your attention, then a summary line."""
        verb = "would be " if self.dry_run else ""
        out = [f"  added     {p}" for p in self.added]
        out += [f"  restored  {p} (it was missing)" for p in self.restored]
        out += [f"  updated   {p} (you had not changed it)" for p in self.updated]
        out += [f"  beside    {p}: you changed it and so did the course; the course's version {verb}written to {b}"
                for p, b in self.beside]
        out += [f"  left      {p} (no longer part of the course; your copy stays)" for p in self.left]
        summary = [f"{self.unchanged} file(s) already as the course has them"]
        if self.yours:
            summary.append(f"{len(self.yours)} you changed stay as you left them")
        out.append("  " + "; ".join(summary) + ".")
        return out

    def text(self):
        return "\n".join(self.lines())


def sync(folder, source=None, dry_run=False):
    """Bring FOLDER up to the installed course without ever overwriting a file you changed.

    Parameters
    ----------
    folder : path
        The workspace; created if missing.
    source : path, optional
        A folder with ``notebooks/`` and ``exercises/`` (default: the installed course).
    dry_run : bool
        Only report what would change; write nothing.

    Returns
    -------
    SyncReport
    """
    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} is a file, not a folder; choose another place for the course.")
    course = course_files(source)
    if not course:
        raise FileNotFoundError(f"no course files found in {source or course_source()}.")
    installed = read_manifest(folder) if folder.is_dir() else None
    installed = installed or {}
    report = SyncReport(folder=folder.resolve() if folder.exists() else folder.absolute(), dry_run=dry_run)
    manifest = dict(installed)
    writes = []  # (source file, relative target)

    for relpath, source_file in course.items():
        new = fingerprint(source_file)
        target = folder / relpath
        old = installed.get(relpath)
        if not target.exists():
            (report.restored if old is not None else report.added).append(relpath)
            writes.append((source_file, relpath))
        elif not target.is_file():
            raise IsADirectoryError(f"{target} is a folder, but the course has a file there; rename the folder.")
        else:
            mine = fingerprint(target)
            if mine == new:
                report.unchanged += 1
            elif old is not None and mine == old:
                report.updated.append(relpath)  # as installed: the course's new version replaces it
                writes.append((source_file, relpath))
            elif old == new:
                report.yours.append(relpath)  # you changed it; the course did not
            else:
                # You changed it and the course did too (or the file was there before the course was
                # installed): yours stays, the course's version goes beside it.
                beside = _free_beside_name(folder, relpath, new)
                report.beside.append((relpath, beside))
                if not (folder / beside).exists():
                    writes.append((source_file, beside))
        manifest[relpath] = new
    for relpath in sorted(set(installed) - set(course)):
        if (folder / relpath).exists():
            report.left.append(relpath)
        del manifest[relpath]

    if not dry_run:
        folder.mkdir(parents=True, exist_ok=True)
        for source_file, relpath in writes:
            target = folder / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source_file, target)
        _write_manifest(folder, manifest)
        report.folder = folder.resolve()
    return report
