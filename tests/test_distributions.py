"""The published package: a learner with only the wheel can start, work and grade the course.

One build of the sdist and the wheel per run (tests/built_package.py). The wheel must carry every
notebook and exercise stub and never a reference solution; both distributions must pass ``twine check``.

The install test makes a fresh virtual environment and installs only the wheel into it, with
``--no-deps``. To stay fast and offline it borrows the dependencies (numpy, jupyterlab, ...) that this
test environment already has, through a ``.pth`` line naming this environment's site-packages; that
line only extends ``sys.path``, so this environment's editable install of backprop_course is *not* seen
there (the test asserts that the package comes from the wheel). Installing the wheel with its
dependencies resolved by pip is exercised by the JupyterHub test (tests/browser/test_jupyterhub_browser.py).
"""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("build", reason="the build package (test extra) builds the distributions")

from browser.helpers import free_port, stop_server  # noqa: E402
from built_package import build  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "backprop_course" / "grading" / "solutions"
NOTEBOOK_TIMEOUT = 300  # seconds
SERVER_TIMEOUT = 90


def _solution_blocks():
    """{solution file: [the answer's lines between the markers, stripped]}."""
    blocks = {}
    for path in sorted(SOLUTIONS.glob("ex*_*.py")):
        lines, inside = [], False
        for line in path.read_text().splitlines():
            if line.strip().startswith("# BEGIN SOLUTION"):
                inside = True
            elif line.strip().startswith("# END SOLUTION"):
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
        blocks[path.name] = lines
    return blocks


def _wheel_texts(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()
                if not name.endswith((".npz", ".png"))}


def test_wheel_carries_every_notebook_and_exercise_stub():
    _, wheel = build()
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"backprop_course/course/notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb")}
    expected |= {f"backprop_course/course/exercises/{p.name}" for p in (REPO / "exercises").glob("*.py")}
    expected.add("backprop_course/course/exercises/README.md")
    assert len(expected) > 20 and expected <= names, f"the wheel lacks {sorted(expected - names)}"
    assert any(n.endswith("etc/jupyter/jupyter_server_config.d/backprop_course.json") for n in names), (
        "the wheel does not enable the /backprop-course/start link (jupyter-config/ in pyproject's data-files)"
    )


def test_wheel_carries_no_reference_solution():
    blocks = _solution_blocks()
    assert len(blocks) >= 9 and all(blocks.values()), "could not read the reference solutions' answer blocks"
    _, wheel = build()
    texts = _wheel_texts(wheel)
    leaked = [n for n in texts if "grading/solutions/" in n]
    assert not leaked, f"the wheel carries the reference solutions: {leaked}"
    markers = [n for n, text in texts.items() if any(line.strip().startswith(("# BEGIN SOLUTION", "# END SOLUTION"))
                                                     for line in text.splitlines())]
    assert not markers, f"solution markers in the wheel: {markers}"
    for name, text in texts.items():
        stripped = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        for solution, lines in blocks.items():
            assert "\n".join(lines) not in stripped, f"{name} contains the answer of {solution}"


def test_sdist_carries_what_the_wheel_is_built_from():
    sdist, _ = build()
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for needed in ("setup.py", "MANIFEST.in", "pyproject.toml", "notebooks/00_start_here.ipynb",
                   "exercises/ex05_deltas.py", "jupyter-config/jupyter_server_config.d/backprop_course.json"):
        assert needed in names, f"the sdist lacks {needed}, so a wheel built from it would be incomplete"


def test_twine_check_passes_on_the_sdist_and_the_wheel():
    sdist, wheel = build()
    result = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", str(sdist), str(wheel)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"twine check failed:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.count("PASSED") == 2, result.stdout


# --- a learner with only the wheel ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def fresh_env(tmp_path_factory):
    """A new virtual environment with the wheel installed (--no-deps) and this environment's packages borrowed."""
    _, wheel = build()
    base = tmp_path_factory.mktemp("fresh")
    venv = base / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)],
                   check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "_borrowed_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = subprocess.run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                              str(wheel)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, f"installing the wheel failed:\n{install.stdout}\n{install.stderr}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "JPY", "VIRTUAL_ENV"))}
    env.update({"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "MPLBACKEND": "Agg",
                "PYTHONDONTWRITEBYTECODE": "1", "IPYTHONDIR": str(base / "ipython"),
                # Jupyter's own folders in temp: no kernelspec or config of this machine's user leaks in.
                "JUPYTER_CONFIG_DIR": str(base / "jupyter-config"), "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
                "JUPYTER_RUNTIME_DIR": str(base / "jupyter-runtime")})
    return {"venv": venv, "python": python, "env": env, "base": base}


def _run(fresh, *args, cwd, timeout=300):
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=fresh["env"],
                          timeout=timeout)


