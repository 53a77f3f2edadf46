"""The step-through widget of notebook 05, driven as a learner would: Reset, Next, Next, Prev.

Shared by the JupyterLab, Notebook 7 and JupyterHub tests; call it after notebook 05 has run.
"""

import re

from .helpers import code_cell, expect, save_screenshot

NOTEBOOK = "notebooks/05_backprop_one_example.ipynb"
WIDGET_CELL = 'walk = bp.widgets.StepThrough(Theta, x, y, phases=("forward", "backward"))'


def _shown(cell):
    """What the widget shows: the text of its HTML/LaTeX outputs (typeset math included) and the image src."""
    texts = [t.strip() for t in cell.locator(".widget-html-content, .widget-htmlmath-content").all_text_contents()]
    return " | ".join(texts), cell.locator("img.widget-image").first.get_attribute("src")


def assert_next_changes_equation_and_values(page, screenshot_prefix="05-step-through"):
    """Click through the step-through and check that equation, numbers and picture change with each click."""
    cell = code_cell(page, WIDGET_CELL)
    cell.scroll_into_view_if_needed()
    expect(cell.locator("img.widget-image").first).to_be_visible(timeout=30_000)
    # A later cell of the notebook shows the same widget at step 7 (for reading without a kernel);
    # Reset brings it back.
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 7 of 0–9", timeout=30_000)
    cell.locator("button", has_text=re.compile(r"^\s*Reset\s*$")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 0 of", timeout=30_000)
    page.wait_for_timeout(500)  # let MathJax typeset the step
    expect(cell.locator("mjx-container, .MathJax").first).to_be_attached(timeout=30_000)  # LaTeX typeset
    before_text, before_src = _shown(cell)
    assert "Equation (BP0)" in before_text, before_text
    save_screenshot(cell, f"{screenshot_prefix}-step-0")

    cell.locator("button", has_text=re.compile(r"Next")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 1 of", timeout=30_000)
    cell.locator("button", has_text=re.compile(r"Next")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 2 of", timeout=30_000)
    page.wait_for_timeout(500)  # let MathJax typeset the new step
    after_text, after_src = _shown(cell)
    save_screenshot(cell, f"{screenshot_prefix}-step-2")

    assert "Equation (F2)" in after_text and "Equation (BP0)" not in after_text, after_text
    # z(2) = Theta(1) a(1) for x = (0.5, -1.0): z(2)_1 = 0.15 - 0.125 - 0.40 = -0.375
    assert re.search(r"[-−]0\.375", after_text), f"the value z(2)_1 = -0.375 is not shown: {after_text[:1500]}"
    assert after_src and after_src != before_src, "the network picture did not change"

    cell.locator("button", has_text=re.compile(r"Prev")).click()
    expect(cell.locator(".widget-html-content").first).to_contain_text("Step 1 of", timeout=30_000)
