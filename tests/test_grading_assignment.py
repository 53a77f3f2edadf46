"""Assignments as configuration (issue 16): which exercises, points, time limits, visibility, private cases.

The issue's minimal file must work as written; every malformed file or private case is refused with
one clear message before anything is graded; the points reach the table, results.json and the
gradebook alike; and the Gradescope bundle grades what the file says.
"""

import csv
import json
import textwrap
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from submissions import make_submission, run_autograder, unpack_bundle

from backprop_course.cli import main
from backprop_course.grading import assignment as A
from backprop_course.grading import check, make_stubs
from backprop_course.grading.cases import BY_NAME, EXERCISES
from backprop_course.grading.checks import prepare
from backprop_course.grading.harness import grade_submission
from backprop_course.grading.report import zero_results

REPO = Path(__file__).resolve().parents[1]
STUBS = REPO / "exercises"
EXAMPLE = STUBS / "assignment.example.toml"

# Issue 16's minimal form, exactly as written there.
MINIMAL = '''name = "Homework 2: backpropagation"
exercises = ["ex05_deltas", "ex06_backprop_loop"]
time_limit = 20                      # seconds per exercise

[points]                             # optional; 10 each by default
ex05_deltas = 20
ex06_backprop_loop = 30

[visibility]                         # optional; Gradescope's values
default = "after_due_date"
'''


@pytest.fixture
def minimal(tmp_path):
    path = tmp_path / "assignment.toml"
    path.write_text(MINIMAL)
    return path


def stub_folder(folder, **files):
    """Every exercise a stub, except `files` ({exercise name: source})."""
    folder.mkdir(parents=True)
    for stub in STUBS.glob("ex*_*.py"):
        (folder / stub.name).write_text(files.get(stub.stem, stub.read_text()))
    return folder


def reference(name):
    return (REPO / "backprop_course" / "grading" / "solutions" / f"{name}.py").read_text()


# -- the minimal form, everywhere ---------------------------------------------------------------------------

def test_the_minimal_form_grades_only_its_exercises_for_50_points_with_its_visibility(minimal, tmp_path, capsys):
    # ex01 and ex02 are still stubs: ex05 and ex06 import them and are graded with correct versions.
    sub = stub_folder(tmp_path / "exercises", ex05_deltas=reference("ex05_deltas"),
                      ex06_backprop_loop=reference("ex06_backprop_loop"))
    results = tmp_path / "results.json"
    assert main(["grade", "--submission", str(sub), "--assignment", str(minimal), "--json", str(results)]) == 0
    table = capsys.readouterr().out
    assert [line.split()[:3] for line in table.splitlines() if line.startswith(("ex0", "total"))] == [
        ["ex05_deltas", "20", "20"], ["ex06_backprop_loop", "30", "30"], ["total", "50", "50"]]
    data = json.loads(results.read_text())
    assert data["score"] == 50 and sum(t["max_score"] for t in data["tests"]) == 50
    assert {t["tags"][0] for t in data["tests"]} == {"ex05_deltas", "ex06_backprop_loop"}
    assert {t["visibility"] for t in data["tests"]} == {"after_due_date"} and data["visibility"] == "after_due_date"

    book = tmp_path / "gradebook.csv"
    (tmp_path / "class").mkdir()
    stub_folder(tmp_path / "class" / "ann", ex05_deltas=reference("ex05_deltas"))
    assert main(["grade-all", str(tmp_path / "class"), "--assignment", str(minimal), "--out", str(book)]) == 0
    (row,) = csv.DictReader(book.open())
    assert (row["total"], row["max"], row["ex05_deltas points"], row["ex06_backprop_loop status"]) == \
        ("20", "50", "20", "not implemented")
    assert "ex01_sigmoid points" not in row


