"""Build submission folders for the grader's tests and benchmarks: the reference solutions plus pieces."""

import shutil
from pathlib import Path

from backprop_course.grading.cases import SOLUTIONS_DIR


def make_submission(folder, *overlays, files=None):
    """A folder holding the reference solutions, then each overlay folder's ``ex*_*.py`` on top.

    Parameters
    ----------
    folder : path
        Created if needed.
    *overlays : paths
        Folders whose exercise files replace the reference ones (missing ones stay reference).
    files : dict {filename: text}, optional
        Files written last, e.g. ``{"ex05_deltas.py": "..."}``.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for source in (SOLUTIONS_DIR, *overlays):
        for path in Path(source).glob("ex*_*.py"):
            shutil.copyfile(path, folder / path.name)
    for name, text in (files or {}).items():
        (folder / name).write_text(text)
    return folder
