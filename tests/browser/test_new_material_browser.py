"""Notebooks 14 and 16 in a real browser, driven by clicks as a learner would.

14_find_the_bug: after Run All, clicking Next in the step-through walks example t = 1 to (BP2) at step 7,
where the correct factor g'(z(2)) that the worked bug got wrong is on screen. 16_optimizers: choosing
RMSProp in the right-hand dropdown greys out its beta slider, retitles the panel and redraws the path.
Screenshots go to ``test-artifacts/screenshots/``.
"""

import re

import pytest

from .helpers import assert_notebook_healthy, expect, run_and_find_widget, save_screenshot

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
