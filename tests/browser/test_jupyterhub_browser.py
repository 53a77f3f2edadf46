"""The course on a real JupyterHub: three learners log in through Chromium, get the course, run it and grade it.

What runs (one hub for the whole module, stopped at its end with everything it started):

* JupyterHub (``jupyterhub``, test extra) on 127.0.0.1 with configurable-http-proxy from the npm registry
  (``make hub-tools`` installs it into ``.venv/node``), the ``dummy`` authenticator (a shared password,
  meant for tests) and three users.
* As root (CI), the users are real unix users the test creates, with homes of mode 0700, and the local
  process spawner starts each learner's server *as that user*; not as root, the simple spawner runs all
  of them as you, so only the hub's own access control separates them and the unix-permission test is
  skipped.
* The learners' Python is a fresh virtual environment, as an instructor would build it: the course's
  wheel installed with its dependencies resolved by pip, plus jupyterhub for ``jupyterhub-singleuser``.
  It is made from the system's ``/usr/bin/python3``, because another user cannot execute pyenv's Python
  under root's 0700 home (see NOTES-sandbox.md). Lab settings come from the environment's
  ``overrides.json`` (no news, every cell rendered), as an instructor would set them.

Each learner opens the course through the link an instructor shares (``/hub/user-redirect/
backprop-course/start?open=...``), which copies it into their home, runs notebook 05 with Run All, clicks
through the step-through widget, and sees their own exercise graded by the notebook's ``check`` cell.
"""

import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import VIEWPORT, browser_required
from .helpers import (
    assert_notebook_healthy,
    code_cell,
    expect,
    free_port,
    run_all_cells,
    save_screenshot,
    stop_server,
    wait_for_notebook,
)
from .step_through import NOTEBOOK, assert_next_changes_equation_and_values

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
SOLUTIONS = REPO / "backprop_course" / "grading" / "solutions"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
LEARNERS = 3
HUB_START_TIMEOUT = 120  # seconds
SPAWN_TIMEOUT = 180_000  # ms, a learner's first visit: the hub starts their server
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


def proxy_command():
    """configurable-http-proxy: $BACKPROP_CHP, else ``make hub-tools``'s copy in the environment, else PATH."""
    candidates = [os.environ.get("BACKPROP_CHP"),
                  str(Path(sys.prefix) / "node" / "node_modules" / ".bin" / "configurable-http-proxy"),
                  shutil.which("configurable-http-proxy")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def learner_python():
    """A Python that the learners' unix accounts can execute (not one under root's home)."""
    if not AS_ROOT:
        return getattr(sys, "_base_executable", sys.executable)
    for candidate in ("/usr/bin/python3", "/usr/local/bin/python3"):
        if os.access(candidate, os.X_OK) and not os.path.realpath(candidate).startswith("/root/"):
            return candidate
    return None


def hub_unavailable_reason():
    try:
        import jupyterhub  # noqa: F401
    except ImportError:
        return "the Python package 'jupyterhub' is not installed (pip install -e '.[test]')"
    if proxy_command() is None:
        return "configurable-http-proxy is not installed (make hub-tools, or npm install -g configurable-http-proxy)"
    if learner_python() is None:
        return "no system Python the learners' accounts can run (apt-get install python3 python3-venv)"
    if AS_ROOT and not shutil.which("useradd"):
        return "useradd is missing, so the test cannot create the learners' unix accounts"
    return None


class Hub:
    def __init__(self, base, url, users, password, process, log_path):
        self.base, self.url, self.users, self.password = base, url, users, password
        self.process, self.log_path = process, log_path

    def home(self, user):
        return self.base / "home" / user

    def log_tail(self, chars=6000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no hub log)"


def _learner_environment(base, wheel):
    """A virtual environment for the learners' servers: the wheel with its dependencies, and jupyterhub."""
    import jupyterhub

    env = base / "learner-env"
    subprocess.run([learner_python(), "-m", "venv", str(env)], check=True, timeout=300)
    result = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q", "--no-compile", str(wheel),
                             f"jupyterhub=={jupyterhub.__version__}"], capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"installing the course for the learners failed:\n{result.stdout}\n{result.stderr}"
    settings = env / "share" / "jupyter" / "lab" / "settings"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "overrides.json").write_text(json.dumps(LAB_SETTINGS, indent=2))
    return env


