"""Reference solutions of the exercises, the one source of ``exercises/*.py``.

Each file is a flat module (exercise 6 imports ``from ex05_deltas import deltas``, as a learner's
file does), so the grader puts this folder on ``sys.path`` and grades it like any submission. Lines
between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` are replaced by a hint and a
``NotImplementedError`` in the stubs: ``python -m backprop_course.grading.make_stubs``.
"""
