"""The one submission collector (issue 16): what a messy folder is graded as, the same on every path.

The rules are in ``backprop_course/grading/collect.py``; each test below is one of them. The last test
grades one messy folder through ``grade``, ``grade-all`` and the Gradescope bundle and compares.
"""

import csv
import json
import os
import time
from pathlib import Path

import pytest
from submissions import run_autograder, unpack_bundle

from backprop_course.cli import main
from backprop_course.grading.collect import SubmissionError, collect, near_miss

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "backprop_course" / "grading" / "solutions"


def write(folder, files):
    """{relative path: text} under `folder`."""
    for rel, text in files.items():
        path = Path(folder) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return Path(folder)


def ref(name):
    return (SOLUTIONS / f"{name}.py").read_text()


@pytest.mark.parametrize("name, exercise, expected", [
    ("ex05_deltas.py", "ex05_deltas", True),
    ("Ex05_Deltas.py", "ex05_deltas", True),                   # case
    ("ex03_cost (1).py", "ex03_cost", True),                   # a browser's copy suffix
    ("ex03_cost copy 2.py", "ex03_cost", True),
    ("ex03_cost-2.py", "ex03_cost", True),
    ("ex10_backprop-vectorized.py", "ex10_backprop_vectorized", True),
    ("ex05_delta.py", "ex05_deltas", True),                    # one letter missing
    ("ex02_forwardd.py", "ex02_forward", True),                # one extra
    ("ex09_minibatch.py", "ex09_minibatches", True),           # two, in a long name
    ("ex06_deltas.py", "ex05_deltas", False),                  # another exercise's number
    ("ex03_co.py", "ex03_cost", False),                        # two, in a short name
    ("ex01_sigmoid_old.py", "ex01_sigmoid", False),
    ("deltas.py", "ex05_deltas", False),
])
def test_near_miss_names(name, exercise, expected):
    assert near_miss(name, exercise) is expected


def test_exercise_files_are_found_in_any_subfolder_and_helpers_are_kept(tmp_path):
    folder = write(tmp_path / "s", {"hw2/code/ex05_deltas.py": "x = 1\n", "hw2/code/myhelpers.py": "y = 2\n",
                                    "notes/readme.txt": "", "__MACOSX/hw2/ex06_backprop_loop.py": "junk",
                                    ".ipynb_checkpoints/ex06_backprop_loop.py": "junk"})
    sub = collect(folder, ["ex05_deltas", "ex06_backprop_loop"])
    assert sub.found == {"ex05_deltas.py": "hw2/code/ex05_deltas.py"} and sub.missing == ["ex06_backprop_loop.py"]
    assert set(sub.files) == {"ex05_deltas.py", "myhelpers.py"} and sub.files["myhelpers.py"] == b"y = 2\n"
    assert "missing ex06_backprop_loop.py" in sub.report()


def test_a_near_miss_is_graded_under_the_exercises_name_and_the_student_is_told(tmp_path):
    folder = write(tmp_path / "s", {"ex03_cost (1).py": "J = 1\n", "Ex05_deltas.py": "d = 1\n"})
    sub = collect(folder, ["ex03_cost", "ex05_deltas"])
    assert sub.files == {"ex03_cost.py": b"J = 1\n", "ex05_deltas.py": b"d = 1\n"}
    assert sub.renamed == {"ex03_cost.py": "ex03_cost (1).py", "ex05_deltas.py": "Ex05_deltas.py"}
    assert "graded `ex03_cost (1).py` as `ex03_cost.py`." in sub.notes


def test_the_exact_name_wins_and_the_near_miss_beside_it_is_named(tmp_path):
    folder = write(tmp_path / "s", {"ex03_cost.py": "old\n", "ex03_cost (1).py": "new\n"})
    sub = collect(folder, ["ex03_cost"])
    assert sub.files["ex03_cost.py"] == b"old\n" and not sub.renamed
    assert any("also found `ex03_cost (1).py`, not graded" in n for n in sub.notes)


def test_the_shallowest_file_wins_and_a_tie_is_ambiguous_graded_newest(tmp_path):
    folder = write(tmp_path / "s", {"ex08_gradient_descent_step.py": "top\n", "old/ex08_gradient_descent_step.py": ""})
    assert collect(folder, ["ex08_gradient_descent_step"]).files["ex08_gradient_descent_step.py"] == b"top\n"
    folder = write(tmp_path / "t", {"a/ex08_gradient_descent_step.py": "older\n",
                                    "b/ex08_gradient_descent_step.py": "newer\n"})
    now = time.time()
    os.utime(folder / "a/ex08_gradient_descent_step.py", (now - 100, now - 100))
    sub = collect(folder, ["ex08_gradient_descent_step"])
    assert sub.files["ex08_gradient_descent_step.py"] == b"newer\n"
    assert sub.ambiguous == {"ex08_gradient_descent_step.py": ["a/ex08_gradient_descent_step.py"]}
    assert any("found 2 files for ex08_gradient_descent_step.py" in n and "the most recently changed" in n
               for n in sub.notes)


