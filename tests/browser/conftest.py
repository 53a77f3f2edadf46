"""Fixtures for the browser tests: one JupyterLab server per session, one Chromium page per test.

The same server also serves Jupyter Notebook 7 (``lab.url(relpath, ui="notebook")``): the ``notebook``
package (test extra) adds its pages to every Jupyter server of the environment.

The server serves a temporary COPY of the repo's ``notebooks/`` and ``exercises/`` folders, so running
notebooks in the browser never edits the repo. It listens on 127.0.0.1 with a random token, keeps its
settings, workspaces and runtime files in temp dirs, and is always stopped (SIGTERM, then kill) at the
end of the session.

Where Chromium (``/usr/bin/chromium``, or ``$BACKPROP_CHROMIUM``) or the Python ``playwright`` package
is missing, the browser tests are skipped, unless ``BACKPROP_REQUIRE_BROWSER=1`` (CI sets it): then
they fail, because a CI run that silently skipped its browser tests would prove nothing.

Usage (see ``helpers.py``)::

    import pytest
    from .helpers import open_notebook, run_all_cells, assert_notebook_healthy

    @pytest.mark.browser
    def test_something(lab, page):
        open_notebook(page, lab, "notebooks/05_backprop_one_example.ipynb")
        run_all_cells(page)
        assert_notebook_healthy(page)
"""

import importlib.util
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest

from .helpers import free_port, save_screenshot, stop_server

# Debian's Chromium; BACKPROP_CHROMIUM points elsewhere (another install, or a missing path to test the skip).
CHROMIUM = os.environ.get("BACKPROP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1600, "height": 1000}
REPO = Path(__file__).resolve().parents[2]
BROWSER_DIR = Path(__file__).resolve().parent
# Folders of the repo the server gets a copy of (missing ones are skipped).
SERVED_FOLDERS = ("notebooks", "exercises")
SERVER_START_TIMEOUT = 90  # seconds

# JupyterLab user settings: no network calls for news or updates, and every cell attached to the DOM
# (windowing would leave off-screen cells unrendered, so locators would not find them).
LAB_USER_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def browser_unavailable_reason():
    """Why browser tests cannot run here, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "the Python package 'playwright' is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
    return None


def browser_required():
    return os.environ.get("BACKPROP_REQUIRE_BROWSER", "") == "1"


def _is_browser_item(item):
    return BROWSER_DIR in Path(str(item.path)).resolve().parents or item.get_closest_marker("browser")


def pytest_collection_modifyitems(config, items):
    # Skip markers go on the collected items: a module-level skip raised from a conftest is a usage error.
    reason = browser_unavailable_reason()
    browser_items = []
    for item in items:
        if not _is_browser_item(item):
            continue
        browser_items.append(item)
        item.add_marker(pytest.mark.browser)
        if reason and not browser_required():
            item.add_marker(pytest.mark.skip(reason=f"browser test skipped: {reason}"))
    # The slow browser tests run last: quick failures show first, and the JupyterLab server (session
    # fixture) is up only while they run.
    if browser_items:
        chosen = set(map(id, browser_items))
        items[:] = [item for item in items if id(item) not in chosen] + browser_items


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the item, so the page fixture can screenshot a failed test.
    report = yield
    setattr(item, f"_backprop_report_{report.when}", report)
    return report


def _fail_if_unavailable():
    reason = browser_unavailable_reason()
    if reason:
        pytest.fail(f"BACKPROP_REQUIRE_BROWSER=1 but {reason}." if browser_required()
                    else f"browser test cannot run: {reason}.", pytrace=False)


class JupyterLabServer:
    """A running JupyterLab. ``root`` is the temp dir it serves; ``url(relpath)`` opens a file in Lab."""

    def __init__(self, root, port, token, process, log_path):
        self.root = Path(root)
        self.port = port
        self.token = token
        self.process = process
        self.log_path = Path(log_path)
        self.base_url = f"http://127.0.0.1:{port}"

    def url(self, relpath, ui="lab"):
        """URL that opens ``relpath`` (relative to the served root, e.g. "notebooks/00_start_here.ipynb") in Lab,
        or with ``ui="notebook"`` in Jupyter Notebook 7 (served by the same server when ``notebook`` is installed).

        ``reset`` starts from an empty workspace, so a page never reopens notebooks of earlier tests.
        """
        if ui == "notebook":
            return f"{self.base_url}/notebooks/{quote(str(relpath))}?token={self.token}"
        return f"{self.base_url}/lab/tree/{quote(str(relpath))}?reset&token={self.token}"

    def api(self, method, path, timeout=10):
        """Call the server's REST API (``path`` like "/api/sessions"); returns the decoded JSON or None."""
        request = urllib.request.Request(
            f"{self.base_url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        """Stop every kernel (tests open one notebook each; idle kernels would pile up in memory)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def log_tail(self, chars=4000):
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"


def _wait_until_ready(server):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    status_url = f"{server.base_url}/api/status?token={server.token}"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with code {server.process.returncode} before it was ready.\n"
                f"Server log:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(status_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"JupyterLab did not answer /api/status within {SERVER_START_TIMEOUT} s.\n"
                       f"Server log:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def lab():
    """A JupyterLab server (session-scoped) serving a temp copy of ``notebooks/`` and ``exercises/``."""
    _fail_if_unavailable()
    base = Path(tempfile.mkdtemp(prefix="backprop-lab-"))
    root = base / "root"
    root.mkdir()
    for folder in SERVED_FOLDERS:
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    settings = base / "settings"
    for relpath, values in LAB_USER_SETTINGS.items():
        path = settings / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values, indent=2))
    env = dict(os.environ)
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTER_CONFIG_DIR": str(base / "config"),  # ignore the user's ~/.jupyter config
        "IPYTHONDIR": str(base / "ipython"),  # and the user's IPython startup files
        "MPLBACKEND": "Agg",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    port = free_port()
    token = secrets.token_hex(16)
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
        "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log_path = base / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = JupyterLabServer(root, port, token, process, log_path)
    try:
        _wait_until_ready(server)
        yield server
    finally:
        stop_server(process)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def _chromium():
    # Module scope, not session: while Playwright's sync API is active it keeps an asyncio event loop
    # running in the main thread, and any later test calling asyncio.run() would fail. Tests outside
    # tests/browser must never see it.
    _fail_if_unavailable()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(_chromium, lab, request):
    """A fresh Chromium page (viewport 1600x1000). A failed test leaves a screenshot in test-artifacts/."""
    context = _chromium.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        yield page
    finally:
        report = getattr(request.node, "_backprop_report_call", None)
        if report is not None and report.failed:
            name = "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
            try:
                save_screenshot(page, name)
            except Exception as exc:  # a broken page must not hide the test's own failure
                print(f"could not save failure screenshot: {exc}")
        context.close()
        try:
            lab.shutdown_kernels()
        except (urllib.error.URLError, OSError) as exc:
            print(f"could not shut the kernels down: {exc}")
