"""``backprop-course doctor``: will Jupyter, the widgets and the kernel run the course here? Each problem with its fix.

It checks, in plain words, what a learner (or a helper on a forum) needs to know:

- the Python and the versions of the packages the course uses;
- which Jupyter front ends are installed (JupyterLab, Notebook 7) and their widget extension
  (``jupyterlab_widgets`` serves both), and whether its version matches ipywidgets;
- whether the ``python3`` kernel the notebooks ask for runs a Python that has backprop_course, and if
  not, the command that makes it so;
- whether matplotlib renders a figure;
- whether the exercises folder is found;
- the grader's sandbox mode.

The classic widget failures ("Error displaying widget: model not found", a widget shown as plain text)
come from a front end without the widget extension, a kernel from another environment, or mismatched
ipywidgets and jupyterlab_widgets versions; each has a check here. The exit status is 1 when something
would break the course, 0 otherwise.
"""

import importlib.metadata
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

OK, NOTE, PROBLEM = "ok", "note", "PROBLEM"
KERNEL_NAME = "python3"  # every course notebook's kernelspec
PACKAGES = ("backprop-course", "numpy", "matplotlib", "ipywidgets", "ipykernel", "jupyterlab", "notebook",
            "jupyterlab_widgets", "jupyter_server", "pytest")
