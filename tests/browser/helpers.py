"""Helpers for driving JupyterLab in headless Chromium (Playwright, sync API).

The functions take a Playwright ``page`` (the ``page`` fixture) and the ``lab`` fixture from
``conftest.py``. Playwright is imported lazily, so this module imports fine on machines without it
(the browser tests are then skipped, see ``conftest.py``). Use :func:`expect` from here rather than
importing ``playwright`` at the top of a test module.

What counts as unhealthy (:func:`assert_notebook_healthy`): any error output (a traceback), any
output on **stderr**, and any widget that failed to render ("Error displaying widget"). Stderr counts
because a course notebook should not print warnings: a RuntimeWarning from numpy (overflow in exp,
divide by zero) is usually a real bug, and a DeprecationWarning is noise in front of a learner. Fix the
cause; if a warning is truly expected and explained in the text, catch it in the cell with
``warnings.catch_warnings()``.

Selectors are those verified for JupyterLab 4.6 and ipywidgets 8 (see NOTES-jupyter.md); Notebook 7.6 uses
the same notebook panel, cells, menus and outputs, and shows the kernel's state in a toolbar indicator
(``.jp-Notebook-ExecutionIndicator[data-status]``) instead of a status bar.
"""

import os
import re
import signal
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO / "test-artifacts" / "screenshots"

KERNEL_START_TIMEOUT = 90_000  # ms
RUN_ALL_TIMEOUT = 300_000  # ms, for the slowest notebook (training on the digits)

ERROR_SELECTORS = (
    '[data-mime-type="application/vnd.jupyter.stderr"]',
    '[data-mime-type="application/vnd.jupyter.error"]',
)
WIDGET_ERROR_TEXT = "Error displaying widget"
WIDGET_LOADING_TEXT = "Loading widget..."
WIDGET_RENDER_TIMEOUT = 30_000  # ms; a widget whose model is missing turns into an error after a few seconds
WIDGET_OUTPUT = ".jp-OutputArea-output .jupyter-widgets"  # a rendered ipywidgets view

# Every non-empty code cell shows "[n]:" once it has run; "[*]:" while queued or running, "[ ]:" before.
# Run All stops at the first exception and leaves the later cells at "[ ]:", so "done" is: nothing queued
# or running, and either every cell has run or an error is on screen (assert_notebook_healthy reports it).
_RUN_ALL_FINISHED_JS = r"""
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return false;
  const prompts = Array.from(panel.querySelectorAll('.jp-CodeCell'))
    .filter(cell => {
      const source = cell.querySelector('.jp-InputArea-editor');
      return !(source && source.textContent.trim() === '');  // empty cells are never executed
    })
    .map(cell => (cell.querySelector('.jp-InputArea-prompt') || {textContent: ''}).textContent.trim());
  const ran = prompts.filter(p => /^\[\d+\]:?$/.test(p)).length;
  const running = prompts.some(p => p.includes('*'));
  const failed = panel.querySelector(
    '[data-mime-type="application/vnd.jupyter.error"], [data-mime-type="application/vnd.jupyter.stderr"]');
  return prompts.length > 0 && !running && (ran === prompts.length || (ran > 0 && failed !== null));
}
"""

_NO_WIDGET_LOADING_JS = r"""
() => !Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output'))
        .some(output => output.textContent.includes('Loading widget...'))
"""


