"""Broken or hostile exercise files: each costs only its own exercise, and nothing raises a score.

All submissions are graded together (in parallel, with a short wall-clock limit) by one fixture; each
test then looks at one outcome. Every bad submission also holds a correct ex09, which must still get
full marks: one exercise's disaster never touches another.
"""

import re
import textwrap

import pytest
from submissions import make_submission

from backprop_course.grading.harness import grade_many

TIMEOUT = 6.0

# Graded code gets its result pipe as some file descriptor above 2: these forgeries write to all of them.
FORGE = """
        import json, os, struct
        def forge(*frames, raw=None):
            for fd in (int(n) for n in os.listdir("/proc/self/fd")):
                if fd > 2:
                    try:
                        if raw is not None:
                            os.write(fd, raw)
                        for frame in frames:
                            data = json.dumps(frame).encode()
                            os.write(fd, struct.pack(">I", len(data)) + data)
                    except OSError:
                        pass
"""

HALF_RIGHT = """
        def gradient_descent_step(Theta, D, alpha):       # right on one-layer networks only
            return {l: Theta[l] - alpha * D[l] if len(Theta) == 1 else 0 * Theta[l] for l in Theta}
"""

BAD = {
    # name: (exercise file, source)
    "loop_bare_except": ("ex08_gradient_descent_step", """
        def gradient_descent_step(Theta, D, alpha):
            while True:
                try:
                    pass
                except:  # noqa: E722
                    pass
        """),
    "loop_at_import": ("ex08_gradient_descent_step", """
        while True:
            try:
                x = 1
            except:  # noqa: E722
                pass
        """),
    "segfault": ("ex08_gradient_descent_step", """
        import os, signal
        def gradient_descent_step(Theta, D, alpha):
            os.kill(os.getpid(), signal.SIGSEGV)
        """),
    "sys_exit": ("ex08_gradient_descent_step", """
        import sys
        def gradient_descent_step(Theta, D, alpha):
            sys.exit(0)
        """),
    "os_exit": ("ex08_gradient_descent_step", """
        import os
        def gradient_descent_step(Theta, D, alpha):
            os._exit(0)
        """),
    "syntax_error": ("ex08_gradient_descent_step", """
        def gradient_descent_step(Theta, D, alpha)
            return Theta
        """),
    "memory": ("ex08_gradient_descent_step", """
        import numpy as np
        def gradient_descent_step(Theta, D, alpha):
            big = np.ones((100000, 100000))
            return {l: big for l in Theta}
        """),
    "prints_megabytes": ("ex08_gradient_descent_step", """
        def gradient_descent_step(Theta, D, alpha):
            for _ in range(100000):
                try:
                    print("x" * 1000)
                except:  # noqa: E722
                    pass
            return {l: Theta[l] - alpha * D[l] for l in Theta}
        """),
    "half_right": ("ex08_gradient_descent_step", HALF_RIGHT),
    "half_right_and_cheats": ("ex08_gradient_descent_step", """
        import numpy as np
        import backprop_course as bp
        import backprop_course.grading.checks as checks
        import backprop_course.grading.report as report
        np.allclose = lambda *a, **k: True
        np.array_equal = lambda *a, **k: True
        bp.gradient_descent_step = lambda Theta, D, alpha: Theta
        checks.compare = lambda *a, **k: None
        checks.evaluate = lambda *a, **k: (True, "")
        report.SubmissionResult.points = property(lambda self: 90)
        print("ex08_gradient_descent_step  10  10  passed  all checks passed")
        open("results.json", "w").write('{"score": 90}')
        """ + HALF_RIGHT),
    "forged_frames_then_exit": ("ex08_gradient_descent_step", FORGE + """
        forge({"type": "imported"}, {"type": "case", "id": "u_fixed1", "ok": True, "value": 1.0},
              {"type": "case", "id": "u_rand1", "ok": True, "value": {"__dict__": [[1, {"__f__": "x"}]]}},
              {"type": "case", "id": 7, "ok": True}, {"type": "case", "ok": True}, {"type": "done"})
        os._exit(0)
        """),
    "garbage_on_the_pipe": ("ex08_gradient_descent_step", FORGE + """
        forge(raw=b"\\x00\\x00\\x00\\x05{{{{{")
        def gradient_descent_step(Theta, D, alpha):
            return {l: Theta[l] - alpha * D[l] for l in Theta}
        """),
    "nested_frame_bomb": ("ex08_gradient_descent_step", FORGE + """
        bomb = b"[" * 200000 + b"]" * 200000
        forge(raw=struct.pack(">I", len(bomb)) + bomb)
        def gradient_descent_step(Theta, D, alpha):
            return {l: Theta[l] - alpha * D[l] for l in Theta}
        """),
    "forged_partial_batches": ("ex09_minibatches", FORGE + """
        forge({"type": "imported"}, {"type": "case", "id": "mb_rand1", "ok": True,
               "value": {"__seq__": [], "kind": "list"}}, {"type": "done"})
        os._exit(0)
        """),
    "calls_the_library": ("ex10_backprop_vectorized", """
        import backprop_course as bp
        def backprop(Theta, X, Y, lambda_):
            return bp.backprop(Theta, X, Y, lambda_)
        """),
    "calls_the_library_loop_twin_and_hides_it": ("ex10_backprop_vectorized", """
        from backprop_course.network import backprop_loop
        def backprop(Theta, X, Y, lambda_):
            try:
                return backprop_loop(Theta, X, Y, lambda_)
            except:  # noqa: E722
                return {l: 0 * T for l, T in Theta.items()}
        """),
    "calls_library_sigmoid": ("ex01_sigmoid", """
        from backprop_course import sigmoid, sigmoid_gradient  # noqa: F401
        """),
    "missing_function": ("ex08_gradient_descent_step", """
        def gradient_descent(Theta, D, alpha):
            return Theta
        """),
    "unreadable_result": ("ex08_gradient_descent_step", """
        class Key(tuple):
            pass
        def gradient_descent_step(Theta, D, alpha):
            return {Key((l,)): Theta[l] - alpha * D[l] for l in Theta}
        """),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("bad")
    folders, exercises = {}, {}
    for name, (exercise, source) in BAD.items():
        folders[name] = make_submission(base / name, files={f"{exercise}.py": textwrap.dedent(source)})
        exercises[name] = [exercise, "ex09_minibatches"]
    missing = make_submission(base / "missing_file")
    (missing / "ex08_gradient_descent_step.py").unlink()
    folders["missing_file"], exercises["missing_file"] = missing, ["ex08_gradient_descent_step", "ex09_minibatches"]
    return grade_many(folders, timeout=TIMEOUT, exercises=exercises)


def outcome(graded, name):
    bad, other = graded[name].exercises
    assert other.name == "ex09_minibatches" and other.points == other.max_points, (
        f"{name} affected another exercise:\n{other.text()}")
    return bad


@pytest.mark.parametrize("name, status, words", [
    ("loop_bare_except", "timeout", "infinite loop"),
    ("loop_at_import", "timeout", "infinite loop"),
    ("segfault", "crashed", "SIGSEGV"),
    ("sys_exit", "exited", "sys.exit"),
    ("os_exit", "exited", "os._exit"),
    ("syntax_error", "import_error", "SyntaxError"),
    ("memory", "memory", "MemoryError"),
    ("prints_megabytes", "output_limit", "printed more"),
    ("missing_file", "missing", "not found"),
])
def test_a_broken_exercise_gets_zero_with_a_clear_message_and_others_are_still_graded(graded, name, status, words):
    result = outcome(graded, name)
    assert result.points == 0
    assert result.status == status, result.text()
    assert words in result.first_line, result.first_line


@pytest.mark.parametrize("name, lines", [("segfault", {4}), ("loop_bare_except", {3, 4, 5, 6, 7}),
                                         ("loop_at_import", {2, 3, 4, 5, 6})])
def test_a_crash_or_a_hang_names_the_learners_line(graded, name, lines):
    result = outcome(graded, name)
    where = re.search(r"line (\d+) of ex08_gradient_descent_step\.py", result.first_line)
    assert where and int(where.group(1)) in lines, result.first_line      # (the sources start with a blank line)
    assert "sys.exit()" not in result.first_line


def test_missing_function_is_named(graded):
    result = outcome(graded, "missing_function")
    assert result.points == 0 and "gradient_descent_step()" in result.first_line


def test_monkeypatching_numpy_and_the_grader_in_the_graded_process_gains_nothing(graded):
    honest, cheat = outcome(graded, "half_right"), outcome(graded, "half_right_and_cheats")
    assert 0 < honest.points < honest.max_points
    assert cheat.points == honest.points, cheat.text()
    assert [c.points for c in cheat.checks] == [c.points for c in honest.checks]


@pytest.mark.parametrize("name", ["garbage_on_the_pipe", "nested_frame_bomb"])
def test_garbage_written_to_the_result_pipe_voids_only_that_exercise(graded, name):
    result = outcome(graded, name)
    assert result.points == 0 and result.status == "invalid" and "malformed" in result.first_line


def test_forged_frames_and_an_early_exit_give_nothing(graded):
    result = outcome(graded, "forged_frames_then_exit")
    assert result.points == 0, result.text()


def test_forged_frames_for_some_cases_only_give_nothing(graded):
    bad, = graded["forged_partial_batches"].exercises[:1]
    assert bad.name == "ex09_minibatches" and bad.points == 0, bad.text()


@pytest.mark.parametrize("name", ["calls_the_library", "calls_the_library_loop_twin_and_hides_it",
                                  "calls_library_sigmoid"])
def test_calling_the_librarys_own_version_gets_zero_with_a_message(graded, name):
    result = outcome(graded, name)
    assert result.points == 0 and result.status == "forbidden", result.text()
    assert "library's own version" in result.first_line


def test_a_result_that_is_not_numbers_is_a_wrong_answer_that_says_why(graded):
    result = outcome(graded, "unreadable_result")
    assert result.points == 0 and result.status == "failed", result.text()
    assert "a dict with a key of type Key" in result.text()
