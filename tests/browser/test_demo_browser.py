"""``backprop-course demo --plan`` in a real browser: the address it prints, the plan's keys and buttons.

The command runs as a lecturer runs it (a subprocess, voila under it), with the port it is asked for
already taken: the address it prints must be the one the page answers on. Then the page steps through
a three-moment plan with the keyboard (→, ←, p) and the Next button, and each step must change the
settings the controls show, the epoch and the views. Screenshots go to ``test-artifacts/screenshots/``.
"""

import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .helpers import expect, free_port, save_screenshot, stop_server

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120  # seconds until the command says the page is ready

PLAN = """
title = "browser test"

[[moment]]
title = "two hidden units"
preset = "xor-minimal"
note = "XOR with the smallest network that solves it."

[[moment]]
title = "a larger step"
alpha = 1.0
epoch = 5

[[moment]]
title = "Adam on the moons"
preset = "default"
optimizer = "adam"
alpha = 0.03
hide = ["output"]
"""


@pytest.fixture
def demo_page_address(tmp_path):
    """`backprop-course demo --plan` started with its port taken; yields (the address it printed, that port)."""
    pytest.importorskip("voila")
    shutil.copy(REPO / "notebooks" / "18_playground.ipynb", tmp_path / "18_playground.ipynb")
    (tmp_path / "lecture.toml").write_text(PLAN)
    env = dict(os.environ, MPLBACKEND="Agg", JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), IPYTHONDIR=str(tmp_path / "ipython"),
               PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        asked = taken.getsockname()[1]
        process = subprocess.Popen(
            [sys.executable, "-m", "backprop_course.cli", "demo", "--notebook", "18_playground.ipynb",
             "--plan", "lecture.toml", "--no-browser", f"--port={asked}"],
            cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
        said = []
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not any("ready at" in line for line in said):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the demo did not say it was ready:\n" + "".join(said)[-3000:])
                try:
                    said.append(lines.get(timeout=1))
                except queue.Empty:
                    pass
            text = "".join(said)
            assert f"port {asked} is in use" in text, text
            address = re.search(r"ready at (\S+)", text).group(1)
            yield address, asked
        finally:
            stop_server(process)                               # the command, voila and its kernel


def moment_shown(page):
    return int(page.locator(".bpc-moment").inner_text())


def selected(page, label):
    """The text of the chosen option of the dropdown labelled `label`."""
    dropdown = page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text=re.compile(rf"^{label}")))
    return dropdown.locator("select").evaluate("s => s.options[s.selectedIndex].text")


def wait_for_moment(page, number):
    page.wait_for_function(f"document.querySelector('.bpc-moment').textContent === '{number}'", timeout=60_000)


def test_demo_plan_steps_with_keys_and_buttons_at_the_printed_address(page, demo_page_address):
    address, asked = demo_page_address
    port = int(re.match(r"http://127\.0\.0\.1:(\d+)/", address).group(1))
    assert port != asked, "the port asked for was taken: the printed address must name another"
    assert address.endswith("/?plan=lecture.toml")
    page.set_viewport_size({"width": 1600, "height": 1300})
    page.goto(address, timeout=START_TIMEOUT * 1000)
    title = page.locator(".bpc-plan-title")
    expect(title).to_contain_text("moment 1 of 3", timeout=START_TIMEOUT * 1000)
    expect(title).to_contain_text("two hidden units")
    expect(page.locator(".bpc-playground")).to_contain_text("XOR with the smallest network that solves it.")
    assert selected(page, "data") == "xor" and selected(page, "alpha") == "3"
    assert page.locator("button.bpc-plan-previous").is_disabled()
    boundary = page.locator(".bpc-playground img.widget-image").nth(2)
    first_view = boundary.get_attribute("src")
    save_screenshot(page.locator(".bpc-playground"), "demo-plan-moment-1")

    page.keyboard.press("ArrowRight")                                   # the key steps forward
    wait_for_moment(page, 2)
    expect(title).to_contain_text("a larger step")
    expect(page.locator(".bpc-epoch")).to_have_text("5")
    assert selected(page, "alpha") == "1" and selected(page, "data") == "xor", \
        "moment 2 changes alpha on top of moment 1's settings"
    assert boundary.get_attribute("src") != first_view, "5 epochs at alpha 1 redraw the boundary"

    page.locator("button.bpc-plan-next").click()                       # the button too
    wait_for_moment(page, 3)
    expect(page.locator(".bpc-epoch")).to_have_text("0")
    assert selected(page, "optimizer") == "adam" and selected(page, "data") == "moons"
    assert selected(page, "alpha") == "0.03"
    expect(page.locator(".widget-dropdown", has=page.locator(".widget-label", has_text="output"))).to_be_hidden()
    assert page.locator("button.bpc-plan-next").is_disabled()
    save_screenshot(page.locator(".bpc-playground"), "demo-plan-moment-3")

    page.keyboard.press("ArrowLeft")
    wait_for_moment(page, 2)
    page.keyboard.press("p")
    wait_for_moment(page, 1)
    assert selected(page, "alpha") == "3" and page.locator(".bpc-epoch").inner_text() == "0"

    # typing into a text field must not step the plan: the keys are the field's there
    hidden_units = page.locator(".widget-text", has=page.locator(".widget-label", has_text="hidden units"))
    hidden_units.locator("input").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("n")
    time.sleep(1.5)
    assert moment_shown(page) == 1, "a key typed into a control must not move the plan"