def expect(*args, **kwargs):
    """``playwright.sync_api.expect``, imported on first use."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


def _notebook(page):
    """The notebook panel on screen (tabs that are not shown stay in the DOM, hidden)."""
    return page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")


def is_notebook7(page):
    """True when the page shows Jupyter Notebook 7 (``/notebooks/...``), False for JupyterLab (``/lab/...``)."""
    return not re.search(r"/lab(/|$)", urlparse(page.url).path)


def wait_for_kernel_idle(page, timeout=KERNEL_START_TIMEOUT):
    """Wait until the kernel is "Idle": in JupyterLab's status bar, or in Notebook 7's toolbar indicator
    (Notebook 7 has no status bar)."""
    if is_notebook7(page):
        indicator = _notebook(page).locator(".jp-Notebook-ExecutionIndicator")
        expect(indicator).to_have_attribute("data-status", "idle", timeout=timeout)
    else:
        expect(page.locator("#jp-main-statusbar")).to_contain_text("Idle", timeout=timeout)


def open_notebook(page, lab, relpath, timeout=KERNEL_START_TIMEOUT, ui="lab"):
    """Open ``relpath`` (relative to the served root, e.g. "notebooks/00_start_here.ipynb") in JupyterLab,
    or with ``ui="notebook"`` in Jupyter Notebook 7 (the same server serves both).

    Returns once the app has loaded, the notebook's cells are rendered and its kernel is idle.
    """
    if not (lab.root / relpath).is_file():
        raise FileNotFoundError(f"{relpath!r} is not in the served copy {lab.root}; paths start with "
                                f"'notebooks/' or 'exercises/'.")
    page.goto(lab.url(relpath, ui=ui))
    return wait_for_notebook(page, timeout=timeout)


def wait_for_notebook(page, timeout=KERNEL_START_TIMEOUT):
    """Wait until the page that is loading a notebook shows its cells and its kernel is idle."""
    page.locator("#jupyterlab-splash").wait_for(state="detached", timeout=timeout)
    expect(_notebook(page).locator(".jp-Cell").first).to_be_visible(timeout=timeout)
    wait_for_kernel_idle(page, timeout=timeout)
    return page


def _click_menu(page, menu, command):
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(rf"^{menu}$")).click()
    page.locator(f'.lm-Menu li[data-command="{command}"]').click()


def run_all_cells(page, timeout=RUN_ALL_TIMEOUT):
    """Clear all outputs, run every cell (Run > Run All Cells) and wait until every code cell has run.

    Clearing first matters: stored outputs already show numbered prompts, so without it "every prompt
    is numbered" would hold before anything ran. If a cell raises, Run All stops there; this returns
    then too (without waiting for the timeout) and :func:`assert_notebook_healthy` shows the error.
    Returns when the kernel is idle again.
    """
    _click_menu(page, "Edit", "editmenu:clear-all")
    _click_menu(page, "Run", "runmenu:run-all")
    page.wait_for_function(_RUN_ALL_FINISHED_JS, timeout=timeout, polling=250)
    wait_for_kernel_idle(page, timeout=timeout)
    # Widget views render asynchronously after the kernel has sent their models; a view whose model never
    # arrives shows "Loading widget..." for a few seconds, then "Error displaying widget".
    try:
        page.wait_for_function(_NO_WIDGET_LOADING_JS, timeout=WIDGET_RENDER_TIMEOUT, polling=250)
    except Exception as exc:
        if type(exc).__name__ != "TimeoutError":
            raise  # a stuck "Loading widget..." is reported by assert_notebook_healthy
    return page


def _cell_source(output):
    cell = output.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-CodeCell ')][1]")
    try:
        return cell.locator(".jp-InputArea-editor").inner_text(timeout=2_000).strip()
    except Exception:
        return "(source not found)"


def notebook_problems(page):
    """A list of human-readable problems: error outputs, stderr outputs, widgets that failed to render."""
    notebook = _notebook(page)
    problems = []
    # JupyterLab renders tracebacks with the stderr mime type too; one selector list catches both.
    for output in notebook.locator(", ".join(ERROR_SELECTORS)).all():
        text = output.inner_text().strip()
        kind = "error" if "Traceback" in text or "Error" in text else "stderr output"
        problems.append(f"{kind}:\n{text[:2000]}\n  in the cell:\n{_cell_source(output)[:600]}")
    for text in (WIDGET_ERROR_TEXT, WIDGET_LOADING_TEXT):
        for output in notebook.locator(".jp-OutputArea-output", has_text=text).all():
            problems.append(f"widget not displayed: {output.inner_text().strip()[:500]}\n"
                            f"  in the cell:\n{_cell_source(output)[:600]}")
    return problems


def assert_notebook_healthy(page):
    """Fail if any cell shows an error, prints to stderr, or shows "Error displaying widget".

    A stderr output (e.g. a warning) counts: course notebooks must run clean (see the module docstring).
    """
    problems = notebook_problems(page)
    if problems:
        joined = "\n\n".join(f"[{i + 1}] {p}" for i, p in enumerate(problems))
        raise AssertionError(f"The notebook shows {len(problems)} problem(s) after running:\n\n{joined}")


def code_cell(page, text):
    """Locator of the one code cell whose source contains ``text``.

    Raises AssertionError (with the reason) when no cell or several cells match: make ``text`` unique.
    """
    cells = _notebook(page).locator(".jp-CodeCell").filter(
        has=page.locator(".jp-InputArea-editor", has_text=text)
    )
    count = cells.count()
    if count != 1:
        raise AssertionError(f"{count} code cells contain {text!r} in their source; expected exactly 1. "
                             "Pass a longer, unique piece of the cell's source.")
    return cells


def run_and_find_widget(page, lab, relpath, source, timeout=30_000):
    """Open the notebook at ``relpath``, Run All, assert it is healthy, and return the widget cell whose
    source contains ``source``, scrolled into view once its picture (``img.widget-image``) shows."""
    open_notebook(page, lab, relpath)
    run_all_cells(page)
    assert_notebook_healthy(page)
    cell = code_cell(page, source)
    cell.scroll_into_view_if_needed()
    expect(cell.locator("img.widget-image").first).to_be_visible(timeout=timeout)
    return cell


def save_screenshot(target, name):
    """Save a PNG of ``target`` (a page or a locator) to ``test-artifacts/screenshots/NAME.png``.

    For a cell, pass its locator: a full-page screenshot misses the notebook's inner scroll area.
    Returns the path.
    """
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    path = SCREENSHOT_DIR / f"{safe}.png"
    target.screenshot(path=str(path))
    return path


def free_port():
    """A free TCP port on 127.0.0.1 for a server a test starts."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_server(process):
    """SIGTERM a server started with start_new_session=True, then kill its whole process group.

    The server shuts its kernels down on SIGTERM; whatever is left in its process group (it and its
    kernels only, since it has a session of its own) is killed.
    """
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        # The server was started in its own session: its process group holds it and its kernels only.
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if process.poll() is None:
        process.kill()
    process.wait(timeout=15)
