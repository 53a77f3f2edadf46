"""The command line: grade, grade-all (a class in parallel) and the Gradescope bundle in a fake /autograder."""

import csv
import json
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from submissions import make_submission, run_autograder, unpack_bundle

from backprop_course.cli import main
from backprop_course.grading import EXERCISE_NAMES

REPO = Path(__file__).resolve().parents[1]


def test_grade_writes_the_table_and_a_valid_results_json(tmp_path, capsys):
    sub = make_submission(tmp_path / "exercises")
    out = tmp_path / "out" / "results.json"
    code = main(["grade", "--submission", str(sub), "--json", str(out), "--exercise", "ex08", "--quiet"])
    printed = capsys.readouterr().out
    assert code == 0 and "ex08_gradient_descent_step" in printed and "total" in printed
    data = json.loads(out.read_text())
    assert data["score"] == 10 and data["tests"]


def test_grade_reference_has_full_marks(capsys):
    assert main(["grade", "--reference", "--quiet"]) == 0
    total = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("total"))
    assert total.split()[1:3] == ["90", "90"]


def test_grade_without_an_exercises_folder_says_what_to_do(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BACKPROP_EXERCISES", raising=False)
    assert main(["grade"]) == 2
    assert "--submission" in capsys.readouterr().err


def test_grade_all_writes_one_row_per_student_and_reports_rates_and_mistakes(tmp_path, capsys):
    root = tmp_path / "class"
    make_submission(root / "alice")
    make_submission(root / "bob" / "exercises",
                    files={"ex10_backprop_vectorized.py":
                           (REPO / "tests/buggy/lambda_over_2m_in_D__ex10_backprop_vectorized.py").read_text()})
    (root / "carol").mkdir()
    for stub in (REPO / "exercises").glob("ex*_*.py"):
        (root / "carol" / stub.name).write_text(stub.read_text())
    book = tmp_path / "gradebook.csv"
    assert main(["grade-all", str(root), "--out", str(book)]) == 0
    printed = capsys.readouterr().out
    rows = list(csv.DictReader(book.open()))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol"]
    assert rows[0]["total"] == "90" and rows[2]["total"] == "0"
    assert rows[1]["ex10_backprop_vectorized points"] not in ("0", "10")
    assert rows[1]["ex10_backprop_vectorized status"] == "partial"
    assert rows[1]["ex10_backprop_vectorized diagnoses"] == "lambda_over_2m_in_D"       # per exercise, not merged
    assert not rows[1]["ex06_backprop_loop diagnoses"]
    assert {rows[2][f"{name} status"] for name in EXERCISE_NAMES} == {"not implemented"}
    assert "ex10_backprop_vectorized" in printed and "1/3" in printed
    assert "most common diagnosed mistakes" in printed and "lambda_over_2m_in_D" in printed


@pytest.fixture(scope="module")
def autograder(tmp_path_factory):
    """A simulated /autograder: the bundle unzipped into source/, an empty results/."""
    root = tmp_path_factory.mktemp("autograder")
    bundle = root.parent / "autograder.zip"
    assert main(["gradescope-bundle", "--out", str(bundle)]) == 0
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        assert {"setup.sh", "run_autograder", "assignment.json", "backprop_course/grading/gradescope.py"} <= set(names)
        assert not any("__pycache__" in n for n in names)
        assert not any("grading/solutions" in n for n in names), "the reference solutions stay out of the bundle"
    return unpack_bundle(bundle, root)


def test_run_autograder_grades_the_submission_in_a_simulated_autograder_folder(autograder):
    files = {p.name: p.read_text() for p in make_submission(autograder / "ref").glob("ex*_*.py")}
    data = run_autograder(autograder, files)
    assert data["score"] == 90
    assert sum(t["max_score"] for t in data["tests"]) == 90


def test_run_autograder_survives_a_submission_that_tries_to_overwrite_the_results(autograder):
    results = autograder / "results" / "results.json"
    daemon = textwrap.dedent(f"""
        import os, time
        if os.fork() == 0:
            os.setsid()
            if os.fork() == 0:
                os.closerange(3, 1024)                  # let go of the grader's pipe, then strike late
                time.sleep(4)
                with open({str(results)!r}, "w") as f:
                    f.write('{{"score": 90, "tests": []}}')
                os._exit(0)
            os._exit(0)
        with open({str(results)!r}, "w") as f:
            f.write('{{"score": 90, "tests": []}}')
        def gradient_descent_step(Theta, D, alpha):
            return Theta
    """)
    files = {"ex08_gradient_descent_step.py": daemon}
    data = run_autograder(autograder, files)
    assert data["score"] < 10 and len(data["tests"]) > 9          # only the (wrong) ex08 was submitted
    assert "Not found in your submission" in data["output"]
    time.sleep(5)                                       # the forked writer would have fired by now
    assert json.loads(results.read_text()) == data
