"""The notebooks as a learner reads them: one name for the article, hints that match the stubs, your own
code and the grader in every Exercise section, one gradient-check threshold, and no test plumbing.

These read the notebooks' JSON; ``test_notebook_claims.py`` runs their code and checks what the text
says about the numbers.
"""

import inspect
import json
import re
from pathlib import Path

import pytest

from backprop_course import gradient_check
from backprop_course.grading.cases import EXERCISES, build

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CHECKS_PY = Path(gradient_check.__file__).with_name("grading") / "checks.py"


def cells(path, kind=None):
    notebook = json.loads(path.read_text())
    return [("".join(c["source"]), c) for c in notebook["cells"] if kind is None or c["cell_type"] == kind]


def notebook(name):
    return next(p for p in NOTEBOOKS if p.stem == name)


def test_every_notebook_is_here():
    assert [p.name[:2] for p in NOTEBOOKS] == [f"{k:02d}" for k in range(19)], [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_article_is_never_called_the_seed(path):
    """'Seed' means a random seed; the source text is 'the article' (notebook 00 introduces it)."""
    bad = re.compile(r"\b(the|our|its|a) seed\b(?!\s*(=|argument))|\bseed's\b|\(the \*seed\*\)", re.IGNORECASE)
    for source, cell in cells(path):
        text = source if cell["cell_type"] == "markdown" else "\n".join(
            line.split("#", 1)[1] for line in source.splitlines() if "#" in line)
        found = bad.findall(text)
        assert not found, f"{path.name}: {found} in\n{source[:300]}"


def test_notebook_00_introduces_the_article_and_its_slips():
    text = "\n".join(s for s, _ in cells(notebook("00_start_here"), "markdown"))
    for fact in ("Andrew Ng's", "Wikipedia's two-phase overview", "*propagation*", "*weight update*",
                 "g where the derivative g' is meant", '"1m" where it', "bias column j = 0"):
        assert fact in text, f"notebook 00 should say {fact!r} about the article"


def _exercise_section(path, exercise):
    for source, _ in cells(path, "markdown"):
        if f"exercises/{exercise.filename}" in source:
            return source
    raise AssertionError(f"{path.name} does not name exercises/{exercise.filename}")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_size_hints_in_the_notebook_are_the_stubs(exercise):
    """One source for hints: grading/cases.py writes the stubs; the notebook says the same sizes."""
    text = _exercise_section(notebook(exercise.notebook), exercise)
    said = [int(n) for n in re.findall(r"(\d+) lines?\b", text)]
    hinted = [int(size.group()) for size in (re.search(r"\d+", hint.size) for hint in exercise.hints.values()) if size]
    assert said == hinted, (f"{exercise.notebook}: the Exercise section says about {said} lines, "
                            f"the stub of {exercise.name} says {hinted} (grading/cases.py)")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.name)
def test_each_exercise_section_runs_your_own_function_and_grades_it_in_one_line(exercise):
    code = [s for s, _ in cells(notebook(exercise.notebook), "code")]
    # A stub that raises NotImplementedError is caught by name; find-the-bug's stub runs (its code is the bug).
    not_done = "" if exercise.answers else "ExerciseNotDone"
    assert any(f'bp.exercises.load("{exercise.name}")' in s and not_done in s for s in code), (
        f"{exercise.notebook} should load the learner's {exercise.name} and run it on its example")
    assert f'bp.check("{exercise.name}")' in code, f"{exercise.notebook}: the grading cell is one line"
    assert not any("from backprop_course.grading import check" in s for s in code)


def _widget_names(code_cells):
    names = set()
    for source in code_cells:
        names |= set(re.findall(r"^(\w+) = (?:bp\.widgets\.|Playground\b)", source, re.MULTILINE))
    return names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_test_plumbing(path):
    """Widgets are for the learner to move; their checks live in tests/ (test_widgets_*.py)."""
    code = [s for s, _ in cells(path, "code")]
    widgets = _widget_names(code)
    for source in code:
        assert not re.search(r"\.controls\[[^\]]+\]\.value\s*=", source), f"{path.name} drives a widget:\n{source}"
        if "assert" in source:
            used = {name for name in widgets if re.search(rf"\b{name}\b", source)}
            assert not used, f"{path.name} asserts on the widget(s) {used}:\n{source}"
    for source, _ in cells(path, "markdown"):
        for remark in ("output comparison", "not compared", "nbval", "stored outputs would", "from code runs"):
            assert remark not in source, f"{path.name} talks about its own testing ({remark!r})"


def test_one_gradient_check_threshold_everywhere():
    ok, wrong = gradient_check.GRADIENT_OK, gradient_check.GRADIENT_WRONG
    assert (ok, wrong) == (1e-7, 1e-3)
    assert inspect.signature(gradient_check.check_gradients).parameters["tolerance"].default == ok
    labels = [check.label for ex in EXERCISES for check in build(ex)[1]
              if "numerical gradient (relative error" in check.label]
    assert labels and all(f"< {ok:.0e}".replace("e-07", "e-7") in label for label in labels), labels
    grader = re.findall(r"err <=? (1e-\d+)", CHECKS_PY.read_text())
    assert grader and all(float(value) == ok for value in grader), f"grading/checks.py compares with {grader}"
    text = "\n".join(s for s, _ in cells(notebook("07_gradient_checking"), "markdown"))
    assert "10^{-7}" in text and "10^{-3}" in text and "GRADIENT_OK" in text
    for path in NOTEBOOKS:
        for source, _ in cells(path, "code"):
            stray = re.findall(r"<\s*1e-[5-9]\b", source) if "relative_error" in source else []
            assert not stray, f"{path.name} compares a gradient with {stray}; use bp.gradient_check.GRADIENT_OK"


def test_notebook_13_uses_the_test_set_in_one_cell_at_the_end():
    code = [s for s, _ in cells(notebook("13_handwritten_digits"), "code")]
    touching = [k for k, s in enumerate(code) if re.search(r"\b[XY]_test\b", s)]
    split = [k for k in touching if "train_test_split(X, Y" in code[k]]
    assert len(split) == 1 and len(touching) == 2, "the split, then one evaluation cell"
    final = max(touching)
    assert final > max(k for k, s in enumerate(code) if "lambda_sweep" in s or "stop_when" in s), (
        "the test set is evaluated after every choice has been made")
    assert not any("validation=(X_test" in s or "X_test, Y_test, lambdas" in s for s in code)


def test_glossary_defines_the_symbols_the_notebooks_use():
    text = "\n".join(s for s, _ in cells(notebook("00_start_here"), "markdown"))
    for symbol in ("| h |", "| softmax |", "| ⊙ |", "| M' |", "| [M]_{1:} |", "| J_t |", "| epsilon |",
                   "| epsilon_init |", "| t |"):
        assert symbol in text, f"the glossary lacks {symbol}"