def _get(url, timeout=5):
    """(status, headers, body) of a GET that follows no redirect."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            return exc.code, exc.headers, b""
        raise


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_the_package_in_the_fresh_environment_is_the_wheel(fresh_env):
    result = _run(fresh_env, fresh_env["python"], "-c", "import backprop_course; print(backprop_course.__file__)",
                  cwd=fresh_env["base"])
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()).is_relative_to(fresh_env["venv"]), (
        f"backprop_course came from {result.stdout.strip()}, not from the wheel installed in {fresh_env['venv']}"
    )


def test_start_serves_the_course_and_the_learner_works_and_grades_there(fresh_env):
    folder = fresh_env["base"] / "my course"
    port, token = free_port(), secrets.token_hex(16)
    env = dict(fresh_env["env"], JUPYTER_PORT=str(port), JUPYTER_TOKEN=token)
    log = fresh_env["base"] / "start.log"
    with open(log, "wb") as out:
        server = subprocess.Popen([fresh_env["venv"] / "bin" / "backprop-course", "start", "--no-browser", folder],
                                  cwd=fresh_env["base"], env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(server, f"{base_url}/api/status?token={token}", log)
        text = log.read_text()
        notebooks = len(list((REPO / "notebooks").glob("*.ipynb")))
        assert f"Copied the course into {folder}: {notebooks} notebooks in notebooks/" in text, text
        status, _, body = _get(f"{base_url}/api/contents/notebooks?token={token}")
        listed = {item["name"] for item in json.loads(body)["content"]}
        assert {p.name for p in (REPO / "notebooks").glob("*.ipynb")} <= listed, listed
        # The link a hub shares: it finds the course up to date and opens the notebook it names.
        status, headers, _ = _get(f"{base_url}/backprop-course/start?folder=.&open=notebooks/03_cost.ipynb"
                                  f"&token={token}")
        assert status == 302 and headers["Location"].endswith("/lab/tree/notebooks/03_cost.ipynb"), headers
        for bad in ("open=../../etc/passwd", "folder=/tmp", "ui=classic"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                _get(f"{base_url}/backprop-course/start?{bad}&token={token}")
            assert refused.value.code == 400, (bad, refused.value)
    finally:
        stop_server(server)

    # The learner solves exercise 1 (here: the reference answer) and runs its notebook, which grades it.
    shutil.copyfile(SOLUTIONS / "ex01_sigmoid.py", folder / "exercises" / "ex01_sigmoid.py")
    executed = _run(fresh_env, fresh_env["python"], "-m", "nbconvert", "--to", "notebook", "--execute",
                    f"--ExecutePreprocessor.timeout={NOTEBOOK_TIMEOUT}", "--output-dir", fresh_env["base"] / "out",
                    "01_neuron_and_sigmoid.ipynb", cwd=folder / "notebooks", timeout=NOTEBOOK_TIMEOUT + 60)
    assert executed.returncode == 0, f"notebook 01 failed in the workspace:\n{executed.stderr[-4000:]}"
    notebook = json.loads((fresh_env["base"] / "out" / "01_neuron_and_sigmoid.ipynb").read_text())
    outputs = [o for cell in notebook["cells"] if cell["cell_type"] == "code" for o in cell["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    shown = json.dumps(outputs)
    assert re.search(r"ex01_sigmoid</code></td><td[^>]*>10/10", shown), "check('ex01_sigmoid') did not give 10/10"

    graded = _run(fresh_env, fresh_env["venv"] / "bin" / "backprop-course", "grade", "--exercise", "ex01_sigmoid",
                  cwd=folder)
    # grade exits 0 only when every graded exercise has full marks.
    assert graded.returncode == 0 and "ex01_sigmoid" in graded.stdout, graded.stdout + graded.stderr
    tested = _run(fresh_env, fresh_env["python"], "-m", "pytest", "-p", "no:cacheprovider", "-q", "exercises/",
                  "-k", "ex01", cwd=folder)
    assert tested.returncode == 0 and "1 passed" in tested.stdout, tested.stdout + tested.stderr

    # Running start again touches nothing: the learner's answer stays.
    again = _run(fresh_env, fresh_env["venv"] / "bin" / "backprop-course", "start", "--copy-only", folder,
                 cwd=fresh_env["base"])
    assert again.returncode == 0 and "Your copy of the course is up to date." in again.stdout, again.stdout
    assert (folder / "exercises" / "ex01_sigmoid.py").read_bytes() == (SOLUTIONS / "ex01_sigmoid.py").read_bytes()


def _wait_for(server, url, log):
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"backprop-course start exited with {server.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if _get(url, timeout=2)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"Jupyter did not answer within {SERVER_TIMEOUT} s:\n{log.read_text()[-4000:]}")
