"""The learner's course folder: start copies the course, update merges a newer one, and edits always win.

A fake course (a folder with notebooks/ and exercises/) stands in for the installed one, so each rule of
the merge in backprop_course/workspace.py is tested with one file in one state.
"""

import json
from pathlib import Path

import pytest

from backprop_course import cli, cmd_start, workspace

REPO = Path(__file__).resolve().parents[1]


def _course(root, files):
    """A fake course folder: {relative path: text}."""
    root = Path(root)
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text)
    return root


V1 = {"notebooks/01_a.ipynb": "one v1", "notebooks/02_b.ipynb": "two v1", "exercises/ex01_a.py": "stub v1",
      "exercises/README.md": "readme v1"}


@pytest.fixture
def started(tmp_path):
    """A workspace made from course v1; returns (workspace, course folder)."""
    course = _course(tmp_path / "course", V1)
    folder = tmp_path / "ws"
    report = workspace.sync(folder, source=course)
    assert sorted(report.added) == sorted(V1) and report.changes == len(V1)
    return folder, course


def test_the_installed_course_has_every_notebook_and_stub_and_no_solution():
    files = workspace.course_files()
    notebooks = {f"notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb")}
    stubs = {f"exercises/{p.name}" for p in (REPO / "exercises").glob("ex*_*.py")}
    assert notebooks and notebooks <= set(files), sorted(notebooks - set(files))
    assert stubs and stubs <= set(files), sorted(stubs - set(files))
    assert workspace.FIRST_NOTEBOOK in files
    for relpath, path in files.items():
        assert "solutions" not in path.parts, f"{relpath} comes from {path}: a reference solution"
        assert "# BEGIN SOLUTION" not in path.read_text(errors="replace").splitlines(), relpath


def test_first_sync_copies_the_course_and_writes_a_manifest(started):
    folder, course = started
    for relpath, text in V1.items():
        assert (folder / relpath).read_text() == text
    manifest = json.loads((folder / workspace.MANIFEST).read_text())
    assert manifest["course_version"] == workspace.course_version()
    assert manifest["files"] == {k: workspace.fingerprint(course / k) for k in V1}


def test_sync_again_changes_nothing(started):
    folder, course = started
    report = workspace.sync(folder, source=course)
    assert report.changes == 0 and report.unchanged == len(V1)
    assert "4 file(s) already as the course has them" in report.text()


def test_a_file_you_never_changed_takes_the_new_course_version(started):
    folder, course = started
    _course(course, {"notebooks/01_a.ipynb": "one v2"})
    report = workspace.sync(folder, source=course)
    assert report.updated == ["notebooks/01_a.ipynb"]
    assert (folder / "notebooks/01_a.ipynb").read_text() == "one v2"
    assert "updated   notebooks/01_a.ipynb (you had not changed it)" in report.text()


def test_your_edit_stays_when_the_course_did_not_change_the_file(started):
    folder, course = started
    (folder / "exercises/ex01_a.py").write_text("my answer")
    report = workspace.sync(folder, source=course)
    assert report.yours == ["exercises/ex01_a.py"] and report.changes == 0
    assert (folder / "exercises/ex01_a.py").read_text() == "my answer"
    assert "1 you changed stay as you left them" in report.text()


def test_when_both_changed_a_file_yours_stays_and_the_course_version_goes_beside_it(started):
    folder, course = started
    (folder / "exercises/ex01_a.py").write_text("my answer")
    _course(course, {"exercises/ex01_a.py": "stub v2"})
    report = workspace.sync(folder, source=course)
    beside = f"exercises/ex01_a.course-{workspace.course_version()}.py"
    assert report.beside == [("exercises/ex01_a.py", beside)]
    assert (folder / "exercises/ex01_a.py").read_text() == "my answer"
    assert (folder / beside).read_text() == "stub v2"
    assert f"the course's version written to {beside}" in report.text()
    # The next update knows that course version: no second copy.
    again = workspace.sync(folder, source=course)
    assert again.changes == 0 and again.yours == ["exercises/ex01_a.py"]
    # A third course version finds the name taken by the second one and picks the next free name.
    _course(course, {"exercises/ex01_a.py": "stub v3"})
    third = workspace.sync(folder, source=course)
    second_beside = beside.replace(".py", "-2.py")
    assert third.beside == [("exercises/ex01_a.py", second_beside)]
    assert (folder / second_beside).read_text() == "stub v3" and (folder / beside).read_text() == "stub v2"


def test_new_course_files_are_added_and_deleted_ones_restored(started):
    folder, course = started
    _course(course, {"notebooks/03_c.ipynb": "three v1"})
    (folder / "notebooks/02_b.ipynb").unlink()
    report = workspace.sync(folder, source=course)
    assert report.added == ["notebooks/03_c.ipynb"] and report.restored == ["notebooks/02_b.ipynb"]
    assert (folder / "notebooks/03_c.ipynb").read_text() == "three v1"
    assert (folder / "notebooks/02_b.ipynb").read_text() == "two v1"


def test_a_file_that_was_there_before_the_course_is_kept(tmp_path):
    course = _course(tmp_path / "course", V1)
    folder = _course(tmp_path / "ws", {"exercises/ex01_a.py": "my own file"})
    report = workspace.sync(folder, source=course)
    assert (folder / "exercises/ex01_a.py").read_text() == "my own file"
    assert report.beside == [("exercises/ex01_a.py", f"exercises/ex01_a.course-{workspace.course_version()}.py")]


