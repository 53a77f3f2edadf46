"""The playground in a real browser: in JupyterLab and as a voila page, Play trains live and Pause stops it.

What only a browser shows: the Play click travels to the kernel as a comm message, the kernel trains
in chunks on its event loop and sends new PNG views and a new epoch back, and a Pause click gets
through *while* it plays (if Play blocked the kernel, the Pause message would wait in the queue and
the epoch counter would keep running). Screenshots go to ``test-artifacts/screenshots/``.
"""

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .helpers import (
    assert_notebook_healthy,
    code_cell,
    expect,
    free_port,
    open_notebook,
    run_all_cells,
    save_screenshot,
    stop_server,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/18_playground.ipynb"
VOILA_START_TIMEOUT = 120  # seconds until the page has rendered the playground


def epoch(scope):
    return int(scope.locator(".bpc-epoch").first.inner_text())


def cost(scope):
    return float(scope.locator(".bpc-cost").first.inner_text())


def button(scope, label):
    """The widget button labelled exactly `label` (its icon is CSS-generated text, so match textContent)."""
    return scope.locator("button", has_text=re.compile(rf"^\s*{label}\s*$"))


def wait_for(predicate, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def play_then_pause(page, scope, name):
    """Press Play, see the epoch and cost move, press Pause, see the epoch stop; screenshots of both."""
    expect(scope.locator(".bpc-epoch").first).to_be_visible(timeout=60_000)
    start_epoch, start_cost = epoch(scope), cost(scope)
    boundary = scope.locator("img.widget-image").nth(2)
    start_src = boundary.get_attribute("src")

    button(scope, "Play").click()
    wait_for(lambda: epoch(scope) >= start_epoch + 30, 60, "the epoch counter to rise after Play")
    assert cost(scope) != start_cost, "the cost shown must change while training"
    assert boundary.get_attribute("src") != start_src, "the decision boundary view must be redrawn"
    save_screenshot(scope, f"playground-{name}-playing")

    button(scope, "Pause").click()
    time.sleep(1.0)                      # the chunk that was running when Pause arrived may finish
    paused = epoch(scope)
    time.sleep(2.0)
    assert epoch(scope) == paused, "after Pause the epoch counter must stop (Pause was handled while playing)"
    assert "paused" in scope.locator(".bpc-epoch").first.locator("xpath=../..").inner_text()
    save_screenshot(scope, f"playground-{name}-paused")
    return paused


def test_playground_plays_and_pauses_in_jupyterlab(lab, page):
    page.set_viewport_size({"width": 1600, "height": 1400})   # the whole playground on screen for screenshots
    open_notebook(page, lab, NOTEBOOK)
    run_all_cells(page)
    assert_notebook_healthy(page)
    cell = code_cell(page, "pg = Playground.from_query(")
    paused = play_then_pause(page, cell, "jupyterlab")
    # Step trains exactly one more epoch
    button(cell, "Step").click()
    wait_for(lambda: epoch(cell) == paused + 1, 20, "Step to train one epoch")
    # "show the gradients" redraws the network with D on the edges
    network = cell.locator("img.widget-image").nth(0)
    before = network.get_attribute("src")
    cell.get_by_text("show the gradients D on the edges").click()
    wait_for(lambda: network.get_attribute("src") != before, 20, "the network view to show D")
    save_screenshot(cell, "playground-jupyterlab-gradients")
    # Reset goes back to epoch 0
    button(cell, "Reset").click()
    wait_for(lambda: epoch(cell) == 0, 20, "Reset to return to epoch 0")
    assert_notebook_healthy(page)


def test_presenter_mode_with_a_preset_in_jupyterlab(lab, page):
    source = ("from backprop_course.widgets import Playground\n"
              "Playground(preset='lr-too-high', presenter=True, hide=('output', 'batch_size', 'add_point'))")
    path = lab.root / "presenter_check" / "presenter.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    import nbformat

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                       "name": "python3"}
    nbformat.write(notebook, path)
    page.set_viewport_size({"width": 1920, "height": 1600})   # a projector-wide screen
    open_notebook(page, lab, "presenter_check/presenter.ipynb")
    run_all_cells(page)
    assert_notebook_healthy(page)
    cell = code_cell(page, "presenter=True")
    expect(cell.locator(".bpc-presenter")).to_have_count(1)
    label_size = cell.locator(".bpc-presenter .widget-label").first.evaluate(
        "el => parseFloat(getComputedStyle(el).fontSize)")
    assert label_size >= 18, f"presenter labels must be projector-sized, got {label_size}px"
    assert epoch(cell) == 40, "the lr-too-high preset replays 40 epochs"
    expect(cell.get_by_text("batch size", exact=True)).to_be_hidden()
    save_screenshot(cell, "playground-jupyterlab-presenter-lr-too-high")


# -- voila ---------------------------------------------------------------------------------------------

@pytest.fixture
def voila_url(tmp_path):
    """voila serving a temp copy of the playground notebook on 127.0.0.1; stopped at the end."""
    pytest.importorskip("voila")
    shutil.copy(REPO / NOTEBOOK, tmp_path / "18_playground.ipynb")
    port = free_port()
    env = dict(os.environ, MPLBACKEND="Agg", JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
               PYTHONDONTWRITEBYTECODE="1")
    log_path = tmp_path / "voila.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "voila", "18_playground.ipynb", "--no-browser", f"--port={port}",
             "--Voila.ip=127.0.0.1"],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"voila exited early:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}api/status", timeout=2):
                    break
            except urllib.error.HTTPError:
                break                                   # it answers: the server is up
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("voila did not start within 60 s") from None
                time.sleep(0.25)
        yield url
    finally:
        stop_server(process)                                # voila and its kernel


