r"""The learner's exercise files: find them and load them in the notebook kernel.

Each notebook's Exercise section runs *your* function on the notebook's own worked example, next to
the numbers the text derived::

    import backprop_course as bp

    mine = bp.exercises.load("ex05_deltas")     # reads exercises/ex05_deltas.py afresh
    mine.deltas(Theta, x, y)                    # your function, on the notebook's example

The folder is found by the grader's rule (:func:`backprop_course.grading.find_submission`): the
``BACKPROP_EXERCISES`` environment variable, else an ``exercises/`` folder with ``ex*.py`` files in
the current directory or a parent (a notebook in ``notebooks/`` finds ``../exercises``). The stubs
import each other (``from ex02_forward import forward``), so the folder is put on ``sys.path`` while
the files load, and every exercise file is read again at each :func:`load`: edit, save, run the
cell again. Your code runs here, in the notebook's own process, without the grader's sandbox or
time limit; grade it with ``bp.check("ex05_deltas")``.
"""

import functools
import importlib
import re
import sys
import traceback
from pathlib import Path

__all__ = ["load", "ExerciseNotDone", "Mine"]

_EXERCISE_FILE = re.compile(r"ex\d\d_\w+")


class ExerciseNotDone(NotImplementedError):
    """A function of your exercises (this one, or an earlier one it uses) is still the stub."""


class Mine:
    """Your exercise's functions, loaded from your file; call them like the library's.

    Attributes
    ----------
    name : str
        The exercise, e.g. ``"ex05_deltas"``.
    path : pathlib.Path
        The file they were read from.
    module : module
        The whole file, for anything else you wrote in it.
    """

    def __init__(self, exercise, path, module):
        self.name, self.path, self.module = exercise.name, path, module
        self._functions = exercise.functions
        for function in exercise.functions:
            setattr(self, function, _teaching(getattr(module, function), exercise, function))

    def __repr__(self):
        return f"<your {self.name}: {', '.join(self._functions)} from {self.path}>"


def load(exercise, submission_dir=None):
    """Load your exercise file afresh and return its functions.

    Parameters
    ----------
    exercise : str
        e.g. ``"ex05_deltas"`` (``"ex05"`` and ``"5"`` work too).
    submission_dir : path, optional
        Your exercises folder; found automatically from a notebook (see the module's docstring).

    Returns
    -------
    Mine
        Your functions as attributes, e.g. ``mine.deltas``. Calling one that is still the stub
        raises :class:`ExerciseNotDone`, naming the exercise to finish.

    Raises
    ------
    FileNotFoundError
        When no exercises folder, or not this exercise's file, is found.
    ValueError
        For an exercise name the course does not have.
    """
    from .grading import find_submission
    from .grading.cases import get

    exercise = get(exercise)
    try:
        folder = find_submission(submission_dir)
    except FileNotFoundError as error:
        raise FileNotFoundError(
            f"{error} Your exercises are the ex*.py files of the course's exercises/ folder; open this "
            f"notebook from the course folder (the one made by `backprop-course start`, which holds both "
            f"notebooks/ and exercises/), or pass load({exercise.name!r}, submission_dir='path/to/exercises')."
        ) from None
    path = Path(folder) / exercise.filename
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: the exercise file {exercise.filename} should be in "
                                f"{folder}. `backprop-course update` puts back a missing stub.")
    return Mine(exercise, path, _import_fresh(Path(folder), path.stem))


def _import_fresh(folder, name):
    """Import `name` from `folder`, after forgetting every exercise module loaded before (from any folder)."""
    folder = folder.resolve()
    for module_name in list(sys.modules):
        if _EXERCISE_FILE.fullmatch(module_name):
            del sys.modules[module_name]
    importlib.invalidate_caches()
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


def _teaching(function, exercise, name):
    """`function`, raising :class:`ExerciseNotDone` (with what to finish) where a stub is reached."""
    @functools.wraps(function)
    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except NotImplementedError as error:
            stub = _raising_file(error.__traceback__)
            if stub is None or stub == exercise.name:
                where = exercise.hints[name].write_it(f"notebooks/{exercise.notebook}.ipynb")
                raise ExerciseNotDone(
                    f"your {name} in {exercise.filename} is not done yet (it still raises "
                    f"NotImplementedError). Write it {where}, save the file and run this cell again."
                ) from None
            raise ExerciseNotDone(
                f"your {name} in {exercise.filename} uses your {stub}.py, which is not done yet "
                f"({error}). Finish that exercise first, save it and run this cell again."
            ) from None
    return call


def _raising_file(tb):
    """The exercise module (e.g. ``"ex01_sigmoid"``) whose code raised, or None."""
    frames = traceback.extract_tb(tb)
    for frame in reversed(frames):
        stem = Path(frame.filename).stem
        if _EXERCISE_FILE.fullmatch(stem):
            return stem
    return None