def test_links_and_special_files_are_reported_and_never_followed(tmp_path):
    outside = write(tmp_path / "outside", {"ex02_forward.py": "secret\n", "ex03_cost.py": "secret\n"})
    folder = write(tmp_path / "s", {"ex05_deltas.py": "ok\n"})
    (folder / "ex02_forward.py").symlink_to(outside / "ex02_forward.py")
    (folder / "linked").symlink_to(outside)                                  # a folder that is a link
    os.mkfifo(folder / "ex01_sigmoid.py")
    sub = collect(folder, ["ex01_sigmoid", "ex02_forward", "ex03_cost", "ex05_deltas"])
    assert set(sub.files) == {"ex05_deltas.py"}
    assert "symbolic link" in sub.problems["ex02_forward.py"]
    assert "not a regular file" in sub.problems["ex01_sigmoid.py"]
    assert "ex03_cost.py" in sub.missing                                      # not looked for through the link
    assert any("linked/ is a symbolic link to a folder" in n for n in sub.notes)
    (tmp_path / "link").symlink_to(folder)
    with pytest.raises(SubmissionError, match="symbolic link"):
        collect(tmp_path / "link")


def test_gradescopes_metadata_gives_the_submission_time_and_the_submitters(tmp_path):
    folder = write(tmp_path / "s", {"ex05_deltas.py": "x\n", "submission_metadata.json": json.dumps(
        {"created_at": "2025-10-15T01:30:00+02:00", "users": [{"email": "ann@uni.edu", "name": "Ann"}]})})
    sub = collect(folder, ["ex05_deltas"])
    assert sub.submitted.isoformat() == "2025-10-15T01:30:00+02:00" and sub.users[0]["email"] == "ann@uni.edu"


# -- one folder, three paths, one score ---------------------------------------------------------------------

MESSY = {
    "Homework/code/ex01_sigmoid.py": ref("ex01_sigmoid"),
    "Homework/code/ex02_forward.py": ref("ex02_forward"),
    "Homework/ex03_cost (1).py": ref("ex03_cost"),
    "Homework/code/Ex05_deltas.py": ref("ex05_deltas"),
    "Homework/code/ex06_backprop_loop.py": ref("ex06_backprop_loop"),
    "Homework/code/ex07_numerical_gradient.py": ref("ex07_numerical_gradient"),
    "Homework/code/ex08_gradient_descent_step.py": "from myhelpers import step\n\n\n"
                                                    "def gradient_descent_step(Theta, D, alpha):\n"
                                                    "    return {l: step(Theta[l], D[l], alpha) for l in Theta}\n",
    "Homework/code/myhelpers.py": "def step(T, D, alpha):\n    return T - alpha * D\n",
    "Homework/code/ex09_minibatch.py": ref("ex09_minibatches"),
    "Homework/code/ex10_backprop_vectorized.py": (REPO / "tests/buggy/lambda_over_2m_in_D__ex10_backprop_vectorized.py")
    .read_text(),
    "__MACOSX/Homework/code/._ex08_gradient_descent_step.py": "\x00\x05junk",
}


def test_one_messy_folder_gets_the_same_score_from_grade_grade_all_and_the_gradescope_bundle(tmp_path, capsys):
    folder = write(tmp_path / "class" / "ann", MESSY)
    results = tmp_path / "results.json"
    main(["grade", "--submission", str(folder), "--json", str(results), "--quiet"])
    local = json.loads(results.read_text())

    book = tmp_path / "gradebook.csv"
    assert main(["grade-all", str(tmp_path / "class"), "--out", str(book)]) == 0
    (row,) = csv.DictReader(book.open())

    bundle = tmp_path / "autograder.zip"
    assert main(["gradescope-bundle", "--out", str(bundle)]) == 0
    online = run_autograder(unpack_bundle(bundle, tmp_path / "autograder"), MESSY, folder="")
    capsys.readouterr()

    ex10 = next(e for e in local["extra_data"]["exercises"] if e["name"] == "ex10_backprop_vectorized")
    assert 0 < ex10["points"] < 10 and "lambda_over_2m_in_D" in ex10["diagnoses"]
    expected = 80 + ex10["points"]                    # everything else is right, once found
    assert local["score"] == float(row["total"]) == online["score"] == expected, (local["output"], online["output"])
    assert [t["score"] for t in local["tests"]] == [t["score"] for t in online["tests"]]
    for notes in (local["output"], row["notes"], online["output"]):
        assert "graded `Homework/ex03_cost (1).py` as `ex03_cost.py`" in notes
        assert "graded `Homework/code/ex09_minibatch.py` as `ex09_minibatches.py`" in notes
    assert "renamed" in row["files"] and "missing" not in row["files"]


def test_every_path_reads_through_the_one_collector():
    from backprop_course.grading import gradescope, harness

    assert gradescope.collect is harness.collect is collect
    source = (REPO / "backprop_course/grading/cli.py").read_text() + (REPO / "backprop_course/grading/__init__.py") \
        .read_text()
    assert "os.walk" not in source and "scandir" not in source
