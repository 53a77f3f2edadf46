"""Every catalogued mistake, planted in one exercise, loses points and is named by the feedback."""

from pathlib import Path

import pytest
from submissions import make_submission as submission

from backprop_course.grading import make_stubs
from backprop_course.grading.cases import SOLUTIONS_DIR
from backprop_course.grading.diagnoses import MISTAKES
from backprop_course.grading.harness import grade_many

BUGGY = sorted((Path(__file__).resolve().parent / "buggy").glob("*__*.py"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("buggy")
    folders, exercises = {}, {}
    for path in BUGGY:
        code, exercise = path.stem.split("__")
        folder = submission(base / path.stem)
        (folder / f"{exercise}.py").write_text(path.read_text())
        folders[path.stem], exercises[path.stem] = folder, [exercise]
    return grade_many(folders, exercises=exercises)


def test_every_required_mistake_has_a_buggy_implementation():
    required = {"g_instead_of_g_prime", "bias_regularized", "one_over_m_missing", "one_over_m_twice",
                "lambda_over_2m_in_D", "delta_assigned", "bias_row_not_dropped", "theta_not_transposed",
                "d_L_sign_flipped", "update_adds_gradient", "inputs_mutated", "one_sided_difference",
                "perturbation_not_restored", "batches_drop_examples", "batches_repeat_examples",
                "batches_unpaired", "sigmoid_overflow",
                # issue 15's learners
                "g_prime_one_minus_g", "g_prime_mixes_z", "sigmoid_gradient_overflow", "where_evaluates_both",
                "recursion_to_layer_1"}
    assert required <= {p.stem.split("__")[0] for p in BUGGY}
    assert required <= set(MISTAKES)


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_buggy_implementation_loses_points_and_gets_the_matching_diagnosis(graded, path):
    code, exercise = path.stem.split("__")
    (result,) = graded[path.stem].exercises
    assert result.name == exercise
    assert result.points < result.max_points, f"{path.name} kept full marks"
    codes = [f.code for f in result.findings]
    assert code in codes, f"{path.name}: expected diagnosis {code!r}, got {codes}\n{result.text()}"
    finding = next(f for f in result.findings if f.code == code)
    assert f"({finding.equation})" in finding.message and "notebooks/" in finding.message
    assert finding.message in result.text()


@pytest.mark.parametrize("path", BUGGY, ids=lambda p: p.stem)
def test_feedback_never_shows_solution_code(graded, path):
    result = graded[path.stem].exercises[0]
    for finding in result.findings:                        # the diagnoses are prose about the math
        for fragment in ("@", "np.", ".T", "def ", "return ", "[1:]", "range("):
            assert fragment not in finding.message, f"{finding.code} shows code ({fragment!r})"
    # The learner's own line may be quoted in a traceback; a reference line they did not write may not.
    text, own = result.text(), set(path.read_text().split("\n"))
    reference = make_stubs.solution_lines((SOLUTIONS_DIR / f"{result.name}.py").read_text())
    leaked = [line for line in reference if line in text and not any(line in mine for mine in own)]
    assert not leaked, f"feedback of {path.name} reveals reference lines: {leaked}"