def test_without_a_file_every_exercise_is_graded_for_its_own_points():
    default = A.load(None)
    assert default.exercises == tuple(e.name for e in EXERCISES)
    assert default.points == {e.name: e.points for e in EXERCISES} and default.total == 90
    assert {default.visibility_of(e.name, "fixed cases") for e in EXERCISES} == {"visible"}


def test_exercise_points_are_the_score_the_table_results_json_and_the_placeholder_agree(monkeypatch, tmp_path):
    # Issue 16: Exercise.points was ignored by scoring. Set it to 5 for ex08: the checks scale to it.
    halved = tuple(replace(e, points=5) if e.name == "ex08_gradient_descent_step" else e for e in EXERCISES)
    monkeypatch.setattr(A, "EXERCISES", halved)
    result = grade_submission(make_submission(tmp_path / "s"), exercises=["ex08", "ex09"])
    ex08, ex09 = result.exercises
    assert (ex08.points, ex08.max_points, ex09.max_points) == (5, 5, 10)
    assert sum(c.max_points for c in ex08.checks) == 5 and [c.max_points for c in ex08.checks][:2] == [1.0, 0.75]
    data = result.to_gradescope()
    placeholder = A.load(None)
    assert data["score"] == 15 and sum(t["max_score"] for t in data["tests"] if "ex08" in t["name"]) == 5
    assert {t["name"]: t["max_score"] for t in zero_results(placeholder)["tests"]}["ex08_gradient_descent_step"] == 5
    assert [line.split()[:3] for line in result.table().splitlines() if line.startswith("ex08")] == [
        ["ex08_gradient_descent_step", "5", "5"]]


def test_points_scale_every_check_in_proportion(minimal):
    assignment = A.load(minimal)
    for name, points in (("ex05_deltas", 20), ("ex06_backprop_loop", 30)):
        plain, scaled = prepare(name), prepare(name, None, assignment)
        assert scaled.max_points == points
        assert [c.points / points for c in scaled.checks] == pytest.approx([c.points / 10 for c in plain.checks])


# -- refused before anything is graded -------------------------------------------------------------------------

@pytest.mark.parametrize("text, words", [
    ('exercises = ["ex05_delta"]', "no exercise 'ex05_delta' (did you mean 'ex05_deltas'?)"),
    ('exercises = ["ex04_chain_rule"]', "no exercise 'ex04_chain_rule'"),
    ('exercises = []', "non-empty list"),
    ('exercises = ["ex05_deltas", "ex05_deltas"]', "twice"),
    ('exercises = ["ex05_deltas"]\n[points]\nex05_deltas = 0', "points of ex05_deltas must be a number greater than 0"),
    ('exercises = ["ex05_deltas"]\n[points]\nex05_deltas = "ten"', "must be a number greater than 0; got 'ten'"),
    ('exercises = ["ex05_deltas"]\n[points]\nex05_deltas = true', "got True"),
    ('exercises = ["ex05_deltas"]\n[points]\nex06_backprop_loop = 5', "not in exercises"),
    ('time_limit = 0', "time_limit must be a number greater than 0 and at most 600"),
    ('time_limit = 3600', "at most 600"),
    ('[visibility]\ndefault = "after_due"', "one of visible, hidden, after_due_date, after_published"),
    ('[visibility]\n"fixed casess" = "hidden"', "a kind of check (did you mean 'fixed cases'?)"),
    ('[visibility.ex05_deltas]\nprops = "hidden"', "unknown kind of check 'props'"),
    ('exercise = ["ex05_deltas"]', "unknown key 'exercise' (did you mean 'exercises'?)"),
    ('due = 2025-10-14', "a day alone is ambiguous"),
    ('name = "x"\nname = "y"', "not valid TOML"),
    ('extra_cases = "nowhere.toml"', "extra_cases: cannot read the private cases file"),
])
def test_a_bad_assignment_is_one_clear_error_before_grading(tmp_path, capsys, text, words):
    path = tmp_path / "assignment.toml"
    path.write_text(text + "\n")
    with pytest.raises(A.AssignmentError) as raised:
        A.load(path)
    assert words in str(raised.value) and str(path) in str(raised.value)
    sub = make_submission(tmp_path / "exercises")
    for command in (["grade", "--submission", str(sub)], ["grade-all", str(tmp_path), "--out", str(tmp_path / "b.csv")],
                    ["gradescope-bundle", "--out", str(tmp_path / "a.zip")]):
        assert main([*command, "--assignment", str(path)]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "b.csv").exists() and not (tmp_path / "a.zip").exists()
    shown = check("ex05", submission_dir=sub, assignment=path)
    assert shown.status == "cannot grade" and words in shown.first_line


