"""The repo as a package: dependencies that do not drift, a light core, lint, the CLI, the README.

These tests guard the promises a newcomer relies on: `environment.yml` (Binder, conda) installs the
same things as `pyproject.toml` (pip); `import backprop_course` stays numpy-only; the two commands in
the README are the ones CI actually runs; and the notation glossary reads the same everywhere.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest
import tomllib
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10 (the test extra installs tomli there)
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
ENVIRONMENT = yaml.safe_load((REPO / "environment.yml").read_text())
README = (REPO / "README.md").read_text()
MAKEFILE = (REPO / "Makefile").read_text()
CI_SCRIPT = (REPO / ".ci" / "run").read_text()

# pip name -> conda-forge name, where they differ (matplotlib-base is matplotlib without Qt).
CONDA_NAME = {"matplotlib": "matplotlib-base"}
CORE_MODULES = ["backprop_course", *(f"backprop_course.{name}" for name in (
    "network", "activations", "losses", "labels", "gradient_check", "misconceptions", "training",
    "landscape", "experiments", "stepper", "chain_rule", "playground", "datasets", "equations", "autodiff"))]
HEAVY_MODULES = ["matplotlib", "ipywidgets"]


def _conda_requirements():
    """{name: Requirement} for the conda dependencies (pip's syntax reads conda's `name>=x` specs)."""
    specs = [d for d in ENVIRONMENT["dependencies"] if isinstance(d, str)]
    reqs = {}
    for spec in specs:
        if re.fullmatch(r"python=\d+\.\d+", spec):
            continue
        reqs[Requirement(spec).name] = Requirement(spec)
    return reqs


def _pip_section():
    sections = [d["pip"] for d in ENVIRONMENT["dependencies"] if isinstance(d, dict) and "pip" in d]
    return sections[0] if sections else []


# --- environment.yml against pyproject.toml ---------------------------------------------------------

def test_environment_yml_is_binder_ready():
    assert ENVIRONMENT.get("channels") == ["conda-forge"], (
        f"environment.yml channels must be exactly [conda-forge]; got {ENVIRONMENT.get('channels')}."
    )
    specs = [d for d in ENVIRONMENT["dependencies"] if isinstance(d, str)]
    pythons = [s for s in specs if s.startswith("python")]
    assert len(pythons) == 1 and re.fullmatch(r"python=\d+\.\d+", pythons[0]), (
        f"repo2docker reads only an exact pin such as python=3.11, not a range; got {pythons}."
    )
    assert "pip" in specs, "list pip explicitly in environment.yml, or conda warns and the pip: section may fail."
    assert "-e ." in _pip_section(), (
        "environment.yml needs `- pip: [-e .]`: that is what installs the package itself on Binder."
    )


def test_environment_python_satisfies_requires_python():
    pinned = next(d for d in ENVIRONMENT["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = pinned.split("=")[1]
    requires = SpecifierSet(PYPROJECT["project"]["requires-python"])
    assert version in requires, (
        f"environment.yml pins {pinned}, outside pyproject's requires-python {requires}."
    )


@pytest.mark.parametrize("dependency", PYPROJECT["project"]["dependencies"])
def test_every_runtime_dependency_is_in_environment_yml(dependency):
    pip_req = Requirement(dependency)
    conda_name = CONDA_NAME.get(pip_req.name, pip_req.name)
    conda = _conda_requirements()
    assert conda_name in conda, (
        f"pyproject depends on {dependency!r} but environment.yml lacks {conda_name!r}; Binder/conda users "
        "would miss it. Add it under dependencies."
    )
    assert str(conda[conda_name].specifier) == str(pip_req.specifier), (
        f"version bounds drifted: pyproject {dependency!r}, environment.yml {conda[conda_name]}. Keep them equal."
    )


def test_environment_yml_has_nothing_pyproject_does_not_declare():
    declared = {Requirement(d).name for d in PYPROJECT["project"]["dependencies"]}
    for extra in ("demo",):
        declared |= {Requirement(d).name for d in PYPROJECT["project"]["optional-dependencies"][extra]}
    declared = {CONDA_NAME.get(name, name) for name in declared}
    stray = set(_conda_requirements()) - declared - {"pip"}
    assert not stray, f"environment.yml lists {sorted(stray)}, which pyproject.toml does not declare."


# --- the package ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_matplotlib_or_ipywidgets(module):
    code = (f"import sys, {module}\n"
            f"print(','.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, f"`import {module}` failed:\n{result.stderr}"
    loaded = result.stdout.strip()
    assert not loaded, (
        f"`import {module}` also imported {loaded}. The core must stay numpy-only (imports flow "
        "core <- plotting <- widgets); import plotting/widget code lazily, inside the function that needs it."
    )


def test_console_script_prints_help():
    script = Path(sys.executable).with_name("backprop-course")
    command = str(script) if script.exists() else shutil.which("backprop-course")
    assert command, "the console script `backprop-course` is not installed; run `pip install -e .` first."
    result = subprocess.run([command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"`backprop-course --help` failed:\n{result.stderr}"
    assert "usage: backprop-course" in result.stdout, result.stdout


def test_package_data_globs_cover_every_data_file():
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["backprop_course"]
    package = REPO / "backprop_course"
    data_files = [p.relative_to(package).as_posix() for p in (package / "datasets" / "data").rglob("*")
                  if p.is_file()]
    missing = [f for f in data_files if not any(fnmatch(f, g) for g in globs)]
    assert not missing, f"{missing} would be left out of wheels: add them to [tool.setuptools.package-data]."


@pytest.fixture(scope="module")
def wheel_names():
    """The file names in the wheel built once per run (shared with tests/test_distributions.py)."""
    pytest.importorskip("build", reason="the build package (test extra) builds the wheel")
    from built_package import build

    _, wheel = build()
    return set(zipfile.ZipFile(wheel).namelist())


def test_wheel_contains_the_data_files(wheel_names):
    expected = {p.relative_to(REPO).as_posix()
                for p in (REPO / "backprop_course" / "datasets" / "data").rglob("*") if p.is_file()}
    assert expected, "no data files found under backprop_course/datasets/data"
    assert expected <= wheel_names, f"the wheel lacks {sorted(expected - wheel_names)}"
    assert "backprop_course/network.py" in wheel_names


def test_wheel_leaves_out_the_reference_solutions_and_keeps_the_graders_runtime(wheel_names):
    leaked = sorted(n for n in wheel_names if "solutions" in n)
    assert not leaked, f"the reference solutions must stay in the repository, out of the wheel: {leaked}"
    assert {"backprop_course/grading/child.py", "backprop_course/grading/wire.py"} <= wheel_names


def test_ruff_check_passes():
    # The ruff of this environment (the test extra pins its version), before any other on PATH.
    sibling = Path(sys.executable).with_name("ruff")
    ruff = str(sibling) if sibling.exists() else shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (it is in the test extra: pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "--no-cache", "."], capture_output=True, text=True, cwd=REPO,
                            timeout=120)
    assert result.returncode == 0, f"`ruff check .` found problems:\n{result.stdout}\n{result.stderr}"


# --- the README and the commands CI runs -----------------------------------------------------------------

def _makefile_variable(name):
    match = re.search(rf"^{name}\s*:?=\s*(.+)$", MAKEFILE, flags=re.MULTILINE)
    assert match, f"Makefile defines no {name}"
    return match.group(1).strip()


def test_readme_shows_the_two_commands_ci_runs():
    for command in ("make course", "make test"):
        assert f"\n{command}\n" in README, f"README must show `{command}` on its own line."
    assert re.search(r"^make test\b", CI_SCRIPT, flags=re.MULTILINE), ".ci/run must run the README's `make test`"
    assert re.search(r"^course:", MAKEFILE, flags=re.MULTILINE) and re.search(r"^test:", MAKEFILE, flags=re.M)


def test_readme_plain_commands_match_the_makefile():
    pytest_line = f".venv/bin/python -m pytest {_makefile_variable('PYTEST_ARGS')}"
    assert pytest_line in README, (
        f"README's test command drifted from the Makefile's; README must contain exactly:\n{pytest_line}"
    )
    for install in ('python -m pip install -e ".[test,demo]"', "python -m pip install -e ."):
        assert install in MAKEFILE and install in README, f"{install!r} must appear in both README and Makefile"
    assert "notebooks/00_start_here.ipynb" in MAKEFILE and ".venv/bin/python -m jupyter lab" in README


def test_test_command_never_runs_the_exercise_stubs():
    assert "exercises" not in _makefile_variable("PYTEST_ARGS").split(), (
        "exercises/ holds the learner's stubs, which fail by design; the test command must not collect them."
    )


# --- one glossary, three places ------------------------------------------------------------------------

def _docstring_glossary():
    import backprop_course.network as network

    lines = network.__doc__.splitlines()
    rules = [i for i, line in enumerate(lines) if re.fullmatch(r"=+( +=+)+", line.strip())]
    assert len(rules) == 3, "network.py's docstring should hold one simple RST table (three ==== rules)"
    spans = [m.span() for m in re.finditer(r"=+", lines[rules[0]])]

    def cells(line):
        parts = [line[start:(spans[k + 1][0] if k + 1 < len(spans) else None)].strip()
                 for k, (start, _) in enumerate(spans)]
        return [re.sub(r"``(.+?)``", r"`\1`", part) for part in parts]

    header = [cells(line) for line in lines[rules[0] + 1:rules[1]] if line.strip()]
    body = [cells(line) for line in lines[rules[1] + 1:rules[2]] if line.strip()]
    return header + body


def _markdown_glossary(text, where):
    rows = []
    inside = False
    for line in text.splitlines():
        if re.fullmatch(r"\|\s*symbol\s*\|\s*code\s*\|\s*shape\s*\|\s*meaning\s*\|", line.strip()):
            inside = True
        if inside:
            if not line.strip().startswith("|"):
                break
            if not re.fullmatch(r"\|[\s:|-]+\|", line.strip()):
                rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    assert rows, f"{where} has no glossary table with the header | symbol | code | shape | meaning |"
    return rows


def test_readme_glossary_equals_network_docstring_row_by_row():
    expected = _docstring_glossary()
    actual = _markdown_glossary(README, "README.md")
    assert len(actual) == len(expected), f"README glossary has {len(actual)} rows, network.py {len(expected)}"
    for row, (got, want) in enumerate(zip(actual, expected, strict=True)):
        assert got == want, f"glossary row {row} differs: README {got} vs network.py docstring {want}"


def test_start_here_notebook_glossary_equals_network_docstring():
    notebook_path = REPO / "notebooks" / "00_start_here.ipynb"
    if not notebook_path.exists():
        pytest.skip("notebooks/00_start_here.ipynb does not exist yet")
    notebook = json.loads(notebook_path.read_text())
    text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    assert _markdown_glossary(text, "00_start_here.ipynb") == _docstring_glossary(), (
        "the glossary in notebooks/00_start_here.ipynb drifted from network.py's docstring"
    )


# --- nbval sanitizers hide only what is random ---------------------------------------------------------

def _sanitize(text):
    from nbval.plugin import get_sanitize_patterns

    patterns = get_sanitize_patterns((REPO / "tests" / "nbval_sanitize.cfg").read_text())
    assert patterns, "tests/nbval_sanitize.cfg defines no regex/replace pairs"
    for regex, replace in patterns:
        text = re.sub(regex, replace, text)
    return text


def test_sanitizer_hides_memory_addresses_and_timings():
    assert _sanitize("[<matplotlib.lines.Line2D at 0x7f3a2c1b9d50>]") == "[<matplotlib.lines.Line2D at 0xADDR>]"
    timeit = "12.3 ms ± 401 µs per loop (mean ± std. dev. of 7 runs, 100 loops each)"
    assert _sanitize(timeit) == _sanitize(timeit.replace("12.3", "9.87").replace("401", "88.1"))
    assert _sanitize("Wall time: 1.23 s") == _sanitize("Wall time: 456 ms")


@pytest.mark.parametrize("text", [
    "J = 0.693147", "relative error 3.2e-11", "accuracy 97.33 %", "epoch 100: cost 0.0123",
    "took 1.50 s", "speed-up 37.2x", "Theta[1] shape (3, 3)", "[1 0 0 1]", "0.5 ms",
])
def test_sanitizer_never_changes_course_numbers(text):
    assert _sanitize(text) == text, f"a sanitize rule in tests/nbval_sanitize.cfg rewrites {text!r}"



# --- the browser tests skip without Chromium, except in CI ----------------------------------------------

def _run_browser_selftests(extra_env):
    env = {key: value for key, value in os.environ.items() if key != "BACKPROP_REQUIRE_BROWSER"}
    env.update({"BACKPROP_CHROMIUM": "/nonexistent/chromium", **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:nbval", "-q", "-rs",
         "-k", "harness", "tests/browser/test_notebooks_browser.py"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )


def test_browser_tests_skip_when_chromium_is_missing():
    result = _run_browser_selftests({})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 skipped" in result.stdout and "Chromium is not installed" in result.stdout, result.stdout


def test_browser_tests_fail_when_required_and_chromium_is_missing():
    result = _run_browser_selftests({"BACKPROP_REQUIRE_BROWSER": "1"})
    assert result.returncode == 1, f"expected a failed run, got exit code {result.returncode}:\n{result.stdout}"
    assert "BACKPROP_REQUIRE_BROWSER=1 but Chromium is not installed" in result.stdout, result.stdout
    assert "skipped" not in result.stdout, result.stdout
