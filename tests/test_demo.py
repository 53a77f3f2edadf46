"""Tests of ``backprop-course demo`` (backprop_course.demo): the voila command it runs and its messages."""

import shlex
import socket
import sys

import pytest

from backprop_course import cli, demo


def test_demo_is_a_subcommand_of_the_cli():
    assert cli.SUBCOMMANDS["demo"][0] == "backprop_course.demo"


def test_print_command_serves_the_playground_notebook_on_localhost(capsys, tmp_path):
    notebook = tmp_path / "18_playground.ipynb"
    notebook.write_text("{}")
    assert cli.main(["demo", "--notebook", str(notebook), "--port", "9123", "--no-browser", "--print-command"]) == 0
    command_line, url = capsys.readouterr().out.strip().splitlines()
    cmd = shlex.split(command_line)
    assert url == "http://127.0.0.1:9123/"
    assert cmd[:3] == [sys.executable, "-m", "voila"]
    assert str(notebook.resolve()) in cmd and "--port=9123" in cmd and "--Voila.ip=127.0.0.1" in cmd
    assert "--no-browser" in cmd


def test_the_repository_notebook_is_found_from_the_checkout(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)                      # not in the course folder: falls back to the checkout
    found = demo.find_notebook()
    assert found is not None and found.name == "18_playground.ipynb"


def test_missing_notebook_is_a_clear_error(capsys, tmp_path):
    assert cli.main(["demo", "--notebook", str(tmp_path / "nope.ipynb")]) == 2
    assert "cannot find the playground notebook" in capsys.readouterr().err


def test_without_voila_it_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    notebook = tmp_path / "18_playground.ipynb"
    notebook.write_text("{}")
    real_find_spec = demo.importlib.util.find_spec
    monkeypatch.setattr(demo.importlib.util, "find_spec",
                        lambda name, *a: None if name == "voila" else real_find_spec(name, *a))
    monkeypatch.setattr(demo, "serve", lambda *a, **k: pytest.fail("must not start anything"))
    assert cli.main(["demo", "--notebook", str(notebook)]) == 1
    err = capsys.readouterr().err
    assert "pip install 'backprop-course[demo]'" in err


def test_preset_presenter_and_hide_go_into_the_page_address(capsys, tmp_path):
    notebook = tmp_path / "18_playground.ipynb"
    notebook.write_text("{}")
    assert cli.main(["demo", "--notebook", str(notebook), "--preset", "lr-too-high", "--presenter",
                     "--hide", "output,batch_size", "--print-command"]) == 0
    command_line, url = capsys.readouterr().out.strip().splitlines()
    assert url == "http://127.0.0.1:8866/?preset=lr-too-high&presenter=1&hide=output,batch_size"
    assert "--no-browser" in shlex.split(command_line), "with a query we open the page ourselves"


# -- presets, controls and plans are checked before any server starts (issue 16) ------------------------

@pytest.fixture
def notebook(tmp_path, monkeypatch):
    path = tmp_path / "18_playground.ipynb"
    path.write_text("{}")
    monkeypatch.setattr(demo, "serve", lambda *a, **k: pytest.fail("a bad request must not start the server"))
    return path