CASE_ERRORS = [
    ('exercise = "ex05_deltas"\nsizes = [2, 2, 1]', "about must say in a few words"),
    ('exercise = "ex10_backprop_vectorized"\nabout = "x"\nsizes = [2, 1]\nlambda_ = 0.1', "not in exercises"),
    ('exercise = "ex05_deltas"\nabout = "x"\nsize = [2, 2, 1]', "unknown key 'size' (did you mean 'sizes'?)"),
    ('exercise = "ex05_deltas"\nabout = "x"', "needs Theta (or sizes to draw the network from)"),
    ('exercise = "ex06_backprop_loop"\nabout = "x"\nsizes = [2, 2, 1]', "needs lambda_"),
    ('exercise = "ex05_deltas"\nabout = "x"\nsizes = [2, 0, 1]', "sizes must list at least two layer sizes"),
    ('exercise = "ex05_deltas"\nabout = "x"\nTheta = { 1 = [[0.1, 0.2]] }\nx = [[1.0], [2.0]]\ny = [[1.0]]',
     "cannot be built"),
    ('exercise = "ex06_backprop_loop"\nabout = "x"\nsizes = [2, 2, 1]\nlambda_ = -1', "cannot be built"),
    ('exercise = "ex09_minibatches"\nabout = "x"\nm = 5\nbatch_size = 9\nseed = 1', "cannot be built"),
    ('exercise = "ex09_minibatches"\nabout = "x"\nX = [[1.0]]\nbatch_size = 1\nseed = 1', "draws X and Y"),
    ('exercise = "ex01_sigmoid"\nabout = "x"\nz = [1.0, inf]', "holds inf or nan"),
]


@pytest.mark.parametrize("case, words", CASE_ERRORS)
def test_a_broken_private_case_fails_when_loaded_never_when_students_submit(tmp_path, case, words):
    (tmp_path / "cases.toml").write_text(f"[[case]]\n{case}\n")
    path = tmp_path / "assignment.toml"
    path.write_text('exercises = ["ex01_sigmoid", "ex05_deltas", "ex06_backprop_loop", "ex09_minibatches"]\n'
                    'extra_cases = "cases.toml"\n')
    with pytest.raises(A.AssignmentError) as raised:
        A.load(path)
    assert words in str(raised.value), str(raised.value)


# -- private cases are graded ---------------------------------------------------------------------------------

def test_the_example_assignment_and_its_private_cases_load_and_the_reference_passes_them(tmp_path):
    assignment = A.load(EXAMPLE)
    assert assignment.total == 60 and assignment.time_limits["ex07_numerical_gradient"] == 40
    result = grade_submission(None, reference=True, assignment=assignment)
    assert result.points == result.max_points == 60, result.text()
    private = [c for e in result.exercises for c in e.checks if c.group == "private cases"]
    assert [c.label for c in private] == ["instructor's case: a 2-2-1 network whose output is almost right",
                                         "instructor's case: a 3-5-5-2 network with large weights, lambda = 0.3",
                                         "instructor's case: a 2-3-1 network with a small epsilon"]
    ex06 = next(e for e in result.exercises if e.name == "ex06_backprop_loop")
    assert [c.max_points for c in ex06.checks if c.group == "private cases"] == [5.0]      # 2 of 12, scaled to 30


