"""Every notebook, run in JupyterLab in a real browser: it opens, runs to the end, shows no error.

nbval (run on ``notebooks/``) checks that the outputs are reproducible; this checks what nbval cannot:
that the widgets actually render in the browser ("Error displaying widget" is invisible to nbval) and
that a learner who clicks Run All sees no traceback and no warning. The notebook list is read at
collection time, so a new notebook is covered without touching this file.

The two self-tests at the bottom prove the harness can fail: an exception, a line on stderr and a widget
that cannot be displayed must each be reported, and a slider must render as a widget.
"""

import json
from pathlib import Path

import pytest

from .helpers import (
    WIDGET_OUTPUT,
    assert_notebook_healthy,
    code_cell,
    expect,
    notebook_problems,
    open_notebook,
    run_all_cells,
    save_screenshot,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(path.name for path in (REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean_in_jupyterlab(lab, page, name):
    open_notebook(page, lab, f"notebooks/{name}")
    run_all_cells(page)
    assert_notebook_healthy(page)
    widget_cells = page.locator(f".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell:has({WIDGET_OUTPUT})")
    if widget_cells.count():
        save_screenshot(widget_cells.first, f"{Path(name).stem}-first-widget")
    else:
        save_screenshot(page, Path(name).stem)


def _write_notebook(path, sources):
    """A minimal nbformat-4 notebook with one code cell per source string."""
    cells = [{"cell_type": "code", "execution_count": None, "id": f"cell-{i}", "metadata": {},
              "outputs": [], "source": source} for i, source in enumerate(sources)]
    notebook = {
        "cells": cells,
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(notebook, indent=1))


def test_harness_reports_errors_and_stderr(lab, page):
    _write_notebook(lab.root / "harness_selftest" / "broken.ipynb", [
        "x = 1 + 1\nprint(x)",
        "import sys\nprint('a warning', file=sys.stderr)",
        "from IPython.display import display\n"
        "view = {'model_id': 'no-such-model', 'version_major': 2, 'version_minor': 0}\n"
        "display({'application/vnd.jupyter.widget-view+json': view, 'text/plain': 'a widget'}, raw=True)",
        "raise ValueError('deliberate failure for the harness self-test')",
        "after_the_error = True  # Run All stops before this cell",
    ])
    open_notebook(page, lab, "harness_selftest/broken.ipynb")
    run_all_cells(page, timeout=60_000)  # must return once Run All stops at the error, not time out
    problems = notebook_problems(page)
    assert len(problems) == 3, f"expected a stderr, an error and a widget problem, got: {problems}"
    assert "a warning" in problems[0], problems
    assert "deliberate failure" in problems[1], problems
    assert "Error displaying widget" in problems[2], problems  # shown after "Loading widget..." times out
    with pytest.raises(AssertionError, match="deliberate failure"):
        assert_notebook_healthy(page)


def test_harness_renders_widgets_and_finds_cells(lab, page):
    _write_notebook(lab.root / "harness_selftest" / "widget.ipynb", [
        "import ipywidgets as widgets\nslider = widgets.IntSlider(value=3, min=0, max=10)\nslider",
        "print('done', slider.value)",
    ])
    open_notebook(page, lab, "harness_selftest/widget.ipynb")
    run_all_cells(page)
    assert_notebook_healthy(page)
    cell = code_cell(page, "widgets.IntSlider")
    expect(cell.get_by_role("slider")).to_have_attribute("aria-valuetext", "3")
    expect(code_cell(page, "print('done'")).to_contain_text("done 3")
    assert save_screenshot(cell, "harness-selftest-widget").is_file()