def test_list_presets_prints_one_line_per_preset(capsys):
    from backprop_course.playground import PRESET_DESCRIPTIONS

    assert cli.main(["demo", "--list-presets"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == len(PRESET_DESCRIPTIONS)
    for line, (name, text) in zip(lines, PRESET_DESCRIPTIONS.items(), strict=True):
        assert line.split()[0] == name and line.endswith(text)


@pytest.mark.parametrize("arguments, expected", [
    (["--preset", "lr-too-hihg"], "unknown preset 'lr-too-hihg' (did you mean 'lr-too-high'"),
    (["--hide", "outptu,batch_size"], "unknown control 'outptu' (did you mean 'output'"),
    (["--preset", "nowhere.json"], "there is no preset file nowhere.json"),
    (["--moment", "2"], "--moment chooses a moment of a plan"),
    (["--preset", "default", "--plan", "lecture.toml"], "--preset and --plan: choose one"),
])
def test_a_bad_preset_or_control_is_an_error_before_the_server_starts(notebook, capsys, arguments, expected):
    assert cli.main(["demo", "--notebook", str(notebook), "--no-browser", *arguments]) == 2
    assert expected in capsys.readouterr().err


def test_a_bad_plan_names_the_moment_and_the_closest_setting(notebook, capsys, tmp_path):
    plan = tmp_path / "lecture.toml"
    plan.write_text('[[moment]]\npreset = "default"\n\n[[moment]]\ntitle = "faster"\naplha = 3\n')
    assert cli.main(["demo", "--notebook", str(notebook), "--plan", str(plan)]) == 2
    err = capsys.readouterr().err
    assert "moment 2 ('faster')" in err and "'aplha' (did you mean 'alpha'" in err
    assert cli.main(["demo", "--notebook", str(notebook), "--plan", str(tmp_path / "missing.toml")]) == 2
    assert "cannot read the plan" in capsys.readouterr().err


def test_a_plan_and_a_preset_file_reach_the_page_by_their_names(tmp_path, monkeypatch, capsys):
    from backprop_course.plan import DEMO_FILES
    from backprop_course.widgets import Playground
    from backprop_course.widgets.presenter import save_preset

    notebook = tmp_path / "18_playground.ipynb"
    notebook.write_text("{}")
    preset = save_preset(Playground(data="circles"), tmp_path / "circles.json")
    plan = tmp_path / "lecture.toml"
    plan.write_text('[[moment]]\npreset = "circles.json"\n\n[[moment]]\nalpha = 1.0\n')
    served = {}

    def fake_serve(command, cwd, env, wait_for, on_ready):
        served.update(command=command, env=env, wait_for=wait_for)
        on_ready()
        return 0

    monkeypatch.setattr(demo, "serve", fake_serve)
    monkeypatch.setattr(demo, "choose_port", lambda ip, port: (port, None))
    command = ["demo", "--notebook", str(notebook), "--no-browser", "--port", "9200"]
    assert cli.main([*command, "--preset", str(preset)]) == 0
    assert "ready at http://127.0.0.1:9200/?preset=circles.json " in capsys.readouterr().out
    assert served["env"][DEMO_FILES] == str(preset.resolve())
    assert "--port=9200" in served["command"] and "--Voila.port_retries=0" in served["command"]
    assert served["wait_for"] == ("127.0.0.1", 9200)
    assert cli.main([*command, "--plan", str(plan), "--moment", "2"]) == 0
    assert "ready at http://127.0.0.1:9200/?plan=lecture.toml&moment=2 " in capsys.readouterr().out
    assert served["env"][DEMO_FILES] == str(plan.resolve()), "the plan's own preset files are read beside it"


def test_a_busy_port_moves_to_the_next_free_one():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        chosen, note = demo.choose_port("127.0.0.1", port)
        assert chosen != port and demo.port_is_free("127.0.0.1", chosen)
        assert note == f"port {port} is in use; the demo takes port {chosen}"
    assert demo.choose_port("127.0.0.1", chosen) == (chosen, None)


def test_serve_calls_on_ready_once_the_server_answers(tmp_path):
    from backprop_course._serve import serve

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    listen = (f"import socket, time; s = socket.socket(); s.bind(('127.0.0.1', {port})); time.sleep(0.5); "
              f"s.listen(); time.sleep(1.0)")
    heard = []
    assert serve([sys.executable, "-c", listen], wait_for=("127.0.0.1", port), on_ready=lambda: heard.append(1)) == 0
    assert heard == [1]
    quits = [sys.executable, "-c", "raise SystemExit(3)"]
    assert serve(quits, wait_for=("127.0.0.1", port), on_ready=lambda: heard.append(2)) == 3
    assert heard == [1], "a server that ended before listening is never announced"
