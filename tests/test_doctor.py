"""backprop-course doctor: every classic widget and kernel failure, caused on purpose, is named with its fix.

Each failure is made real where that is cheap (a scratch Jupyter data folder with a stale widget extension
or a python3 kernel of another virtual environment) and monkeypatched otherwise. Jupyter's user folders
point into tmp_path, so this machine's own kernels and extensions never leak in.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_course import cli, doctor, workspace


@pytest.fixture(autouse=True)
def jupyter_home(tmp_path, monkeypatch):
    """A private Jupyter data folder (where `--user` kernels and extensions go) and config folder."""
    data = tmp_path / "jupyter-data"
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(data))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "jupyter-config"))
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    # The user's folders first, as for a Python outside a virtual environment (in one, Jupyter prefers the
    # environment's folders): a stray user kernel or extension then shadows the environment's.
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "0")
    return data


@pytest.fixture
def course_folder(tmp_path):
    folder = tmp_path / "course"
    workspace.sync(folder)
    return folder


def _by_topic(checks, topic):
    (check,) = [c for c in checks if c.topic == topic]
    return check


def _other_python(tmp_path):
    """A virtual environment without backprop_course, ipykernel or ipywidgets."""
    venv = tmp_path / "other-env"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)],
                   check=True, timeout=120)
    return venv / "bin" / "python"


def _kernelspec(data_dir, argv):
    spec = data_dir / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))


def test_a_healthy_environment_has_no_problem_and_exits_0(course_folder, capsys):
    checks = doctor.run_checks(course_folder)
    assert [c for c in checks if c.status == doctor.PROBLEM] == []
    assert _by_topic(checks, "kernel").status == doctor.OK
    assert "the same environment as backprop-course" in _by_topic(checks, "kernel").message
    assert cli.main(["doctor", str(course_folder)]) == 0
    out = capsys.readouterr().out
    assert f"Python: {sys.version.split()[0]} at {sys.executable}" in out
    for name in ("numpy", "ipywidgets", "jupyterlab_widgets", "backprop-course"):
        assert f"{name} {doctor.version(name)}" in out
    assert "Everything the course needs is in place." in out


def test_kernel_of_another_environment_is_named_and_the_fix_works(tmp_path, jupyter_home, course_folder, capsys):
    other = _other_python(tmp_path)
    _kernelspec(jupyter_home, [str(other), "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    check = doctor.check_kernel()
    assert check.status == doctor.PROBLEM
    assert f"kernel runs {other}" in check.message and "without backprop_course" in check.message
    assert check.fix == (f"{sys.executable} -m ipykernel install --user --name python3 "
                         '--display-name "Python 3 (backprop-course)"')
    assert cli.main(["doctor", str(course_folder)]) == 1
    assert "1 problem(s) would break the course: kernel" in capsys.readouterr().out
    # The printed fix, run as printed, repairs it.
    fixed = subprocess.run(check.fix, shell=True, capture_output=True, text=True, timeout=120)
    assert fixed.returncode == 0, fixed.stderr
    assert doctor.check_kernel().status == doctor.OK


def test_kernel_whose_python_is_gone(tmp_path, jupyter_home):
    gone = tmp_path / "gone" / "python3"
    _kernelspec(jupyter_home, [str(gone), "-m", "ipykernel_launcher", "-f", "{connection_file}"])
    check = doctor.check_kernel()
    assert check.status == doctor.PROBLEM and "kernel's Python does not run" in check.message
    assert "-m ipykernel install --user --name python3" in check.fix


def test_no_python3_kernel_at_all(monkeypatch):
    def no_kernel(name=doctor.KERNEL_NAME):
        from jupyter_client.kernelspec import NoSuchKernel

        raise NoSuchKernel(name)

    monkeypatch.setattr(doctor, "kernel_spec", no_kernel)
    check = doctor.check_kernel()
    assert check.status == doctor.PROBLEM and "there is no 'python3' kernel" in check.message
    assert "-m ipykernel install --user --name python3" in check.fix


def test_kernel_without_ipywidgets(monkeypatch):
    monkeypatch.setattr(doctor, "probe_python", lambda exe, env: {
        "executable": "/opt/env/bin/python", "prefix": "/opt/env", "version": "3.11.2",
        "backprop-course": "0.1.0", "ipykernel": "6.29.0", "ipywidgets": None})
    check = doctor.check_kernel()
    assert check.status == doctor.PROBLEM and "lacks ipywidgets: every widget would fail" in check.message
    assert check.fix == "/opt/env/bin/python -m pip install ipywidgets"


def test_kernel_with_ipywidgets_7_against_a_widgets_3_front_end(monkeypatch):
    monkeypatch.setattr(doctor, "probe_python", lambda exe, env: {
        "executable": "/opt/env/bin/python", "prefix": "/opt/env", "version": "3.11.2",
        "backprop-course": "0.1.0", "ipykernel": "6.29.0", "ipywidgets": "7.8.1"})
    check = doctor.check_kernel()
    assert check.status == doctor.PROBLEM and "needs jupyterlab_widgets 1.x" in check.message
    assert "Error displaying widget" in check.message


def _versions(monkeypatch, **fake):
    real = doctor.version
    monkeypatch.setattr(doctor, "version", lambda name: fake[name] if name in fake else real(name))


def test_missing_widget_extension(monkeypatch):
    _versions(monkeypatch, jupyterlab_widgets=None)
    check = doctor.check_widgets()
    assert check.status == doctor.PROBLEM and "jupyterlab_widgets is not" in check.message
    assert "'Error displaying widget'" in check.message and check.fix.endswith("-m pip install jupyterlab_widgets")


def test_ipywidgets_and_jupyterlab_widgets_versions_that_do_not_match(monkeypatch):
    _versions(monkeypatch, ipywidgets="8.1.9", jupyterlab_widgets="1.1.7")
    check = doctor.check_widgets()
    assert check.status == doctor.PROBLEM
    assert "ipywidgets 8.1.9 needs jupyterlab_widgets 3.x, but 1.1.7 is installed" in check.message
    assert check.fix.endswith("-m pip install 'jupyterlab_widgets>=3,<4'")


def test_an_old_widget_extension_that_shadows_the_installed_one(jupyter_home):
    stale = jupyter_home / "labextensions" / "@jupyter-widgets" / "jupyterlab-manager"
    stale.mkdir(parents=True)
    (stale / "package.json").write_text(json.dumps({"name": "@jupyter-widgets/jupyterlab-manager", "version": "3.1.0"}))
    check = doctor.check_widgets()
    assert check.status == doctor.PROBLEM
    assert f"loads the widget extension 3.1.0 from {stale}, which shadows version" in check.message
    assert check.fix == f"rm -r {stale}"


def test_widget_extension_in_no_folder_the_front_end_reads(monkeypatch):
    monkeypatch.setattr(doctor, "labextension_dirs", lambda: [])
    check = doctor.check_widgets()
    assert check.status == doctor.PROBLEM and "its extension is in none of Jupyter's extension folders" in check.message


def test_no_front_end_and_the_classic_notebook(monkeypatch):
    _versions(monkeypatch, jupyterlab=None, notebook=None)
    (check,) = doctor.check_front_ends()
    assert check.status == doctor.PROBLEM and "neither JupyterLab nor Jupyter Notebook" in check.message
    assert check.fix.endswith("-m pip install jupyterlab")
    _versions(monkeypatch, jupyterlab="4.2.0", notebook="6.5.7")
    notebook = _by_topic(doctor.check_front_ends(), "Jupyter Notebook")
    assert notebook.status == doctor.PROBLEM and "classic Notebook" in notebook.message


def test_matplotlib_that_cannot_draw(monkeypatch):
    from matplotlib.figure import Figure

    def broken(*args, **kwargs):
        raise RuntimeError("no renderer for png")

    monkeypatch.setattr(Figure, "savefig", broken)
    check = doctor.check_matplotlib()
    assert check.status == doctor.PROBLEM
    assert "drawing a figure failed (RuntimeError: no renderer for png)" in check.message


def test_exercises_not_found_says_how_to_get_them(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BACKPROP_EXERCISES", raising=False)
    empty = tmp_path / "empty"
    empty.mkdir()
    check = doctor.check_exercises(empty)
    assert check.status == doctor.PROBLEM and f"no exercises/ folder in {empty}" in check.message
    assert check.fix.startswith("backprop-course start")
    assert cli.main(["doctor", str(empty)]) == 1
    # The default course folder below the current one counts, with where to grade from.
    workspace.sync(empty / workspace.DEFAULT_FOLDER)
    found = doctor.check_exercises(empty)
    assert found.status == doctor.OK and f"grade from {empty / workspace.DEFAULT_FOLDER}" in found.message


def test_sandbox_mode_comes_from_the_grader(monkeypatch):
    from backprop_course.grading import sandbox

    monkeypatch.setattr(sandbox, "detect", lambda: sandbox.Mode("sandbox", "Graded code runs in bubblewrap."))
    assert doctor.check_sandbox().status == doctor.OK
    assert doctor.check_sandbox().message == "Graded code runs in bubblewrap."
    monkeypatch.setattr(sandbox, "detect", lambda: sandbox.Mode("unsandboxed", "Graded code runs as your user."))
    check = doctor.check_sandbox()
    assert check.status == doctor.NOTE and "apt-get install bubblewrap" in check.fix


def test_command_not_on_path_is_a_note_with_the_activate_line(monkeypatch, course_folder):
    monkeypatch.setenv("PATH", "/nonexistent")
    check = doctor.check_command_on_path()
    assert check.status == doctor.NOTE and "'command not found'" in check.message
    assert f"source {Path(sys.prefix) / 'bin' / 'activate'}" in check.fix
    assert cli.main(["doctor", str(course_folder)]) == 0, "a note alone must not fail the doctor"


def test_every_problem_line_shows_its_fix():
    check = doctor.Check("kernel", doctor.PROBLEM, "broken", "first line\nsecond line")
    assert check.lines() == ["[PROBLEM] kernel: broken", "          fix: first line", "               second line"]
