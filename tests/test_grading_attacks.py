"""Attacks on the grader, each written as a student would: none may earn points."""

import textwrap

from backprop_course.grading import EXERCISE_NAMES, grade_submission

# Issue 9: these lines, saved as every exercise file, scored 90/90. They take the exercise's name from
# their own file name, find the shipped reference solution next to the library and run it.
CHEAT = textwrap.dedent("""
    import importlib.util
    import pathlib

    import backprop_course as bp

    me = pathlib.Path(__file__).stem
    key = pathlib.Path(bp.__file__).parent / "grading" / "solutions" / f"{me}.py"
    spec = importlib.util.spec_from_file_location(f"key_{me}", key)
    answers = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(answers)
    globals().update({k: v for k, v in vars(answers).items() if not k.startswith("__")})
""")


def test_the_fourteen_line_cheat_of_issue_9_scores_nothing(tmp_path):
    for name in EXERCISE_NAMES:
        (tmp_path / f"{name}.py").write_text(CHEAT)
    result = grade_submission(tmp_path)
    assert result.points == 0, result.table()
