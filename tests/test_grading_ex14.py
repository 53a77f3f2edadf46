"""Exercise 14, find the bug: the stub is broken code, each fix and each BUG_IN answer earns its part."""

import re
from pathlib import Path

import numpy as np
import pytest
from submissions import ex14_file
from submissions import make_submission as submission

import backprop_course as bp
from backprop_course.grading import make_stubs
from backprop_course.grading.cases import BY_NAME, FIND_THE_BUG, SOLUTIONS_DIR, Draw, answer_key, right_choice
from backprop_course.grading.harness import grade_many

REPO = Path(__file__).resolve().parents[1]
STUB = REPO / "exercises" / "ex14_find_the_bug.py"
EX = BY_NAME["ex14_find_the_bug"]
NAME = "ex14_find_the_bug.py"
NONE = {name: "None" for name in FIND_THE_BUG}
RIGHT = {name: f'"{EX.choices[right_choice(EX, name)]}"' for name in FIND_THE_BUG}

# Every bug fixed another way than the reference does, and the answers written in other forms.
VARIANT = [
    ("D[l] += lambda_ / m * Theta[l]",
     "D[l] += lambda_ / m * np.hstack([np.zeros((len(Theta[l]), 1)), Theta[l][:, 1:]])"),
    ("* a[l][1:]  ", "* bp.sigmoid_gradient(z[l])  "),
    ("Delta[l] = d[l + 1] @ a[l].T", "Delta[l] = Delta[l] + np.outer(d[l + 1], a[l])"),
    ("D[l][:, 1:] += lambda_ * Theta[l][:, 1:]  ", "D[l][:, 1:] = D[l][:, 1:] + (lambda_ / m) * Theta[l][:, 1:]  "),
    ("back = (Theta[l].T @ d[l + 1])[:-1]", "back = np.delete(Theta[l].T @ d[l + 1], 0, axis=0)"),
    ("for l in range(L - 1, 2, -1):", "for l in reversed(range(2, L)):"),
    ("d[l] = (Theta[l][:, 1:] @ d[l + 1]) * g_prime", "d[l] = (d[l + 1].T @ Theta[l][:, 1:]).T * g_prime"),
]
VARIANT_ANSWERS = {"BUG_IN_A": '"bp5"', "BUG_IN_B": '"(BP2)"', "BUG_IN_C": '" BP3"', "BUG_IN_D": '"Bp4"',
                   "BUG_IN_E": '"BP2"', "BUG_IN_F": '"bp2"', "BUG_IN_G": '"(bp2)"'}


def variant():
    text = STUB.read_text()
    for old, new in VARIANT:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    for name, value in VARIANT_ANSWERS.items():
        text = text.replace(f"{name} = None", f"{name} = {value}")
    return text