def test_a_file_the_course_dropped_stays(started):
    folder, course = started
    (course / "notebooks/02_b.ipynb").unlink()
    report = workspace.sync(folder, source=course)
    assert report.left == ["notebooks/02_b.ipynb"] and (folder / "notebooks/02_b.ipynb").exists()
    assert "notebooks/02_b.ipynb" not in workspace.read_manifest(folder)


def test_dry_run_writes_nothing(started):
    folder, course = started
    _course(course, {"notebooks/01_a.ipynb": "one v2", "notebooks/03_c.ipynb": "three"})
    before = (folder / workspace.MANIFEST).read_text()
    report = workspace.sync(folder, source=course, dry_run=True)
    assert report.updated == ["notebooks/01_a.ipynb"] and report.added == ["notebooks/03_c.ipynb"]
    assert (folder / "notebooks/01_a.ipynb").read_text() == "one v1"
    assert not (folder / "notebooks/03_c.ipynb").exists()
    assert (folder / workspace.MANIFEST).read_text() == before


def test_a_damaged_manifest_is_named_with_what_to_do(started):
    folder, course = started
    (folder / workspace.MANIFEST).write_text("{not json")
    with pytest.raises(ValueError, match=r"is damaged .*delete it and run `backprop-course update` again"):
        workspace.sync(folder, source=course)


def test_a_file_where_the_folder_should_be_is_refused(tmp_path):
    (tmp_path / "ws").write_text("")
    with pytest.raises(NotADirectoryError, match="is a file, not a folder"):
        workspace.sync(tmp_path / "ws", source=_course(tmp_path / "course", V1))


# --- the commands --------------------------------------------------------------------------------------

def test_start_copy_only_then_again_writes_nothing(tmp_path, capsys, monkeypatch):
    for name in cmd_start.INSIDE_JUPYTER_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "course"
    assert cli.main(["start", str(folder), "--copy-only"]) == 0
    out = capsys.readouterr().out
    notebooks = len(list((REPO / "notebooks").glob("*.ipynb")))
    assert f"Copied the course into {folder}: {notebooks} notebooks in notebooks/, " in out
    assert f"Open {folder / workspace.FIRST_NOTEBOOK} in Jupyter's file browser" in out
    mine = folder / "exercises" / "ex01_sigmoid.py"
    mine.write_text("def sigmoid(z):\n    return z  # my first try\n")
    assert cli.main(["start", str(folder), "--copy-only"]) == 0
    assert "Your copy of the course is up to date." in capsys.readouterr().out
    assert "my first try" in mine.read_text()


def test_start_reports_news_without_writing_and_update_brings_them(tmp_path, capsys, monkeypatch):
    for name in cmd_start.INSIDE_JUPYTER_VARS:
        monkeypatch.delenv(name, raising=False)
    course = _course(tmp_path / "course", V1)
    folder = tmp_path / "ws"
    workspace.sync(folder, source=course)
    _course(course, {"notebooks/03_c.ipynb": "three v1"})
    monkeypatch.setattr(workspace, "course_source", lambda: course)
    assert cli.main(["start", str(folder), "--copy-only"]) == 0
    out = capsys.readouterr().out
    assert "The course has 1 new or changed file(s)" in out and f"backprop-course update {folder}" in out
    assert not (folder / "notebooks/03_c.ipynb").exists()
    assert cli.main(["update", str(folder)]) == 0
    assert "added     notebooks/03_c.ipynb" in capsys.readouterr().out
    assert (folder / "notebooks/03_c.ipynb").read_text() == "three v1"


def test_update_without_a_course_folder_says_how_to_make_one(tmp_path, capsys):
    assert cli.main(["update", str(tmp_path / "nothing")]) == 2
    assert f"backprop-course start {tmp_path / 'nothing'}" in capsys.readouterr().err


def test_start_inside_jupyter_only_copies(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/ada/")
    monkeypatch.setattr(cmd_start, "serve", lambda *a, **k: pytest.fail("started a server"))
    assert cli.main(["start", str(tmp_path / "course")]) == 0
    assert "this is already a Jupyter session, so no new one is started" in capsys.readouterr().out


def test_start_runs_the_chosen_front_end_in_the_folder(tmp_path, capsys, monkeypatch):
    for name in cmd_start.INSIDE_JUPYTER_VARS:
        monkeypatch.delenv(name, raising=False)
    launched = {}

    def fake_serve(command, cwd, env):
        launched.update(command=command, cwd=cwd, env=env)
        return 0

    monkeypatch.setattr(cmd_start, "serve", fake_serve)
    folder = tmp_path / "course"
    assert cli.main(["start", str(folder), "--notebook", "--no-browser"]) == 0
    assert launched["command"][1:5] == ["-m", "notebook", "--ServerApp.root_dir=.", workspace.FIRST_NOTEBOOK]
    assert "--no-browser" in launched["command"] and launched["cwd"] == folder
    scripts = str(Path(cmd_start.sys.executable).parent)
    assert launched["env"]["PATH"].split(cmd_start.os.pathsep)[0] == scripts, "terminals would miss the commands"


def test_start_names_a_missing_front_end_and_how_to_install_it(tmp_path, capsys, monkeypatch):
    for name in cmd_start.INSIDE_JUPYTER_VARS:
        monkeypatch.delenv(name, raising=False)
    real = cmd_start.importlib.util.find_spec
    monkeypatch.setattr(cmd_start.importlib.util, "find_spec", lambda name: None if name == "notebook" else real(name))
    assert cli.main(["start", str(tmp_path / "course"), "--notebook"]) == 1
    err = capsys.readouterr().err
    assert "Jupyter Notebook 7 is not installed" in err and "-m pip install notebook" in err
    assert "or leave out --notebook to use JupyterLab." in err
