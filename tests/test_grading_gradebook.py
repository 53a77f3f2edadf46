"""A gradebook a course can use (issue 16): statuses, the roster, lateness, feedback files, summary, Moodle.

One class of typical submissions is graded once by ``grade-all`` with every option; each test reads
one of the files it wrote.
"""

import csv
import json
import os
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from submissions import make_submission

from backprop_course.cli import main
from backprop_course.grading.gradebook import STATUSES, read_roster

REPO = Path(__file__).resolve().parents[1]
DUE = datetime(2025, 10, 14, 23, 59, tzinfo=timezone.utc)

ROSTER = """Student ID,Full name,Email address
s101,Ann Archer,ann@uni.edu
s102,Ben Brook,ben@uni.edu
s103,Cara Chen,cara@uni.edu
s104,Dan Dale,dan@uni.edu
s105,Eve Ellis,eve@uni.edu
s106,Finn Ford,finn@uni.edu
s107,Gil Grant,gil@uni.edu
s108,Hana Hill,hana@uni.edu
"""


def stamp(folder, when):
    for path in Path(folder).rglob("*.py"):
        os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    base = tmp_path_factory.mktemp("course")
    root = base / "submissions"
    buggy = (REPO / "tests/buggy/lambda_over_2m_in_D__ex10_backprop_vectorized.py").read_text()
    # Joined by id, by the email's local part, by Moodle's download folder name, by Gradescope's metadata.
    stamp(make_submission(root / "s101"), DUE - timedelta(hours=1))                               # ok, on time
    stamp(make_submission(root / "ben", files={"ex10_backprop_vectorized.py": buggy}), DUE + timedelta(hours=2))
    cara = make_submission(root / "Cara Chen_4242_assignsubmission_file_",
                           files={"ex08_gradient_descent_step.py": (REPO / "exercises/ex08_gradient_descent_step.py")
                                  .read_text(),                                                   # not implemented
                                  "ex07_numerical_gradient.py": "def numerical_gradient(*args):\n    while True:\n"
                                                                "        pass\n",                  # timeout
                                  "ex03_cost.py": "def cost(Theta, X, Y, lambda_)\n    return 0\n"})  # crash
    (cara / "ex09_minibatches.py").unlink()                                                          # missing
    stamp(cara, DUE - timedelta(days=1))
    dan = make_submission(root / "submission_777", files={"ex06_backprop_loop.py": textwrap.dedent("""
        import backprop_course as bp
        def backprop_loop(Theta, X, Y, lambda_):
            return bp.backprop(Theta, X, Y, lambda_)
        """)})                                                                                     # forbidden
    (dan / "submission_metadata.json").write_text(json.dumps({
        "created_at": (DUE + timedelta(hours=26)).isoformat(), "users": [{"email": "dan@uni.edu", "name": "Dan"}]}))
    (root / "eve").symlink_to(root / "s101")                                                       # grader error
    make_submission(root / "zed")                                                                  # not on the roster
    (base / "roster.csv").write_text(ROSTER)
    book = base / "out" / "gradebook.csv"
    code = main(["grade-all", str(root), "--out", str(book), "--roster", str(base / "roster.csv"), "--due",
                 DUE.isoformat(), "--feedback-dir", str(base / "feedback"), "--lms", "moodle", "--timeout", "3"])
    assert code == 0
    rows = {r["email"] or r["student"]: r for r in csv.DictReader(book.open())}
    return {"base": base, "book": book, "rows": rows}


def test_one_row_per_roster_student_and_per_unknown_submission(course):
    rows = course["rows"]
    assert list(rows) == ["ann@uni.edu", "ben@uni.edu", "cara@uni.edu", "dan@uni.edu", "eve@uni.edu", "finn@uni.edu",
                          "gil@uni.edu", "hana@uni.edu", "zed"]
    assert rows["ann@uni.edu"]["student"] == "s101" and rows["ben@uni.edu"]["student"] == "ben"
    assert rows["cara@uni.edu"]["student"].startswith("Cara Chen_4242") and rows["dan@uni.edu"]["student"] == \
        "submission_777"
    assert rows["finn@uni.edu"]["total"] == "0" and rows["finn@uni.edu"]["notes"] == "no submission"
    assert {rows["finn@uni.edu"][f"{n} status"] for n in ("ex01_sigmoid", "ex10_backprop_vectorized")} == {"missing"}
    assert rows["zed"]["total"] == "90" and "not on the roster" in rows["zed"]["notes"] and not rows["zed"]["email"]


