"""Notebooks 07-10, 13, 15 and 16 in a real browser: each runs clean, and moving one control changes what it shows.

The headless widget tests (``tests/test_widgets_part2.py``) drive the same widgets from Python; this
checks the round trip a learner makes: a key press on a slider travels to the kernel, the callback
recomputes with the library, and the new text and picture come back to the page. Screenshots of
every widget before and after go to ``test-artifacts/screenshots/``.
"""

import re

import pytest

from .helpers import assert_notebook_healthy, expect, run_and_find_widget, save_screenshot

pytestmark = pytest.mark.browser

# notebook, a unique piece of the widget cell's source, which slider (0-based), key to press,
# and a regular expression the widget's text must match afterwards
CASES = [
    ("07_gradient_checking", "explorer = bp.widgets.EpsilonExplorer", 0, "End", r"ε = 1\.0e\+00 in float64"),
    ("08_gradient_descent", "explorer = bp.widgets.LearningRateExplorer", 0, "End", r"diverging"),
    ("09_batches_and_training", "explorer = bp.widgets.BatchExplorer", 0, "Home",
     r"SGD, m_B = 1, α = 0\.5: 200 update"),
    ("10_vectorization", "explorer = bp.widgets.VectorizationExplorer", 0, "End", r"m = 1000: loop"),
    ("13_handwritten_digits", "explorer = bp.widgets.LambdaExplorer", 0, "End", r"λ = 3: training accuracy"),
    ("15_beyond_sigmoid", "symmetry = bp.widgets.SymmetryExplorer", 0, "End",
     r"ε_init = 1, 200 epochs: hidden units differ"),
    ("16_optimizers", "explorer = bp.widgets.OptimizerExplorer", 0, "End", r"left, gradient descent: diverged"),
]


def _shown(cell):
    """The widget's text (its HTML outputs) and the src of its image."""
    text = " | ".join(t.strip() for t in cell.locator(".widget-html-content").all_text_contents())
    return text, cell.locator("img.widget-image").first.get_attribute("src")


@pytest.mark.parametrize("name, source, slider, key, expected", CASES, ids=[c[0][:2] for c in CASES])
def test_moving_one_control_changes_the_widget(lab, page, name, source, slider, key, expected):
    cell = run_and_find_widget(page, lab, f"notebooks/{name}.ipynb", source)
    before_text, before_src = _shown(cell)
    assert before_text, f"{name}: the widget shows no text"
    assert not re.search(expected, before_text), f"{name}: the widget already shows {expected!r} before the move"
    save_screenshot(cell, f"{name[:2]}-widget-before")

    handle = cell.get_by_role("slider").nth(slider)
    handle.focus()
    handle.press(key)
    expect(cell.locator(".widget-html-content").first).to_contain_text(re.compile(expected), timeout=60_000)
    expect(cell.locator("img.widget-image").first).not_to_have_attribute("src", before_src or "", timeout=30_000)
    after_text, after_src = _shown(cell)
    save_screenshot(cell, f"{name[:2]}-widget-after")
    assert after_src != before_src, f"{name}: the picture did not change after moving the slider"
    assert after_text != before_text
    assert_notebook_healthy(page)
