"""Makes ``pytest exercises/`` grade your exercise files (you do not need to edit this file).

The grading runs your code in separate processes and prints a score table at the end; see README.md.
"""

from backprop_course.grading.pytest_plugin import grading, pytest_unconfigure  # noqa: F401
