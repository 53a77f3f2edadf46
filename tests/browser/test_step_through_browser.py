"""The step-through widget in a real browser: notebook 05 runs, and Next changes equation, numbers, picture.

nbval and the headless widget tests cannot see what a learner sees: that the LaTeX is typeset, the
PNG of the network arrives, and a click on Next travels to the kernel and comes back as a new step.
Screenshots of the widget before and after the click go to ``test-artifacts/screenshots/``.
"""

import re

import pytest

from .helpers import assert_notebook_healthy, code_cell, expect, open_notebook, run_all_cells, save_screenshot

pytestmark = pytest.mark.browser

NOTEBOOK = "notebooks/05_backprop_one_example.ipynb"
WIDGET_CELL = "walk = bp.widgets.StepThrough(Theta, x, y, alpha=0.5)"


def _shown(cell):
    """What the widget shows: the text of its HTML/LaTeX outputs (typeset math included) and the image src."""
    texts = [t.strip() for t in cell.locator(".widget-html-content, .widget-htmlmath-content").all_text_contents()]
    return " | ".join(texts), cell.locator("img.widget-image").first.get_attribute("src")


def test_next_in_the_step_through_changes_equation_and_values(lab, page):
    open_notebook(page, lab, NOTEBOOK)
    run_all_cells(page)
    assert_notebook_healthy(page)

    cell = code_cell(page, WIDGET_CELL)
    cell.scroll_into_view_if_needed()
    expect(cell.locator("img.widget-image").first).to_be_visible(timeout=30_000)
    # Later cells of the notebook drive the same widget to its last step; Reset brings it back.
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 13 / 13", timeout=30_000)
    cell.locator("button", has_text=re.compile(r"^\s*Reset\s*$")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 0 /", timeout=30_000)
    page.wait_for_timeout(500)  # let MathJax typeset the step
    expect(cell.locator("mjx-container, .MathJax").first).to_be_attached(timeout=30_000)  # LaTeX typeset
    before_text, before_src = _shown(cell)
    assert "Equation (BP0)" in before_text, before_text
    save_screenshot(cell, "05-step-through-step-0")

    cell.locator("button", has_text=re.compile(r"Next")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 1 /", timeout=30_000)
    cell.locator("button", has_text=re.compile(r"Next")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 2 /", timeout=30_000)
    page.wait_for_timeout(500)  # let MathJax typeset the new step
    after_text, after_src = _shown(cell)
    save_screenshot(cell, "05-step-through-step-2")

    assert "Equation (F2)" in after_text and "Equation (BP0)" not in after_text, after_text
    # z(2) = Theta(1) a(1) for x = (0.5, -1.0): z(2)_1 = 0.15 - 0.125 - 0.40 = -0.375
    assert re.search(r"[-−]0\.375", after_text), f"the value z(2)_1 = -0.375 is not shown: {after_text[:1500]}"
    assert after_src and after_src != before_src, "the network picture did not change"

    cell.locator("button", has_text=re.compile(r"Prev")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 1 /", timeout=30_000)
