"""The course in Jupyter Notebook 7, in a real browser: notebooks run to the end with live widgets and no error.

Many learners open notebooks in the classic-style Notebook 7 rather than JupyterLab. Its pages come from
the same server as the JupyterLab tests (the ``lab`` fixture; ``notebook`` is in the test extra), and the
checks are the same: Run All, no error, nothing on stderr, no "Error displaying widget". In notebook 05
a learner's clicks go through the step-through widget, and the self-test at the bottom proves the
checks can fail in Notebook 7 too.

Every notebook's code already runs in nbval and, in the browser, in JupyterLab
(``test_notebooks_browser.py``); what Notebook 7 changes is only the front end that draws the outputs.
So it runs the notebooks that together show every kind of output the course has, rather than all
nineteen again (that took three minutes of CI): :data:`NOTEBOOK7`.
"""

import json
from pathlib import Path

import pytest

from .helpers import (
    WIDGET_OUTPUT,
    assert_notebook_healthy,
    expect,
    notebook_problems,
    open_notebook,
    run_all_cells,
    save_screenshot,
)
from .step_through import NOTEBOOK as STEP_THROUGH_NOTEBOOK
from .step_through import assert_next_changes_equation_and_values
from .test_notebooks_browser import NOTEBOOKS, _write_notebook

pytestmark = pytest.mark.browser

# Together they show every kind of output of the course: the widget check and Markdown tables (00), the
# step-through's buttons, MathJax and pictures (05), exercise cells with the grader's HTML report (14),
# sliders, images and two explorers in one notebook (15), dropdowns and greyed-out sliders (16), and the
# playground's play button and four live views (18). Every Explorer widget is built on the same base
# (backprop_course/widgets/_base.py) from the same ipywidgets controls.
NOTEBOOK7 = ["00_start_here.ipynb", "05_backprop_one_example.ipynb", "14_find_the_bug.ipynb",
             "15_beyond_sigmoid.ipynb", "16_optimizers.ipynb", "18_playground.ipynb"]


def _code_cells(path):
    cells = json.loads(Path(path).read_text())["cells"]
    return sum(1 for cell in cells if cell["cell_type"] == "code")


def test_the_notebook7_set_names_real_notebooks():
    assert set(NOTEBOOK7) <= set(NOTEBOOKS), sorted(set(NOTEBOOK7) - set(NOTEBOOKS))


@pytest.mark.parametrize("name", NOTEBOOK7)
def test_notebook_runs_clean_in_notebook7(lab, page, name):
    relpath = f"notebooks/{name}"
    open_notebook(page, lab, relpath, ui="notebook")
    expect(page.locator("#jp-NotebookLogo")).to_be_visible()  # Notebook 7's page, not JupyterLab's
    # Every code cell is on the page (none left unrendered by windowing), so Run All checks them all.
    expect(page.locator(".jp-NotebookPanel .jp-CodeCell")).to_have_count(_code_cells(lab.root / relpath))
    run_all_cells(page)
    assert_notebook_healthy(page)
    widgets = page.locator(f".jp-NotebookPanel .jp-CodeCell:has({WIDGET_OUTPUT})")
    if widgets.count():
        save_screenshot(widgets.first, f"nb7-{Path(name).stem}-first-widget")
    if relpath == STEP_THROUGH_NOTEBOOK:
        assert_next_changes_equation_and_values(page, screenshot_prefix="nb7-05-step-through")


def test_notebook7_harness_reports_errors_and_broken_widgets(lab, page):
    _write_notebook(lab.root / "harness_selftest" / "nb7_broken.ipynb", [
        "import ipywidgets as widgets\nwidgets.IntSlider(value=3)",
        "import sys\nprint('a warning', file=sys.stderr)",
        "from IPython.display import display\n"
        "view = {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}\n"
        "display({'application/vnd.jupyter.widget-view+json': view, 'text/plain': 'a widget'}, raw=True)",
        "raise ValueError('deliberate failure for the Notebook 7 self-test')",
    ])
    open_notebook(page, lab, "harness_selftest/nb7_broken.ipynb", ui="notebook")
    run_all_cells(page)  # the error is the last cell, so Run All ends there either way
    problems = notebook_problems(page)
    assert len(problems) == 3, f"expected a stderr, an error and a widget problem, got: {problems}"
    assert "a warning" in problems[0] and "deliberate failure" in problems[1], problems
    assert "Error displaying widget" in problems[2], problems
    expect(page.get_by_role("slider").first).to_have_attribute("aria-valuetext", "3")  # the live slider rendered