WIDGET_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
# ipywidgets major version -> the jupyterlab_widgets major version whose front end speaks its protocol.
WIDGETS_PAIRS = {7: 1, 8: 3}
# A kernelspec whose command starts with one of these runs on the Python of the Jupyter server.
PYTHON_PLACEHOLDERS = {"python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])}
PROBE_TIMEOUT = 60  # seconds for the kernel's Python to answer
_PROBE = r"""
import importlib.metadata as m, json, sys
def v(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return None
print(json.dumps({"executable": sys.executable, "prefix": sys.prefix, "version": sys.version.split()[0],
                  "backprop-course": v("backprop-course"), "ipykernel": v("ipykernel"),
                  "ipywidgets": v("ipywidgets")}))
"""


@dataclass
class Check:
    """One line of the report: what was checked, how it went, and the fix when it went wrong."""

    topic: str
    status: str
    message: str
    fix: str = ""

    def lines(self):
        out = [f"[{self.status:>7}] {self.topic}: {self.message}"]
        if self.fix:
            out += [f"          fix: {line}" if i == 0 else f"               {line}"
                    for i, line in enumerate(self.fix.splitlines())]
        return out


def version(name):
    """The installed version of distribution `name`, or None."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _major(text):
    try:
        return int(str(text).split(".")[0])
    except ValueError:
        return None


def _pip(*names):
    return f"{shlex.quote(sys.executable)} -m pip install " + " ".join(shlex.quote(n) for n in names)


def check_python():
    v = sys.version_info
    if v < (3, 10):
        return Check("Python", PROBLEM, f"{sys.version.split()[0]} at {sys.executable} is older than 3.10, which "
                     "the course needs.", "install Python 3.10 or newer and the course into it")
    return Check("Python", OK, f"{sys.version.split()[0]} at {sys.executable}")


def check_packages():
    found = [f"{name} {version(name)}" for name in PACKAGES if version(name)]
    missing = [name for name in ("numpy", "matplotlib", "ipywidgets", "ipykernel") if not version(name)]
    if missing:
        return Check("packages", PROBLEM, f"{', '.join(missing)} missing (installed: {', '.join(found)})",
                     _pip(*missing))
    return Check("packages", OK, ", ".join(found))


def check_front_ends():
    lab, notebook = version("jupyterlab"), version("notebook")
    if not lab and not notebook:
        return [Check("front ends", PROBLEM, "neither JupyterLab nor Jupyter Notebook is installed in this Python, "
                      "so there is nothing to open the notebooks with", _pip("jupyterlab"))]
    checks = []
    if lab:
        checks.append(Check("JupyterLab", OK, f"{lab} installed"))
    if notebook and _major(notebook) is not None and _major(notebook) < 7:
        checks.append(Check("Jupyter Notebook", PROBLEM, f"{notebook} is the classic Notebook, which needs the old "
                            "widgetsnbextension; the course is tested in Notebook 7", _pip("notebook>=7")))
    elif notebook:
        checks.append(Check("Jupyter Notebook", OK, f"{notebook} installed (Notebook 7: "
                            "backprop-course start --notebook)"))
    else:
        checks.append(Check("Jupyter Notebook", NOTE, "not installed; JupyterLab is enough. For Notebook 7: "
                            + _pip("notebook")))
    return checks


def labextension_dirs():
    """The folders JupyterLab and Notebook 7 load prebuilt extensions from, first one wins."""
    from jupyter_core.paths import jupyter_path

    return [Path(p) for p in jupyter_path("labextensions")]


def widget_extension():
    """(folder, version) of the widget extension the front end will load, or (None, None)."""
    for folder in labextension_dirs():
        package = folder / WIDGET_EXTENSION / "package.json"
        if package.is_file():
            return package.parent, _package_version(package)
    return None, None


def installed_widget_extension():
    """(folder, version) of the widget extension that the jupyterlab_widgets package installed, or (None, None)."""
    try:
        files = importlib.metadata.files("jupyterlab_widgets") or []
    except importlib.metadata.PackageNotFoundError:
        return None, None
    suffix = f"labextensions/{WIDGET_EXTENSION}/package.json"
    for file in files:
        if file.as_posix().endswith(suffix):
            package = Path(file.locate())
            return package.parent, _package_version(package)
    return None, None


def _package_version(package_json):
    try:
        return json.loads(Path(package_json).read_text()).get("version")
    except (OSError, ValueError):
        return None


def check_widgets():
    ipywidgets, lab_widgets = version("ipywidgets"), version("jupyterlab_widgets")
    if not ipywidgets:
        return Check("widgets", PROBLEM, "ipywidgets is not installed: the course's sliders and buttons cannot run",
                     _pip("ipywidgets"))
    if not lab_widgets:
        return Check("widgets", PROBLEM, f"ipywidgets {ipywidgets} is installed but its front-end extension "
                     "jupyterlab_widgets is not: widgets would show as plain text or 'Error displaying widget'",
                     _pip("jupyterlab_widgets"))
    wanted = WIDGETS_PAIRS.get(_major(ipywidgets))
    if wanted is not None and _major(lab_widgets) != wanted:
        return Check("widgets", PROBLEM, f"ipywidgets {ipywidgets} needs jupyterlab_widgets {wanted}.x, but "
                     f"{lab_widgets} is installed: widgets would show 'Error displaying widget'",
                     _pip(f"jupyterlab_widgets>={wanted},<{wanted + 1}"))
    folder, loaded = widget_extension()
    own_folder, own = installed_widget_extension()
    if folder is None:
        return Check("widgets", PROBLEM, f"jupyterlab_widgets {lab_widgets} is installed, but its extension is in "
                     "none of Jupyter's extension folders, so the front end cannot load it",
                     _pip("--force-reinstall", "jupyterlab_widgets"))
    if own_folder is not None and os.path.realpath(folder) != os.path.realpath(own_folder) and loaded != own:
        return Check("widgets", PROBLEM, f"the front end loads the widget extension {loaded} from {folder}, which "
                     f"shadows version {own} that jupyterlab_widgets {lab_widgets} installed in {own_folder}: widgets "
                     "may show 'Error displaying widget'", f"rm -r {shlex.quote(str(folder))}")
    return Check("widgets", OK, f"ipywidgets {ipywidgets} with jupyterlab_widgets {lab_widgets} (the widget "
                 "extension of JupyterLab and Notebook 7), versions match")


def kernel_spec(name=KERNEL_NAME):
    """(command line, extra environment) of kernel `name` as Jupyter would start it; raises when there is none."""
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec(name)
    return spec.argv, dict(spec.env or {})


def probe_python(executable, env=None):
    """What Python `executable` is and which course packages it has (a dict), or raises RuntimeError.

    It runs in the temp folder, so a package folder in the current one cannot pass for an installed package.
    """
    try:
        result = subprocess.run([executable, "-c", _PROBE], capture_output=True, text=True, timeout=PROBE_TIMEOUT,
                                cwd=tempfile.gettempdir(), env={**os.environ, **(env or {})})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RuntimeError(f"{executable} could not be run: {exc}") from exc
    if result.returncode != 0:
        raise RuntimeError(f"{executable} failed: {result.stderr.strip()[-300:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def kernel_fix():
    install = (f"{shlex.quote(sys.executable)} -m ipykernel install --user --name {KERNEL_NAME} "
               f"--display-name \"Python 3 (backprop-course)\"")
    if not version("ipykernel"):
        return _pip("ipykernel") + "\n" + install
    return install


def check_kernel():
    try:
        argv, env = kernel_spec()
    except Exception as exc:  # jupyter_client raises NoSuchKernel, or an import error without jupyter_client
        return Check("kernel", PROBLEM, f"there is no '{KERNEL_NAME}' kernel for the notebooks to run on "
                     f"({type(exc).__name__}: {exc})", kernel_fix())
    executable = argv[0] if argv else ""
    if executable in PYTHON_PLACEHOLDERS:
        # jupyter_client starts such a kernel with the Python that runs Jupyter itself (here: this one).
        executable = sys.executable
    resolved = shutil.which(executable) or executable
    if not Path(resolved).name.startswith("python"):
        return Check("kernel", NOTE, f"the '{KERNEL_NAME}' kernel starts with {shlex.join(argv[:3])} ...; cannot "
                     "tell which Python that is. If `import backprop_course` fails in a notebook, run the fix",
                     kernel_fix())
    try:
        info = probe_python(resolved, env)
    except RuntimeError as exc:
        return Check("kernel", PROBLEM, f"the '{KERNEL_NAME}' kernel's Python does not run: {exc}", kernel_fix())
    same = os.path.realpath(info["prefix"]) == os.path.realpath(sys.prefix)
    where = f"the '{KERNEL_NAME}' kernel runs {info['executable']} (Python {info['version']})"
    if not info["backprop-course"]:
        return Check("kernel", PROBLEM, f"{where}, another environment, without backprop_course: the notebooks "
                     "would stop at `import backprop_course`", kernel_fix())
    if not info["ipykernel"]:
        return Check("kernel", PROBLEM, f"{where}, which lacks ipykernel: the kernel cannot start", kernel_fix())
    if not info["ipywidgets"]:
        return Check("kernel", PROBLEM, f"{where}, which lacks ipywidgets: every widget would fail",
                     f"{shlex.quote(info['executable'])} -m pip install ipywidgets")
    front = version("jupyterlab_widgets")
    wanted = WIDGETS_PAIRS.get(_major(info["ipywidgets"]))
    if front and wanted is not None and _major(front) != wanted:
        return Check("kernel", PROBLEM, f"{where} with ipywidgets {info['ipywidgets']}, which needs "
                     f"jupyterlab_widgets {wanted}.x in the front end, but it has {front}: widgets would show "
                     "'Error displaying widget'", kernel_fix())
    if same:
        return Check("kernel", OK, f"{where}, the same environment as backprop-course {version('backprop-course')}")
    return Check("kernel", NOTE, f"{where}, another environment that has backprop-course {info['backprop-course']} "
                 f"(this one has {version('backprop-course')})", kernel_fix())


def render_png():
    """PNG bytes of a small line plot drawn off-screen with matplotlib (what a notebook's figures need)."""
    from io import BytesIO

    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 1.5), dpi=50)
    figure.add_subplot().plot([0, 1, 2], [0, 1, 0])
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def check_matplotlib():
    try:
        png = render_png()
    except Exception as exc:
        return Check("matplotlib", PROBLEM, f"drawing a figure failed ({type(exc).__name__}: {exc}): the notebooks' "
                     "plots would fail", _pip("--force-reinstall", "matplotlib"))
    if not png.startswith(b"\x89PNG") or len(png) < 200:
        return Check("matplotlib", PROBLEM, f"a figure came out as {len(png)} bytes that are not a PNG image",
                     _pip("--force-reinstall", "matplotlib"))
    backend = os.environ.get("MPLBACKEND")
    note = f" (MPLBACKEND={backend} is set; notebooks show plots inline only when it is unset)" if backend else ""
    return Check("matplotlib", OK, f"{version('matplotlib')} renders figures{note}")


