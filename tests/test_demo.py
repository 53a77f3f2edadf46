"""Tests of ``backprop-course demo`` (backprop_course.demo): the voila command it runs and its messages."""

import shlex
import sys

import pytest

from backprop_course import cli, demo


def test_demo_is_a_subcommand_of_the_cli():
    assert cli.SUBCOMMANDS["demo"][0] == "backprop_course.demo"


def test_print_command_serves_the_playground_notebook_on_localhost(capsys, tmp_path):
    notebook = tmp_path / "13_playground.ipynb"
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
    assert found is not None and found.name == "13_playground.ipynb"


def test_missing_notebook_is_a_clear_error(capsys, tmp_path):
    assert cli.main(["demo", "--notebook", str(tmp_path / "nope.ipynb")]) == 2
    assert "cannot find the playground notebook" in capsys.readouterr().err


def test_without_voila_it_says_how_to_install_it(monkeypatch, capsys, tmp_path):
    notebook = tmp_path / "13_playground.ipynb"
    notebook.write_text("{}")
    real_find_spec = demo.importlib.util.find_spec
    monkeypatch.setattr(demo.importlib.util, "find_spec",
                        lambda name, *a: None if name == "voila" else real_find_spec(name, *a))
    monkeypatch.setattr(demo, "serve", lambda *a, **k: pytest.fail("must not start anything"))
    assert cli.main(["demo", "--notebook", str(notebook)]) == 1
    err = capsys.readouterr().err
    assert "pip install 'backprop-course[demo]'" in err


def test_preset_presenter_and_hide_go_into_the_page_address(capsys, tmp_path):
    notebook = tmp_path / "13_playground.ipynb"
    notebook.write_text("{}")
    assert cli.main(["demo", "--notebook", str(notebook), "--preset", "lr-too-high", "--presenter",
                     "--hide", "output,batch_size", "--print-command"]) == 0
    command_line, url = capsys.readouterr().out.strip().splitlines()
    assert url == "http://127.0.0.1:8866/?preset=lr-too-high&presenter=1&hide=output,batch_size"
    assert "--no-browser" in shlex.split(command_line), "with a query we open the page ourselves"