def test_playground_plays_and_pauses_under_voila(page, voila_url):
    page.set_viewport_size({"width": 1600, "height": 1400})
    page.goto(voila_url, timeout=VOILA_START_TIMEOUT * 1000)
    expect(page.locator(".bpc-epoch").first).to_be_visible(timeout=VOILA_START_TIMEOUT * 1000)
    body = page.locator("body")
    text = body.inner_text()
    assert "Playground.from_query" not in text and "import numpy" not in text, "voila must not show the code"
    assert not re.search(r"Traceback|Error displaying widget", text), text[:2000]
    save_screenshot(page.locator(".bpc-playground"), "playground-voila-start")
    play_then_pause(page, page.locator(".bpc-playground"), "voila")

    # the page address chooses a lecture moment and presenter mode (Playground.from_query)
    page.goto(f"{voila_url}?preset=xor-minimal&presenter=1&hide=output,batch_size",
              timeout=VOILA_START_TIMEOUT * 1000)
    playground = page.locator(".bpc-playground")
    expect(playground.locator(".bpc-epoch")).to_be_visible(timeout=VOILA_START_TIMEOUT * 1000)
    expect(page.locator(".bpc-presenter")).to_have_count(1)
    expect(playground).to_contain_text("xor-minimal")
    expect(playground.get_by_text("batch size", exact=True)).to_be_hidden()
    save_screenshot(playground, "playground-voila-presenter-xor-minimal")


def dropdown(scope, label):
    """The <select> of the dropdown labelled `label`."""
    label = scope.page.locator(".widget-label", has_text=re.compile(rf"^{label}(\s|$)"))  # `has` looks inside each one
    return scope.locator(".widget-dropdown", has=label).locator("select")


def test_choosing_adam_trains_with_adam_under_voila(page, voila_url):
    from backprop_course.playground import PlaygroundState

    page.set_viewport_size({"width": 1600, "height": 1400})
    page.goto(voila_url, timeout=VOILA_START_TIMEOUT * 1000)
    playground = page.locator(".bpc-playground")
    expect(playground.locator(".bpc-epoch")).to_be_visible(timeout=VOILA_START_TIMEOUT * 1000)
    assert dropdown(playground, "optimizer").input_value() == "gd"
    dropdown(playground, "alpha").select_option(label="0.03")
    dropdown(playground, "optimizer").select_option(label="adam")
    # Adam's settings sit in the closed "advanced" fold; the ones of momentum are greyed out
    expect(dropdown(playground, "beta1")).to_be_hidden()
    playground.locator(".jupyter-widget-Collapse-header", has_text="advanced").click()
    expect(dropdown(playground, "beta1")).to_be_visible()
    expect(dropdown(playground, "beta1")).to_be_enabled()
    expect(dropdown(playground, "beta2")).to_be_enabled()
    expect(dropdown(playground, "beta")).to_be_disabled()
    save_screenshot(playground, "playground-voila-adam-advanced")
    for k in (1, 2, 3):
        button(playground, "Step").click()
        wait_for(lambda k=k: epoch(playground) == k, 20, f"Step to reach epoch {k}")
    # the page trained with Adam: its J is the library's after 3 Adam steps, not plain descent's
    adam = PlaygroundState(optimizer="adam", alpha=0.03)
    adam.step(3)
    gd = PlaygroundState(alpha=0.03)
    gd.step(3)
    assert f"{adam.cost:.4f}" != f"{gd.cost:.4f}"
    assert playground.locator(".bpc-cost").first.inner_text() == f"{adam.cost:.4f}"
