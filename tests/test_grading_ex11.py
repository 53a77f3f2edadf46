"""Exercise 11 (the backward rules of Value): graded on expressions built with the learner's own class."""

import math
from pathlib import Path

import pytest
from submissions import (
    EX11_ASSIGNED_IN_MUL,
    EX11_MISTAKES,
    EX11_OTHER_CORRECT_RULES,
    codes,
    edited,
    ex11_with_rules,
    grade_files,
)

import backprop_course as bp
from backprop_course.grading.cases import BY_NAME, fans_out, graph_ops, reference_graph
from backprop_course.grading.checks import prepare
from backprop_course.grading.child import GRAPH_OPS, run_graph

EXERCISE = "ex11_value_backward"
STUB = (Path(__file__).resolve().parents[1] / "exercises" / f"{EXERCISE}.py").read_text()


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Every ex11 submission of this module, graded together: {name: ExerciseResult}."""
    reference = edited(EXERCISE)
    texts = {code: edited(EXERCISE, *edits) for code, edits in EX11_MISTAKES.items()}
    texts.update({
        "assigned_in_mul": edited(EXERCISE, *EX11_ASSIGNED_IN_MUL),
        "other_correct": ex11_with_rules(EX11_OTHER_CORRECT_RULES),
        "stub": STUB,
        "add_and_mul_only": reference[:reference.index("\n\ndef pow_backward")]
        + STUB[STUB.index("\n\ndef pow_backward"):],
        "library": reference.replace("class Value:", "class _Mine:", 1).replace(
            "import math\n", "import math\n\nfrom backprop_course.autodiff import Value\n", 1),
        "returns_values": edited(EXERCISE, ("a.grad += out.data * out.grad", "a.grad += out * out.grad")),
    })
    return grade_files(tmp_path_factory.mktemp("ex11"), EXERCISE, texts)


@pytest.mark.parametrize("name", ["reference", "other_correct"])
def test_correct_rules_get_full_marks(graded, name):
    result = graded[name]
    assert result.points == result.max_points == 10, result.text()
    assert result.findings == []


def test_the_stub_scores_zero_without_a_crash(graded):
    result = graded["stub"]
    assert result.points == 0 and result.status == "not implemented", result.text()
    assert "not implemented yet" in result.feedback[0]


def test_rules_written_so_far_earn_their_points(graded):
    result = graded["add_and_mul_only"]
    assert 0 < result.points < result.max_points, result.text()
    earned = {c.label.split("_backward")[0] for c in result.checks if c.points == c.max_points}
    assert {"add", "mul"} <= earned and not {"pow", "tanh", "exp"} & earned
    fan = next(c for c in result.checks if c.label.startswith("fan-out in one node"))
    assert fan.points == fan.max_points, "x x and a + a need only add and mul"
    assert result.findings == [], "a rule not written yet is not a wrong rule"


@pytest.mark.parametrize("code", sorted(EX11_MISTAKES))
def test_each_mistake_loses_points_and_is_named_alone(graded, code):
    result = graded[code]
    assert result.points < result.max_points, f"{code} kept full marks"
    assert codes(result) == [code], f"{code}: expected only that diagnosis, got {codes(result)}\n{result.text()}"
    finding = result.findings[0]
    assert "(CG)" in finding.message and "notebooks/11_computational_graphs.ipynb" in finding.message
    assert finding.message in result.text()


def test_assigning_in_one_rule_is_found_at_the_fan_out_that_rule_makes(graded):
    result = graded["assigned_in_mul"]
    assert codes(result) == ["grad_assigned"], result.text()
    fan = next(c for c in result.checks if c.label.startswith("fan-out in one node"))
    assert fan.points == 0 and "x x" in fan.message and "a + a" not in fan.message
    alone = [c for c in result.checks if c.group == "fixed cases"]
    assert all(c.points == c.max_points for c in alone), "every rule is right where values are used once"


def test_a_rule_that_ignores_the_results_grad_is_told_so(graded):
    message = graded["exp_rule_wrong"].findings[0].message
    assert "right on a single operation" in message and "exp(exp(x))" in message
    add = graded["add_rule_wrong"].findings[0].message
    assert "J = tanh(x y + z)" in add and "every other rule is right on its own" in add


def test_a_library_value_gives_zero(graded):
    result = graded["library"]
    assert result.points == 0 and result.status == "forbidden", result.text()


def test_a_grad_that_is_not_a_number_is_said_so_without_a_crash(graded):
    result = graded["returns_values"]
    assert result.points < result.max_points and result.status == "partial", result.text()
    assert "should be a number" in result.text() and "Value" in result.text()


def test_the_cases_test_each_operation_alone_then_mixed_then_at_fan_outs():
    prep = prepare(EXERCISE)
    alone = {op: [c for c in prep.cases if graph_ops(c) == {op} and not fans_out(c)] for op in GRAPH_OPS}
    for op, cases in alone.items():
        assert len(cases) == 2 and {len(c.args[1]) for c in cases} == {1, 2}, op
    fanning = [c.id for c in prep.cases if fans_out(c)]
    assert fanning == ["xx", "aa", "pq", "two_users", "shared"]
    mixed = [c for c in prep.cases if not fans_out(c) and len(graph_ops(c)) > 1]
    assert {op for c in mixed for op in graph_ops(c)} == set(GRAPH_OPS)


def test_the_notebooks_example_and_hand_computed_gradients():
    prep = prepare(EXERCISE)
    pq = prep.expected["pq"]                                  # J = tanh(p q + p), p = 1.5, q = -0.5
    s = 1.5 * -0.5 + 1.5
    assert pq["p"] == pytest.approx((1 - math.tanh(s) ** 2) * (-0.5 + 1), rel=1e-15)
    assert round(pq["p"], 4) == 0.2983 and round(pq["q"], 4) == 0.8949
    assert prep.expected["xx"] == {"x": pytest.approx(1.6, rel=1e-15)}          # d(x^2)/dx = 2x
    assert prep.expected["aa"] == {"a": pytest.approx(-2.6, rel=1e-15), "y": pytest.approx(1.6, rel=1e-15)}


def test_the_reference_is_the_librarys_engine_and_matches_central_differences():
    prep = prepare(EXERCISE)
    for case in prep.cases:
        inputs, program = case.args
        assert reference_graph(inputs, program) == run_graph(bp.autodiff.Value, inputs, program)
        for name in inputs:
            plus = expression_value({**inputs, name: inputs[name] + 1e-6}, program)
            minus = expression_value({**inputs, name: inputs[name] - 1e-6}, program)
            numerical = (plus - minus) / 2e-6
            assert prep.expected[case.id][name] == pytest.approx(numerical, rel=1e-6, abs=1e-8), (case.id, name)


def expression_value(inputs, program):
    """The value of a case's expression in plain floats (no gradients), node by node."""
    nodes = list(inputs.values())
    for op, i, j in program:
        a, name = nodes[i], GRAPH_OPS[op]
        if name == "add":
            nodes.append(a + nodes[j])
        elif name == "mul":
            nodes.append(a * nodes[j])
        elif name == "pow":
            nodes.append(a ** j)
        else:
            nodes.append(getattr(math, name)(a))
    return nodes[-1]


def test_hidden_cases_come_from_the_secret_and_keep_their_expressions():
    visible, hidden, again = prepare(EXERCISE), prepare(EXERCISE, b"one secret"), prepare(EXERCISE, b"one secret")
    for v, h, a in zip(visible.cases, hidden.cases, again.cases, strict=True):
        assert v.args[1] == h.args[1] and list(v.args[0]) == list(h.args[0]), "the same expression"
        assert h.args == a.args, "the same secret, the same numbers"
        assert v.args[0] != h.args[0], v.id
    assert BY_NAME[EXERCISE].runner == "graph"