def test_every_status_says_what_happened(course):
    rows = course["rows"]
    assert set(STATUSES) == {"ok", "partial", "not implemented", "missing", "timeout", "crash", "forbidden",
                             "grader error"}
    seen = {(who, name): rows[who][f"{name} status"] for who, name in [
        ("ann@uni.edu", "ex01_sigmoid"), ("ben@uni.edu", "ex10_backprop_vectorized"),
        ("cara@uni.edu", "ex08_gradient_descent_step"), ("cara@uni.edu", "ex09_minibatches"),
        ("cara@uni.edu", "ex07_numerical_gradient"), ("cara@uni.edu", "ex03_cost"),
        ("dan@uni.edu", "ex06_backprop_loop"), ("eve@uni.edu", "ex01_sigmoid")]}
    assert list(seen.values()) == ["ok", "partial", "not implemented", "missing", "timeout", "crash", "forbidden",
                                   "grader error"]
    assert rows["ben@uni.edu"]["ex10_backprop_vectorized diagnoses"] == "lambda_over_2m_in_D"
    assert "symbolic link" in rows["eve@uni.edu"]["notes"]


def test_lateness_comes_from_the_due_date_and_the_files_or_gradescopes_metadata(course):
    rows = course["rows"]
    assert rows["ann@uni.edu"]["late_hours"] == "0.00" and rows["cara@uni.edu"]["late_hours"] == "0.00"
    assert rows["ben@uni.edu"]["late_hours"] == "2.00"                                   # file times
    assert rows["dan@uni.edu"]["late_hours"] == "26.00"                                  # Gradescope's created_at
    assert rows["finn@uni.edu"]["late_hours"] == ""


def test_the_summary_is_saved_beside_the_gradebook(course):
    text = (course["book"].parent / "gradebook.summary.md").read_text()
    assert "| `ex10_backprop_vectorized` | 4/6 |" in text and "## Score histogram" in text
    assert "`ex10_backprop_vectorized`: lambda_over_2m_in_D (1)" in text
    assert "## On the roster, no submission" in text and "- Finn Ford" in text
    assert "## Submissions not on the roster" in text and "- zed" in text


def test_each_student_gets_a_readable_feedback_file(course):
    folder = course["base"] / "feedback"
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 9 and "ben.md" in files
    ben = (folder / "ben.md").read_text()
    assert ben.startswith("# backprop-course exercises: feedback for Ben Brook") and "**Total:" in ben
    assert "**lambda over 2m in D**" in ben and "Submitted 2.0 hours after the due date." in ben
    assert "No submission was found for you." in (folder / "finn@uni.edu.md").read_text()


def test_the_moodle_file_uses_the_headers_moodles_import_maps_by_itself(course):
    with (course["book"].parent / "gradebook.moodle.csv").open() as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:5] == ["Email address", "Full name", "backprop-course exercises (Real)",
                          "backprop-course exercises (Feedback)", "ex01_sigmoid (Real)"]
    body = {r[0]: r for r in rows[1:]}
    assert list(body) == ["ann@uni.edu", "ben@uni.edu", "cara@uni.edu", "dan@uni.edu", "eve@uni.edu",
                          "finn@uni.edu", "gil@uni.edu", "hana@uni.edu"]              # zed cannot be imported
    for email, row in body.items():
        assert row[2] == course["rows"][email]["total"]
    assert "ex10_backprop_vectorized" in body["ben@uni.edu"][3] and "submitted 2.0 h late" in body["ben@uni.edu"][3]


def test_a_roster_without_id_email_or_name_is_refused_before_grading(tmp_path, capsys):
    (tmp_path / "roster.csv").write_text("first,last\nA,B\n")
    make_submission(tmp_path / "class" / "a")
    assert main(["grade-all", str(tmp_path / "class"), "--roster", str(tmp_path / "roster.csv"), "--out",
                 str(tmp_path / "b.csv")]) == 2
    assert "has no id, email or name column" in capsys.readouterr().err and not (tmp_path / "b.csv").exists()
    assert main(["grade-all", str(tmp_path / "class"), "--due", "tomorrow", "--out", str(tmp_path / "b.csv")]) == 2
    assert "--due must be a date and time" in capsys.readouterr().err


def test_roster_columns_are_found_by_their_usual_names(tmp_path):
    (tmp_path / "r.csv").write_text("\ufeffSID,Student Name,E-mail\n7,Ann,ann@x\n")
    (student,) = read_roster(tmp_path / "r.csv")
    assert (student.id, student.name, student.email) == ("7", "Ann", "ann@x")
