"""The autograder: grade the learner's ``exercises/`` with partial credit and diagnosed mistakes.

In a notebook::

    from backprop_course.grading import check
    check("ex05_deltas")          # grades exercises/ex05_deltas.py, shows the feedback inline

From a shell: ``pytest exercises/``, ``backprop-course grade``, ``backprop-course grade-all``.
See ``exercises/README.md``, whose "Security model" says what the grader guarantees in each mode.

The modules: ``cases`` (the exercises: hints, cases, checks, reference, diagnoses), ``checks``
(scoring in the grader's process), ``harness`` (reading submissions, running graded processes),
``sandbox`` (bubblewrap and the fallbacks), ``child`` and ``wire`` (the graded process's whole
runtime), ``report``, ``gradescope``, ``cli``, ``make_stubs`` and ``pytest_plugin``.
"""

import os
from pathlib import Path

from .cases import EXERCISE_NAMES, EXERCISES
from .harness import grade_exercise, grade_submission
from .report import ExerciseResult, SubmissionResult

__all__ = ["check", "find_submission", "grade_exercise", "grade_submission", "EXERCISES", "EXERCISE_NAMES",
           "ExerciseResult", "SubmissionResult"]

ENV_VAR = "BACKPROP_EXERCISES"


def find_submission(submission_dir=None, start=None):
    """The learner's exercises folder.

    Order: the explicit `submission_dir`; the ``BACKPROP_EXERCISES`` environment variable; then an
    ``exercises/`` folder holding ``ex*.py`` files in the current directory or any parent (a notebook
    in ``notebooks/`` finds ``../exercises``).
    """
    if submission_dir is not None:
        path = Path(submission_dir).expanduser()
        if not path.is_dir():
            raise FileNotFoundError(f"submission_dir {str(path)!r} is not a folder; pass the folder that holds "
                                    f"ex01_sigmoid.py and the other exercise files.")
        return path.resolve()
    if os.environ.get(ENV_VAR):
        return find_submission(os.environ[ENV_VAR])
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for candidate in (folder / "exercises", folder):
            if candidate.name == "exercises" and candidate.is_dir() and any(candidate.glob("ex*_*.py")):
                return candidate
    raise FileNotFoundError(f"no exercises/ folder with ex*.py files found in {here} or its parents; pass "
                            f"submission_dir=... or set the {ENV_VAR} environment variable.")


def check(exercise, submission_dir=None, timeout=None, assignment=None):
    """Grade one exercise of your ``exercises/`` folder and show the feedback (a table in notebooks).

    Parameters
    ----------
    exercise : str
        e.g. ``"ex05_deltas"`` (``"ex05"`` and ``"5"`` work too).
    submission_dir : path, optional
        Where your exercise files are; found automatically from a notebook (see :func:`find_submission`).
    timeout : float, optional
        Seconds before a run that hangs is stopped (default: 20, or the assignment's time limit).
    assignment : path, optional
        An ``assignment.toml`` from your course: its points, time limits and private cases.

    Returns
    -------
    ExerciseResult
        Displays as an HTML table in Jupyter and as text elsewhere; ``.points``, ``.max_points``,
        ``.status``, ``.findings`` (diagnosed mistakes) and ``.checks`` hold the details. An exercise
        name that does not exist, an assignment file that cannot be used, or an exercise the assignment
        leaves out gives a result whose status and message say so (no traceback in the notebook).
    """
    from .assignment import AssignmentError, load
    from .cli import exercise_names

    try:
        chosen = load(assignment)
        (name,) = exercise_names([exercise], chosen)
        folder = find_submission(submission_dir)
    except (AssignmentError, ValueError, FileNotFoundError) as exc:
        return ExerciseResult(str(exercise), 0.0, 0.0, "cannot grade", [str(exc)])
    return grade_exercise(name, folder, timeout=timeout, assignment=chosen)