SUBMISSIONS = {
    "variant": variant(),
    "reference": ex14_file(),
    "stub": STUB.read_text(),
    "answers_only": ex14_file("all", RIGHT),
    "answers_none_b_fixed": ex14_file([f"backprop_{x}" for x in "acdefg"], NONE),
    "fixes_only": ex14_file(answers=NONE),
    # forms of an answer: lower case and parentheses are fine; a number, an unknown label, a deleted line are not
    "answer_forms": ex14_file(answers={"BUG_IN_A": '"bp5"', "BUG_IN_B": "2", "BUG_IN_C": '" (BP3) "',
                                       "BUG_IN_D": "", "BUG_IN_E": '"BP6"', "BUG_IN_G": '"BP4"'}),
    "hostile_answers": ex14_file(answers={"BUG_IN_A": "Hostile()", "BUG_IN_B": '"BP2" * 10 ** 6'}).replace(
        "import backprop_course as bp\n", "import backprop_course as bp\n\n\nclass Hostile:\n"
        "    __class__ = property(lambda self: 1 / 0)\n    __repr__ = __eq__ = __hash__ = lambda *args: 1 / 0\n"),
    "a_unfixed_answered": ex14_file(("backprop_a",)),
    "a_unfixed_unanswered": ex14_file(("backprop_a",), {"BUG_IN_A": "None"}),
    # a "fix" that removes the penalty altogether: another mistake, in another equation than the answer
    "a_penalty_dropped": ex14_file(answers={"BUG_IN_A": "None"}, replace=[(
        "        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]                            # (BP4), (BP5)\n", "")]),
    "b_library": ex14_file(replace=[("(Delta + penalty) / m", "bp.backprop(Theta, X, Y, lambda_)[l]")]),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("ex14")
    folders = {key: submission(base / key, files={NAME: text}) for key, text in SUBMISSIONS.items()}
    results = grade_many(folders, exercises={key: ["ex14_find_the_bug"] for key in folders})
    hidden = grade_many({key: folders[key] for key in ("reference", "stub")},
                        exercises={"reference": ["ex14_find_the_bug"], "stub": ["ex14_find_the_bug"]},
                        secret="a long random string for the hidden cases of exercise 14")
    return {key: r.exercises[0] for key, r in results.items()} | {
        f"hidden_{key}": r.exercises[0] for key, r in hidden.items()}


def checks(result, prefix):
    return {c.label: c for c in result.checks if c.label.startswith(prefix)}


def test_the_reference_and_a_differently_written_fix_get_full_marks(graded):
    for key in ("reference", "variant", "hidden_reference"):
        assert graded[key].points == graded[key].max_points == 14, graded[key].text()
        assert graded[key].status == "passed"


def test_the_unchanged_stub_gets_zero_is_not_started_and_says_every_answer_is_not_answered_yet(graded):
    for key in ("stub", "hidden_stub"):
        result = graded[key]
        assert result.points == 0 and result.status == "not implemented" and not result.started, result.text()
        assert result.feedback == ["not started yet: no function is fixed and BUG_IN_A .. BUG_IN_G are all still "
                                   "None. Find each bug with the method of notebooks/14_find_the_bug.ipynb, fix its "
                                   "line and set its answer."]
        for name in FIND_THE_BUG:
            (answer,) = checks(result, f"{name}:").values()
            assert "not answered yet" in answer.message, answer.message
        assert not result.findings and "raised an error in every case" not in result.text()


def test_bugs_left_in_with_no_answer_yet_are_recognized_but_not_named(graded):
    result = graded["answers_none_b_fixed"]
    assert result.status == "partial" and result.points == pytest.approx(1.5), result.text()
    codes = [f.code for f in result.findings]
    assert codes == ["bug_not_named"] * 6, "the stub's bugs are recognized but not named (that would answer BUG_IN)"


def test_each_part_earns_its_own_points(graded):
    assert graded["answers_only"].points == pytest.approx(7 * 0.5), graded["answers_only"].text()
    assert graded["fixes_only"].points == pytest.approx(7 * 1.5), graded["fixes_only"].text()
    assert graded["a_unfixed_answered"].points == pytest.approx(14 - 1.5)
    assert graded["a_unfixed_unanswered"].points == pytest.approx(14 - 2)


def test_answers_ignore_case_and_parentheses_and_refuse_anything_else_with_the_choices(graded):
    result = graded["answer_forms"]
    got = {name: c for name in FIND_THE_BUG for c in checks(result, f"{name}:").values()}
    assert got["BUG_IN_A"].points == got["BUG_IN_C"].points == 0.5               # "bp5", " (BP3) "
    assert got["BUG_IN_F"].points == 0.5                                         # untouched
    listed = '"BP1", "BP2", "BP3", "BP4", "BP5"'
    assert "2 is not one of the choices" in got["BUG_IN_B"].message and 'write it in quotes' in got["BUG_IN_B"].message
    assert "'BP6' is not one of the choices " + listed in got["BUG_IN_E"].message
    assert "defines no BUG_IN_D: put back the line BUG_IN_D = None" in got["BUG_IN_D"].message
    assert result.points == pytest.approx(14 - 4 * 0.5)


def test_an_answer_that_fights_back_costs_only_its_own_half_point(graded):
    result = graded["hostile_answers"]
    assert result.points == pytest.approx(13), result.text()
    (a,) = checks(result, "BUG_IN_A:").values()
    (b,) = checks(result, "BUG_IN_B:").values()
    assert a.points == b.points == 0
    assert "could not be read" in a.message or "not one of the choices" in a.message
    assert "is not one of the choices" in b.message and len(b.message) < 800


def test_a_wrong_answer_says_so_and_how_to_locate_the_bug_without_naming_the_answer(graded):
    (check,) = checks(graded["answer_forms"], "BUG_IN_G:").values()
    assert check.points == 0
    assert check.message.startswith('your answer: "BP4" is not the equation the bug in backprop_g breaks.')
    assert "bp.check_gradients(Theta, X, Y, lambda_, D=backprop_g)" in check.message
    assert "BP2" not in check.message


def test_a_remaining_bug_is_named_once_its_answer_is_right_and_hidden_before(graded):
    named = graded["a_unfixed_answered"].findings
    assert [f.code for f in named] == ["bias_regularized"]
    assert named[0].message.startswith("backprop_a: ") and "(BP5)" in named[0].message
    hidden = graded["a_unfixed_unanswered"].findings
    assert [f.code for f in hidden] == ["bug_not_named"]
    assert hidden[0].message.startswith("backprop_a: D is still wrong") and "BP5" not in hidden[0].message


def test_another_mistake_in_another_equation_is_named_even_before_the_answer(graded):
    result = graded["a_penalty_dropped"]
    codes = [f.code for f in result.findings]
    assert codes == ["regularization_wrong"], result.text()
    assert "backprop_a: " in result.findings[0].message and "is missing from the weight columns" in result.text()


def test_calling_the_librarys_backprop_scores_zero(graded):
    result = graded["b_library"]
    assert result.status == "forbidden" and result.points == 0, result.text()


# -- the hints tell the truth: what check_gradients shows for each broken function ---------------------------

def _stub_functions():
    namespace = {}
    exec(compile(STUB.read_text(), str(STUB), "exec"), namespace)
    return namespace


# (layer, part) blocks that differ on a 2-3-3-3 and on a 3-4-4-2 network, and whether the regularization part does
PATTERNS = {
    "backprop_a": ({(1, "bias column"), (2, "bias column"), (3, "bias column")}, False),
    "backprop_b": ({(1, "bias column"), (1, "weights"), (2, "bias column"), (2, "weights")}, True),
    "backprop_c": ({(l, p) for l in (1, 2, 3) for p in ("bias column", "weights")}, True),
    "backprop_d": ({(1, "weights"), (2, "weights"), (3, "weights")}, False),
    "backprop_e": ({(1, "bias column"), (1, "weights"), (2, "bias column"), (2, "weights")}, True),
    "backprop_f": ({(1, "bias column"), (1, "weights")}, True),
    "backprop_g": ({(1, "bias column"), (1, "weights"), (2, "bias column"), (2, "weights")}, True),
}


@pytest.mark.parametrize("function", sorted(PATTERNS))
def test_the_locate_hint_of_each_function_is_what_check_gradients_shows(function):
    mine = _stub_functions()[function]
    X = np.sin(np.arange(2 * 5) + 0.5).reshape(2, 5)
    Y = (np.cos(np.arange(3 * 5)) > 0).astype(float).reshape(3, 5)
    Theta = bp.init_thetas([2, 3, 3, 3], epsilon_init=1.0, seed=3)
    blocks, reg_ok = PATTERNS[function]
    report = bp.check_gradients(Theta, X, Y, 0.7, D=mine)
    assert {(b.layer, b.part) for b in report.failing_blocks()} == blocks
    assert report.regularization_ok is reg_ok
    Theta = bp.init_thetas([3, 4, 4, 2], epsilon_init=1.0, seed=4)
    X3, Y2 = np.vstack([X, X[:1] ** 2]), Y[:2]
    if function == "backprop_g":                # the hint: a shape error unless the layers after the input agree
        with pytest.raises(ValueError, match="matmul"):
            mine(Theta, X3, Y2, 0.7)
        return
    report = bp.check_gradients(Theta, X3, Y2, 0.7, D=mine)
    assert {(b.layer, b.part) for b in report.failing_blocks()} == blocks
    hint = FIND_THE_BUG[f"BUG_IN_{function[-1].upper()}"].locate
    if function == "backprop_d":
        assert "with lambda_ = 0 everything agrees" in hint
        assert bp.check_gradients(Theta, X3, Y2, 0.0, D=mine).passed
    if function == "backprop_c":                # "try it with one example (m = 1) too": then it passes
        assert "(m = 1)" in hint
        assert bp.check_gradients(Theta, X3[:, :1], Y2[:, :1], 0.7, D=mine).passed


def test_every_bug_changes_D_on_every_graded_case_and_every_fix_is_right():
    stub, reference = _stub_functions(), {}
    exec(compile((SOLUTIONS_DIR / NAME).read_text(), NAME, "exec"), reference)
    cases, _ = EX.build(Draw(EX.name))
    for case in cases:
        if case.func not in EX.functions:
            continue
        want = bp.backprop(*case.args)
        assert bp.relative_error(reference[case.func](*case.args), want) < 1e-12
        try:
            got = stub[case.func](*case.args)
        except ValueError:
            assert case.func == "backprop_g"             # the transposition fits square layers only
            continue
        assert bp.relative_error(got, want) > 1e-6, f"{case.func} is right on {case.about}: the case tests nothing"


def test_the_answer_key_is_the_reference_solutions_answers():
    reference = {}
    exec(compile((SOLUTIONS_DIR / NAME).read_text(), NAME, "exec"), reference)
    for name, answer in FIND_THE_BUG.items():
        assert answer.key == answer_key(EX.name, name, reference[name])
        assert EX.choices[right_choice(EX, name)] == reference[name]


# -- the stub generator: BUGGY blocks -------------------------------------------------------------------------

def test_the_stub_has_the_bugs_and_placeholders_and_no_fix():
    stub = STUB.read_text()
    for name in FIND_THE_BUG:
        assert re.search(rf"^{name} = None$", stub, re.M), f"{name} must be a neutral placeholder in the stub"
    for choice in EX.choices:
        assert f'"{choice}"' in stub, "the docstring lists every choice"
    assert "NotImplementedError" not in stub
    compile(stub, NAME, "exec")


def test_the_generator_puts_the_bug_in_the_stub_and_refuses_malformed_blocks():
    good = ("def backprop_a(Theta, X, Y, lambda_=0.0):\n    # BEGIN BUGGY\n    # return 1\n    # END BUGGY\n"
            "    # BEGIN SOLUTION\n    return 2\n    # END SOLUTION\n")
    assert make_stubs.stub_for(EX, good) == "def backprop_a(Theta, X, Y, lambda_=0.0):\n    return 1\n"
    assert make_stubs.fixes_by_scope(good) == {"backprop_a": ["return 2"]}
    with pytest.raises(ValueError, match="commented out"):
        make_stubs.stub_for(EX, good.replace("    # return 1", "    return 1"))
    with pytest.raises(ValueError, match="followed at once"):
        make_stubs.stub_for(EX, good.replace("    # END BUGGY\n", "    # END BUGGY\n    x = 1\n"))
    with pytest.raises(ValueError, match="no # BEGIN SOLUTION block after it"):
        make_stubs.stub_for(EX, good.split("    # BEGIN SOLUTION")[0])
    with pytest.raises(ValueError, match="never closed"):
        make_stubs.stub_for(EX, good.split("    # END BUGGY")[0])


def test_a_fix_line_in_its_own_function_of_the_stub_counts_as_a_leak():
    solution = (SOLUTIONS_DIR / NAME).read_text()
    fixes = make_stubs.fixes_by_scope(solution)
    leaky = STUB.read_text().replace("        D[l] += lambda_ / m * Theta[l]  ",
                                     "        D[l][:, 1:] += lambda_ / m * Theta[l][:, 1:]  ", 1)
    scopes = make_stubs.scopes(leaky)
    assert [line for line in fixes["backprop_a"] if line in scopes["backprop_a"]]
    clean = make_stubs.scopes(STUB.read_text())
    assert not [line for line in fixes["backprop_a"] if line in clean["backprop_a"]]


def test_load_gives_the_seven_functions():
    mine = bp.exercises.load("ex14", submission_dir=REPO / "exercises")
    assert [f"backprop_{x}" for x in "abcdefg"] == list(EX.functions)
    assert callable(mine.backprop_a) and mine.module.BUG_IN_A is None
