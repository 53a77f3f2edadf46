"""Notebooks 14 and 16 in a real browser, driven by clicks as a learner would.

14's exercise end to end: Run All, fix one function and its answer in JupyterLab's file editor, run
again, and see it graded.

14_find_the_bug: after Run All, clicking Next in the step-through walks example t = 1 to (BP2) at step 7,
where the correct factor g'(z(2)) that the worked bug got wrong is on screen. 16_optimizers: choosing
RMSProp in the right-hand dropdown greys out its beta slider, retitles the panel and redraws the path.
Screenshots go to ``test-artifacts/screenshots/``.
"""

import re
import time

import pytest

from .helpers import (
    assert_notebook_healthy,
    code_cell,
    expect,
    open_notebook,
    run_all_cells,
    run_and_find_widget,
    save_screenshot,
)

pytestmark = pytest.mark.browser


def _header(cell):
    return cell.locator(".widget-html-content").first


def test_find_the_bug_step_through_reaches_BP2_by_clicking_next(lab, page):
    cell = run_and_find_widget(page, lab, "notebooks/14_find_the_bug.ipynb", "walk    # example t = 1, step by step")
    # a later cell shows (BP2) as a still picture and returns the widget to step 0
    expect(_header(cell)).to_contain_text("Step 0 of", timeout=30_000)
    before_src = cell.locator("img.widget-image").first.get_attribute("src")
    for step in range(1, 8):
        cell.locator("button", has_text=re.compile(r"Next")).click()
        expect(_header(cell)).to_contain_text(f"Step {step} of", timeout=30_000)
    page.wait_for_timeout(500)  # let MathJax typeset the step
    text = " | ".join(t.strip() for t in
                      cell.locator(".widget-html-content, .widget-htmlmath-content").all_text_contents())
    save_screenshot(cell, "14-step-through-BP2")
    assert "BP2" in text, text[:1500]
    # the correct factor g'(z(2)) = (0.2432, 0.2054, 0.2382), shown to three decimals
    assert re.search(r"0\.243\s*0\.205\s*0\.238", text), f"g'(z(2)) is not shown: {text[:1500]}"
    assert cell.locator("img.widget-image").first.get_attribute("src") != before_src
    assert_notebook_healthy(page)


def test_optimizer_explorer_dropdown_switches_the_right_panel_to_rmsprop(lab, page):
    cell = run_and_find_widget(page, lab, "notebooks/16_optimizers.ipynb", "explorer = bp.widgets.OptimizerExplorer")
    image = cell.locator("img.widget-image").first
    expect(_header(cell)).to_contain_text("right, Adam: J =", timeout=30_000)
    before_src = image.get_attribute("src")
    # greyed-out settings: the slider element carries the attribute "disabled"; gradient descent (left)
    # has neither beta nor beta2, Adam (right) has both
    disabled = cell.locator(".widget-slider [disabled]")
    expect(disabled).to_have_count(2, timeout=30_000)
    save_screenshot(cell, "16-optimizers-before")

    cell.locator("select").nth(1).select_option(label="RMSProp")
    expect(_header(cell)).to_contain_text("right, RMSProp: J =", timeout=30_000)
    expect(image).not_to_have_attribute("src", before_src or "", timeout=30_000)
    save_screenshot(cell, "16-optimizers-rmsprop")
    # RMSProp has no beta1: its "β / β₁" slider is greyed out too
    expect(disabled).to_have_count(3, timeout=30_000)
    assert_notebook_healthy(page)


# The learner's fix of backprop_a (the penalty reaches the bias column) and its answer, as typed in the editor.
BUGGY_A = "        D[l] += lambda_ / m * Theta[l]"
FIXED_A = "        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]"


def _output(page, source):
    return code_cell(page, source).locator(".jp-OutputArea")


def test_find_the_bug_exercise_fixed_in_the_editor_and_graded_in_the_notebook(lab, page):
    """A learner's round trip: Run All shows the broken functions and an ungraded answer; the learner
    fixes backprop_a and answers BUG_IN_A in JupyterLab's file editor, saves, runs the Exercise cells
    again, and they show D right and the grader's points for both."""
    exercise = lab.root / "exercises" / "ex14_find_the_bug.py"
    original = exercise.read_text()
    assert BUGGY_A in original and 'BUG_IN_A = None' in original
    try:
        open_notebook(page, lab, "notebooks/14_find_the_bug.ipynb")
        run_all_cells(page)
        assert_notebook_healthy(page)
        load, check = 'bp.exercises.load("ex14_find_the_bug")', 'bp.check("ex14_find_the_bug")'
        expect(_output(page, load)).to_contain_text(re.compile(r"backprop_a: BUG_IN_A = None; blocks that differ: "
                                                               r"Theta\(1\) bias column"))
        expect(_output(page, check)).to_contain_text("your answer: not answered yet")
        save_screenshot(code_cell(page, check), "14-exercise-graded-before")

        # the file editor: select everything, type the edited file, save with Ctrl+S
        edited = original.replace(BUGGY_A, FIXED_A, 1).replace("BUG_IN_A = None", 'BUG_IN_A = "BP5"', 1)
        page.goto(lab.url("exercises/ex14_find_the_bug.py"))
        editor = page.locator(".jp-FileEditor:not(.lm-mod-hidden) .cm-content")
        expect(editor).to_be_visible(timeout=60_000)
        editor.click()
        page.keyboard.press("Control+a")
        page.keyboard.insert_text(edited)
        page.keyboard.press("Control+s")
        deadline = time.monotonic() + 30
        while exercise.read_text() != edited and time.monotonic() < deadline:
            time.sleep(0.25)
        assert exercise.read_text() == edited, "the editor did not save the learner's edit as typed"

        # back in the notebook (its kernel kept running): run the two Exercise cells again, as a learner does
        open_notebook(page, lab, "notebooks/14_find_the_bug.ipynb")
        for source in (load, check):
            code_cell(page, source).locator(".jp-InputArea-editor").click()
            page.keyboard.press("Control+Enter")          # run this cell, stay on it
        expect(_output(page, load)).to_contain_text(
            "backprop_a: BUG_IN_A = 'BP5'; blocks that differ: none; regularization part agrees", timeout=60_000)
        graded = _output(page, check)
        # the report is an HTML table: a mark, the points, the part, the check
        expect(graded).to_contain_text(re.compile(r"ex14_find_the_bug\s*2/14\s*partial"), timeout=60_000)
        expect(graded).to_contain_text(re.compile(r"✓\s*0\.75/0\.75\s*fixed cases\s*your fix of backprop_a"))
        expect(graded).to_contain_text(re.compile(r"✓\s*0\.5/0\.5\s*answers\s*BUG_IN_A"))
        expect(graded).to_contain_text(re.compile(r"✗\s*0/0\.5\s*answers\s*BUG_IN_B"))   # the others are still to do
        assert_notebook_healthy(page)
        save_screenshot(code_cell(page, check), "14-exercise-graded-after")
    finally:
        exercise.write_text(original)