def check_exercises(folder=None):
    from .grading import find_submission
    from .workspace import DEFAULT_FOLDER

    here = Path(folder or Path.cwd())
    try:
        return Check("exercises", OK, f"found {find_submission(start=here)}")
    except FileNotFoundError:
        pass
    if (here / DEFAULT_FOLDER / "exercises").is_dir():
        return Check("exercises", OK, f"found {here / DEFAULT_FOLDER / 'exercises'}; grade from "
                     f"{here / DEFAULT_FOLDER} (cd {DEFAULT_FOLDER})")
    return Check("exercises", PROBLEM, f"no exercises/ folder in {here} or above it, so check(...) and "
                 "`backprop-course grade` have nothing to grade",
                 "backprop-course start    (copies the course into ./backprop-course), or run the doctor "
                 "from your course folder")


def grader_sandbox_mode():
    """How the grader would run graded code here: a ``grading.sandbox.Mode`` (``.name``, ``.detail``).

    The one place that asks the grader; it imports it only when called.
    """
    from .grading import sandbox

    return sandbox.detect()


def check_sandbox():
    mode = grader_sandbox_mode()
    if mode.name == "sandbox":
        return Check("grader sandbox", OK, mode.detail)
    return Check("grader sandbox", NOTE, mode.detail,
                 "for isolation install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap); "
                 "grading your own work runs without it")


def check_command_on_path():
    script = Path(sys.executable).with_name("backprop-course")
    found = shutil.which("backprop-course")
    if found and os.path.realpath(found) == os.path.realpath(script):
        return Check("commands", OK, f"`backprop-course` runs {found}")
    fix = (f"activate the environment (source {Path(sys.prefix) / 'bin' / 'activate'}), or type the full "
           f"path: {script}")
    if found:
        return Check("commands", NOTE, f"`backprop-course` in a terminal runs {found}, from another environment",
                     fix)
    return Check("commands", NOTE, "`backprop-course` is not on this terminal's PATH, so typing it gives "
                 "'command not found'", fix)


def run_checks(folder=None):
    """Every check, in the order of the report."""
    return [check_python(), check_packages(), *check_front_ends(), check_widgets(), check_kernel(),
            check_matplotlib(), check_exercises(folder), check_sandbox(), check_command_on_path()]


def add_arguments(parser):
    parser.add_argument("folder", nargs="?", default=None, metavar="DIR",
                        help="your course folder (default: the current folder)")


def run(args):
    checks = run_checks(args.folder)
    print("backprop-course doctor\n")
    for check in checks:
        print("\n".join(check.lines()))
    problems = [c for c in checks if c.status == PROBLEM]
    print()
    if problems:
        print(f"{len(problems)} problem(s) would break the course: {', '.join(c.topic for c in problems)}. "
              "Run each fix above, then `backprop-course doctor` again.")
        return 1
    print("Everything the course needs is in place.")
    return 0