def test_a_private_case_costs_a_wrong_submission_its_points(tmp_path):
    cases = tmp_path / "cases.toml"
    cases.write_text(textwrap.dedent('''
        [[case]]
        exercise = "ex08_gradient_descent_step"
        about = "alpha = 3 on a 2-2 network"
        Theta = { 1 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] }
        D = { 1 = [[1.0, -1.0, 0.5], [0.0, 2.0, -0.5]] }
        alpha = 3
        points = 10
    '''))
    path = tmp_path / "a.toml"
    path.write_text('exercises = ["ex08_gradient_descent_step"]\nextra_cases = "cases.toml"\n')
    capped = "import numpy as np\n\ndef gradient_descent_step(Theta, D, alpha):\n" \
             "    return {l: Theta[l] - min(alpha, 2.0) * D[l] for l in Theta}\n"
    sub = make_submission(tmp_path / "s", files={"ex08_gradient_descent_step.py": capped})
    (e,) = grade_submission(sub, assignment=path).exercises
    (private,) = [c for c in e.checks if c.group == "private cases"]
    assert private.points == 0 and e.points == 5 and e.max_points == 10, e.text()
    assert "instructor's case: alpha = 3 on a 2-2 network" in private.message


def test_generated_private_cases_are_drawn_from_the_secret(tmp_path):
    assignment = A.load(EXAMPLE)
    visible, hidden = (prepare("ex06_backprop_loop", s, assignment).by_id["private1"] for s in (None, b"secret"))
    assert visible.args[0][1].shape == hidden.args[0][1].shape and not np.allclose(visible.args[0][1],
                                                                                    hidden.args[0][1])


# -- exercise names, stale and unknown -------------------------------------------------------------------------

def test_grade_exercise_names_an_unknown_or_excluded_exercise_in_one_line(minimal, tmp_path, capsys):
    sub = make_submission(tmp_path / "exercises")
    assert main(["grade", "--submission", str(sub), "--exercise", "ex04"]) == 2
    err = capsys.readouterr().err
    assert "there is no exercise 'ex04'" in err and "ex05_deltas" in err and "Traceback" not in err
    assert main(["grade", "--submission", str(sub), "--exercise", "ex07", "--assignment", str(minimal)]) == 2
    err = capsys.readouterr().err
    assert "ex07_numerical_gradient is not part of 'Homework 2: backpropagation'" in err and "--submission" not in err
    assert check("ex04", submission_dir=sub).status == "cannot grade"
    assert "there is no exercise 'ex04'" in repr(check("ex04", submission_dir=sub))


def test_make_stubs_check_names_a_stale_stub_of_a_dropped_exercise(tmp_path, capsys):
    out = tmp_path / "exercises"
    out.mkdir()
    for stub in STUBS.glob("ex*_*.py"):
        (out / stub.name).write_text(stub.read_text())
    assert make_stubs.main(["--check", "--out", str(out)]) == 0
    (out / "ex04_chain_rule.py").write_text("def chain():\n    raise NotImplementedError\n")
    assert make_stubs.main(["--check", "--out", str(out)]) == 1
    assert "ex04_chain_rule.py belongs to no exercise" in capsys.readouterr().out


def test_make_stubs_names_an_exercise_without_a_solution(tmp_path, monkeypatch, capsys):
    solutions = tmp_path / "solutions"
    solutions.mkdir()
    for path in make_stubs.SOLUTIONS_DIR.glob("ex*_*.py"):
        if path.stem != "ex09_minibatches":
            (solutions / path.name).write_text(path.read_text())
    monkeypatch.setattr(make_stubs, "SOLUTIONS_DIR", solutions)
    assert make_stubs.main(["--check", "--out", str(STUBS)]) == 1
    out = capsys.readouterr().out
    assert "ex09_minibatches is an exercise" in out and "has no reference solution" in out


