"""Tests of backprop_course.plan: lecture plans read into full playground states, and checked."""

import json
from pathlib import Path

import pytest

from backprop_course.plan import DEMO_FILES, PlanError, find_demo_file, load_plan, load_preset_file
from backprop_course.playground import DEFAULTS, PRESETS, check_state

REPO = Path(__file__).resolve().parents[1]
CONTROLS = ("output", "batch_size", "export", "add_point", "snapshot", "restore")


def write(tmp_path, text, name="lecture.toml"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_the_example_plan_in_docs_loads():
    from backprop_course.widgets.playground import Playground

    plan = load_plan(REPO / "docs" / "lecture.toml", controls=Playground.CONTROLS)
    assert plan.presenter and len(plan.moments) >= 5
    for moment in plan.moments:
        assert check_state(moment.state) == moment.state, f"{moment.title}: a full, checked state"


def test_moments_are_full_states_built_on_the_preset_or_the_previous_moment(tmp_path):
    plan = load_plan(write(tmp_path, """
        title = "t"
        hide = ["export"]
        [[moment]]
        preset = "lr-too-high"
        [[moment]]
        title = "slower"
        alpha = 0.1
        [[moment]]
        preset = "xor-minimal"
        epoch = 7
        hide = []
        """), controls=CONTROLS)
    first, second, third = plan.moments
    assert first.state == check_state(PRESETS["lr-too-high"]) and first.state["epoch"] == 40, \
        "a preset keeps its own epochs"
    assert first.title == "lr-too-high" and first.hide == ("export",)
    assert second.state == {**first.state, "alpha": 0.1, "epoch": 0}, "no preset: the previous settings, changed"
    assert third.state["data"] == "xor" and third.state["epoch"] == 7 and third.hide == ()
    assert plan.name == "lecture.toml" and not plan.presenter


def test_a_preset_file_in_a_plan_is_read_relative_to_the_plan(tmp_path):
    (tmp_path / "saved").mkdir()
    (tmp_path / "saved" / "circ.json").write_text(json.dumps(
        {"widget": "Playground", "presenter": True, "hide": ["output"], "state": {"data": "circles", "epoch": 2}}))
    plan = load_plan(write(tmp_path, '[[moment]]\npreset = "saved/circ.json"\n'), controls=CONTROLS)
    assert plan.moments[0].state["data"] == "circles" and plan.moments[0].state["epoch"] == 2
    assert plan.moments[0].hide == ("output",)


@pytest.mark.parametrize("text, expected", [
    ("[[moment]\n", "is not valid TOML"),
    ('title = "no moments"\n', "has no moments"),
    ("alpha = 3\n[[moment]]\n", "unknown plan key 'alpha'"),
    ('[[moment]]\npreset = "lr-too-hihg"\n', "unknown preset 'lr-too-hihg' (did you mean 'lr-too-high'"),
    ('[[moment]]\ntitle = "two"\nalhpa = 1\n', "moment 1 ('two'): unknown key 'alhpa' (did you mean 'alpha'"),
    ('[[moment]]\npreset = "default"\n[[moment]]\noptimizer = "adamw"\n', "moment 2 ('moment 2'): unknown optimizer"),
    ('[[moment]]\nalpha = -1\n', "alpha must be > 0"),
    ('[[moment]]\nhide = ["outptu"]\n', "unknown control 'outptu' (did you mean 'output'"),
    ('[[moment]]\npreset = "gone.json"\n', "cannot read the preset file"),
    ('presenter = "yes"\n[[moment]]\n', "'presenter' must be true or false"),
])
def test_a_bad_plan_says_where_and_what(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(PlanError) as error:
        load_plan(path, controls=CONTROLS)
    assert expected in str(error.value) and str(path) in str(error.value)


def test_settings_at_the_top_of_a_plan_point_to_the_moment_tables(tmp_path):
    with pytest.raises(PlanError, match=r"under its \[\[moment\]\] header"):
        load_plan(write(tmp_path, "alpha = 3\n[[moment]]\n"))


def test_old_and_new_preset_files_load(tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"alpha": 1.0}))
    assert load_preset_file(old) == ({**DEFAULTS, "alpha": 1.0}, None, None)
    other = tmp_path / "stepper.json"
    other.write_text(json.dumps({"widget": "StepThrough", "state": {}, "presenter": False, "hide": []}))
    with pytest.raises(PlanError, match="saved from a StepThrough"):
        load_preset_file(other)


def test_find_demo_file_opens_only_given_files_or_bare_names_here(tmp_path, monkeypatch):
    given = tmp_path / "given" / "a.toml"
    given.parent.mkdir()
    given.write_text("")
    here = tmp_path / "here"
    here.mkdir()
    (here / "b.toml").write_text("")
    monkeypatch.chdir(here)
    monkeypatch.setenv(DEMO_FILES, str(given))
    assert find_demo_file("a.toml", ".toml") == given
    assert find_demo_file("b.toml", ".toml") == here / "b.toml"
    assert find_demo_file(str(given), ".toml") is None, "a path with folders is never opened from an address"
    assert find_demo_file("../given/a.toml", ".toml") is None
    assert find_demo_file("b.toml", ".json") is None
