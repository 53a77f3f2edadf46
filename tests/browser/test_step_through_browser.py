"""The step-through widget in a real browser: notebook 05 runs, and Next changes equation, numbers, picture.

nbval and the headless widget tests cannot see what a learner sees: that the LaTeX is typeset, the
PNG of the network arrives, and a click on Next travels to the kernel and comes back as a new step.
Screenshots of the widget before and after the click go to ``test-artifacts/screenshots/``. The clicks
live in ``step_through.py``, shared with the Notebook 7 and JupyterHub tests.
"""

import pytest

from .helpers import assert_notebook_healthy, open_notebook, run_all_cells
from .step_through import NOTEBOOK, assert_next_changes_equation_and_values

pytestmark = pytest.mark.browser


def test_next_in_the_step_through_changes_equation_and_values(lab, page):
    open_notebook(page, lab, NOTEBOOK)
    run_all_cells(page)
    assert_notebook_healthy(page)
    assert_next_changes_equation_and_values(page)