def _create_users(base, names):
    for name in names:
        home = base / "home" / name
        if AS_ROOT:
            subprocess.run(["useradd", "--no-create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                            "--user-group", name], check=True, capture_output=True, timeout=60)
        home.mkdir(parents=True)
        if AS_ROOT:
            entry = pwd.getpwnam(name)
            os.chown(home, entry.pw_uid, entry.pw_gid)
        home.chmod(0o700)


def _remove_users(names):
    uids = set()
    for name in names:
        try:
            uids.add(pwd.getpwnam(name).pw_uid)
        except KeyError:
            pass
    # Whatever the learners' servers left running (they were started by this test): kill them by pid.
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if proc.stat().st_uid in uids:
                    os.kill(int(proc.name), signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError, PermissionError):
                pass
    for name in names:
        subprocess.run(["userdel", name], capture_output=True, timeout=60)


def _config(base, env, port, users, password):
    spawner = "localprocess" if AS_ROOT else "simple"
    lines = [
        "c.JupyterHub.ip = '127.0.0.1'",
        f"c.JupyterHub.port = {port}",
        "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {free_port()}",
        f"c.ConfigurableHTTPProxy.command = [{proxy_command()!r}]",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'",
        f"c.ConfigurableHTTPProxy.pid_file = {str(base / 'proxy.pid')!r}",
        f"c.JupyterHub.db_url = 'sqlite:///{base / 'jupyterhub.sqlite'}'",
        f"c.JupyterHub.cookie_secret_file = {str(base / 'cookie_secret')!r}",
        "c.JupyterHub.cleanup_servers = True",
        "c.JupyterHub.authenticator_class = 'dummy'",
        f"c.DummyAuthenticator.password = {password!r}",
        f"c.Authenticator.allowed_users = {set(users)!r}",
        f"c.JupyterHub.spawner_class = {spawner!r}",
        f"c.Spawner.cmd = [{str(env / 'bin' / 'jupyterhub-singleuser')!r}]",
        "c.Spawner.default_url = '/lab'",
        f"c.Spawner.environment = {{'PATH': {str(env / 'bin') + ':/usr/local/bin:/usr/bin:/bin'!r}}}",
        "c.Spawner.start_timeout = 120",
        "c.Spawner.http_timeout = 120",
    ]
    if not AS_ROOT:
        lines.append(f"c.SimpleLocalProcessSpawner.home_dir_template = {str(base / 'home' / '{username}')!r}")
    path = base / "jupyterhub_config.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def _wait_for_hub(hub):
    deadline = time.monotonic() + HUB_START_TIMEOUT
    while time.monotonic() < deadline:
        if hub.process.poll() is not None:
            raise RuntimeError(f"JupyterHub exited with {hub.process.returncode}:\n{hub.log_tail()}")
        try:
            with urllib.request.urlopen(f"{hub.url}/hub/api", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"JupyterHub did not answer within {HUB_START_TIMEOUT} s:\n{hub.log_tail()}")


@pytest.fixture(scope="module")
def hub():
    """A running JupyterHub with LEARNERS users; everything it started is stopped at the end of the module."""
    reason = hub_unavailable_reason()
    if reason:
        if browser_required():
            pytest.fail(f"BACKPROP_REQUIRE_BROWSER=1 but {reason}.", pytrace=False)
        pytest.skip(f"JupyterHub test skipped: {reason}")
    from built_package import build

    _, wheel = build()
    base = Path(tempfile.mkdtemp(prefix="backprop-hub-"))
    base.chmod(0o755)  # the learners reach their homes and their Python through it
    suffix = secrets.token_hex(3)
    users = [f"bplearner{i}x{suffix}" for i in range(1, LEARNERS + 1)]
    password = secrets.token_hex(12)
    process = None
    try:
        env = _learner_environment(base, wheel)
        _create_users(base, users)
        port = free_port()
        config = _config(base, env, port, users, password)
        log_path = base / "jupyterhub.log"
        with open(log_path, "wb") as log:
            process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=base,
                                       stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        running = Hub(base, f"http://127.0.0.1:{port}", users, password, process, log_path)
        _wait_for_hub(running)
        yield running
    finally:
        if process is not None:
            stop_server(process)  # the hub stops the learners' servers and its proxy on SIGTERM
        pid_file = base / "proxy.pid"
        if pid_file.is_file():
            try:
                os.kill(int(pid_file.read_text().strip()), signal.SIGKILL)
            except (ValueError, ProcessLookupError):
                pass
        if AS_ROOT:
            _remove_users(users)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def learners(hub, _chromium):
    """{user: page}: each learner logged in and sent through the course link to notebook 05."""
    pages = {}
    contexts = []
    try:
        for user in hub.users:  # log in and follow the link; the hub starts the three servers side by side
            context = _chromium.new_context(viewport=VIEWPORT)
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{hub.url}/hub/login")
            page.locator("input[name=username]").fill(user)
            page.locator("input[name=password]").fill(hub.password)
            page.locator("input[name=password]").press("Enter")
            page.wait_for_url(re.compile(r"/(hub/spawn|hub/home|user/)"), timeout=SPAWN_TIMEOUT)
            page.goto(f"{hub.url}/hub/user-redirect/backprop-course/start?open={NOTEBOOK}", wait_until="commit")
            pages[user] = page
        for user, page in pages.items():
            page.wait_for_url(re.compile(rf"/user/{user}/lab/tree/backprop-course/{re.escape(NOTEBOOK)}"),
                              timeout=SPAWN_TIMEOUT)
            wait_for_notebook(page)
        yield pages
    finally:
        for context in contexts:
            context.close()


def _as_learner_edit(hub, user, relpath, source):
    """Put a file in the learner's course folder, owned by them, as if they had written it."""
    target = hub.home(user) / "backprop-course" / relpath
    shutil.copyfile(source, target)
    if AS_ROOT:
        entry = pwd.getpwnam(user)
        os.chown(target, entry.pw_uid, entry.pw_gid)


def test_each_learner_gets_the_course_in_their_home(hub, learners):
    for user in hub.users:
        folder = hub.home(user) / "backprop-course"
        notebooks = {p.name for p in (folder / "notebooks").glob("*.ipynb")}
        assert notebooks == {p.name for p in (REPO / "notebooks").glob("*.ipynb")}, (user, notebooks)
        assert (folder / "exercises" / "ex05_deltas.py").is_file()
        assert not list(folder.rglob("solutions")), "a reference solution reached a learner"
        if AS_ROOT:
            owner = pwd.getpwuid((folder / "notebooks" / "05_backprop_one_example.ipynb").stat().st_uid).pw_name
            assert owner == user, f"{user}'s course files belong to {owner}: their own server did not write them"


def test_each_learner_runs_notebook_05_steps_through_it_and_grades_their_exercise(hub, learners):
    # The first learner has solved exercises 1, 2 and 5 (here: the reference answers); the others have not.
    first = hub.users[0]
    for name in ("ex01_sigmoid.py", "ex02_forward.py", "ex05_deltas.py"):
        _as_learner_edit(hub, first, f"exercises/{name}", SOLUTIONS / name)
    for index, (user, page) in enumerate(learners.items()):
        run_all_cells(page)
        assert_notebook_healthy(page)
        graded = code_cell(page, 'check("ex05_deltas")')
        expect(graded).to_contain_text("10/10" if user == first else "0/10", timeout=30_000)
        save_screenshot(graded, f"hub-learner{index + 1}-check-ex05")
        assert_next_changes_equation_and_values(page, screenshot_prefix=f"hub-learner{index + 1}-05-step-through")


def _run_new_cell(page, source):
    """Add a code cell at the end of the open notebook, type `source` into it and run it; returns the cell."""
    last = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell").last
    last.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # command mode: insert a cell below
    page.keyboard.press("Enter")  # edit it
    page.keyboard.insert_text(source)
    page.keyboard.press("Shift+Enter")
    return code_cell(page, source.splitlines()[0])


def test_a_learners_kernel_cannot_read_another_learners_files(hub, learners):
    if not AS_ROOT:
        pytest.skip("not root: the learners share one unix account, so only the hub's access control separates them")
    owner, other = hub.users[0], hub.users[1]
    page = learners[owner]
    mine = hub.home(owner) / "backprop-course" / "exercises" / "ex05_deltas.py"
    theirs = hub.home(other) / "backprop-course" / "exercises" / "ex05_deltas.py"
    cell = _run_new_cell(page, f"import os; print('isolation:', os.getuid(), os.access({str(mine)!r}, os.R_OK), "
                               f"os.access({str(theirs)!r}, os.R_OK), os.access({str(hub.home(other))!r}, os.X_OK))")
    uid = pwd.getpwnam(owner).pw_uid
    expect(cell.locator(".jp-OutputArea-output")).to_contain_text(f"isolation: {uid} True False False",
                                                                  timeout=30_000)
    save_screenshot(cell, "hub-isolation")


def test_a_learner_cannot_open_another_learners_server(hub, learners):
    owner, other = hub.users[0], hub.users[1]
    page = learners[owner].context.new_page()
    try:
        response = page.goto(f"{hub.url}/user/{other}/api/contents/backprop-course/exercises")
        assert response is not None and response.status == 403, (
            f"{owner} opened {other}'s server: status {response and response.status}, {page.url}"
        )
        assert "ex05_deltas" not in page.content()
    finally:
        page.close()
