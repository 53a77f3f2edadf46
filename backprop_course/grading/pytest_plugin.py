"""pytest support for ``pytest exercises/``: one test per exercise and a score table at the end.

``exercises/conftest.py`` imports the fixture and the hook from here. The exercises are graded once,
in parallel child processes (learner code never runs inside the pytest process), when the first
exercise test runs; each test then fails with the exercise's feedback unless it has full marks, and
the run ends with the score table.
"""

from pathlib import Path

import pytest

from .harness import grade_submission

_KEY = pytest.StashKey[object]()


@pytest.fixture(scope="session")
def grading(request):
    """{exercise name: ExerciseResult} for the exercises selected in this pytest session."""
    items = [item for item in request.session.items if "exercise" in getattr(getattr(item, "callspec", None),
                                                                               "params", {})]
    names = [item.callspec.params["exercise"] for item in items]
    folder = Path(items[0].path).parent if items else Path.cwd()
    result = grade_submission(folder, exercises=names or None)
    request.config.stash[_KEY] = result
    return {e.name: e for e in result.exercises}


def assert_full_marks(grading, exercise):
    result = grading[exercise]
    if result.points < result.max_points:
        pytest.fail(result.text(), pytrace=False)


def pytest_unconfigure(config):
    """Print the score table last, after pytest's own summary, so the run ends with it."""
    result = config.stash.get(_KEY, None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if result is None or reporter is None:
        return
    reporter.write_sep("=", "backprop-course grade")
    for line in result.table().splitlines():
        reporter.write_line(line)