def test_a_dropped_exercise_needs_no_code_change(minimal, tmp_path):
    # The folder still has every stub; the assignment grades two exercises and the rest is not looked at.
    sub = stub_folder(tmp_path / "exercises", ex05_deltas=reference("ex05_deltas"))
    result = grade_submission(sub, assignment=minimal)
    assert [e.name for e in result.exercises] == ["ex05_deltas", "ex06_backprop_loop"]
    assert (result.points, result.max_points) == (20, 50)


# -- time limits ---------------------------------------------------------------------------------------------

def test_the_assignments_time_limit_stops_a_hanging_exercise(tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('exercises = ["ex08_gradient_descent_step", "ex09_minibatches"]\n[time_limits]\n'
                    'ex08_gradient_descent_step = 2\n')
    hang = "def gradient_descent_step(Theta, D, alpha):\n    while True:\n        pass\n"
    result = grade_submission(make_submission(tmp_path / "s", files={"ex08_gradient_descent_step.py": hang}),
                              assignment=path)
    ex08, ex09 = result.exercises
    assert ex08.status == "timeout" and "stopped after 2 s" in ex08.first_line, ex08.text()
    assert ex09.points == ex09.max_points


# -- Gradescope: what the file says ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example_bundle(tmp_path_factory):
    base = tmp_path_factory.mktemp("bundle")
    bundle = base / "autograder.zip"
    assert main(["gradescope-bundle", "--out", str(bundle), "--assignment", str(EXAMPLE)]) == 0
    return bundle, unpack_bundle(bundle, base / "autograder")


def test_the_bundle_pins_numpy_and_carries_the_assignment(example_bundle):
    bundle, root = example_bundle
    setup = (root / "source" / "setup.sh").read_text()
    assert f'NUMPY="numpy=={np.__version__}"' in setup
    carried = json.loads((root / "source" / "assignment.json").read_text())
    assert carried["assignment"]["time_limits"]["ex07_numerical_gradient"] == 40
    assert len(carried["assignment"]["cases"]) == 3
    assert '--assignment "$ROOT/source/assignment.json"' in (root / "source" / "run_autograder").read_text()
    with zipfile.ZipFile(bundle) as zf:
        assert not any("solutions" in n or n.endswith(".toml") for n in zf.namelist())


def test_the_bundle_gives_one_test_per_check_with_the_assignments_visibility(example_bundle, tmp_path):
    _, root = example_bundle
    files = {f"{n}.py": reference(n) for n in BY_NAME}
    files["ex06_backprop_loop.py"] = (REPO / "tests/buggy/bias_regularized__ex06_backprop_loop.py").read_text()
    data = run_autograder(root, files)
    checks = {n: len(prepare(n, None, A.load(EXAMPLE)).checks) for n in ("ex05_deltas", "ex06_backprop_loop",
                                                                          "ex07_numerical_gradient")}
    assert len(data["tests"]) == sum(checks.values()) == 9 + 9 + 9
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(60) and 30 < data["score"] < 60
    shown = {(t["tags"][0], t["tags"][1]): t["visibility"] for t in data["tests"]}
    assert shown[("ex05_deltas", "properties")] == "visible"                        # the exercise
    assert shown[("ex06_backprop_loop", "properties")] == "hidden"                  # the exercise's kind
    assert shown[("ex06_backprop_loop", "type and shape")] == "visible"             # the kind
    assert shown[("ex06_backprop_loop", "fixed cases")] == "after_due_date"         # the default
    assert data["visibility"] == "after_due_date"
    # No duplicated report text: each exercise's summary once, in the overall output; each test its own check.
    everything = json.dumps(data["tests"])
    assert "diagnosis [bias_regularized]" not in everything
    assert data["output"].count("diagnosis [bias_regularized]") == 1
    outputs = [t["output"] for t in data["tests"] if t["output"] != "passed"]
    assert len(outputs) == len(set(outputs))
