"""One test per exercise: it passes when the exercise earns full marks (you do not need to edit this file).

Run ``pytest exercises/`` (all) or ``pytest exercises/ -k ex05`` (one); the feedback of a failing
exercise names the check that failed and, when it recognizes one, the mistake.
"""

import pytest

from backprop_course.grading import EXERCISE_NAMES
from backprop_course.grading.pytest_plugin import assert_full_marks


@pytest.mark.parametrize("exercise", EXERCISE_NAMES)
def test_exercise(exercise, grading):
    assert_full_marks(grading, exercise)
