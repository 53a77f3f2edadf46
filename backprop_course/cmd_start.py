"""``backprop-course start [DIR]``: copy the course into DIR and open its first notebook in Jupyter.

    backprop-course start                    # ./backprop-course, in JupyterLab
    backprop-course start ~/bp --notebook    # in Jupyter Notebook 7 instead
    backprop-course start --no-browser       # print the address instead of opening a browser
    backprop-course start --copy-only        # only the folder (in a JupyterHub terminal, say)

The first run copies the notebooks and exercise stubs; a later run writes nothing and says whether
the course has news (``backprop-course update`` brings them in without touching your edits; see
:mod:`backprop_course.workspace`). Inside a running Jupyter (a terminal or notebook of JupyterLab or
of a JupyterHub) it only copies: that Jupyter's file browser already shows the folder.
"""

import importlib.util
import os
import sys
from pathlib import Path

from . import workspace
from ._serve import serve

FRONT_ENDS = {"lab": ("jupyterlab", "JupyterLab"), "notebook": ("notebook", "Jupyter Notebook 7")}
# Set in every terminal and kernel a Jupyter server (or a JupyterHub) starts.
INSIDE_JUPYTER_VARS = ("JUPYTERHUB_SERVICE_PREFIX", "JUPYTER_SERVER_ROOT", "JPY_SESSION_NAME")


def add_arguments(parser):
    parser.add_argument("folder", nargs="?", default=workspace.DEFAULT_FOLDER, metavar="DIR",
                        help=f"where your copy of the course goes (default: ./{workspace.DEFAULT_FOLDER})")
    parser.add_argument("--notebook", dest="front_end", action="store_const", const="notebook", default="lab",
                        help="open Jupyter Notebook 7 instead of JupyterLab (pip install notebook)")
    parser.add_argument("--no-browser", action="store_true",
                        help="start Jupyter but open no browser; it prints the address to open")
    parser.add_argument("--copy-only", action="store_true",
                        help="only copy the course into DIR; start no Jupyter")


def inside_jupyter(environ=None):
    """True in a terminal or kernel that a Jupyter server started (there is a Jupyter to open it in)."""
    environ = os.environ if environ is None else environ
    return any(environ.get(name) for name in INSIDE_JUPYTER_VARS)


def jupyter_command(front_end, browser=True, as_root=None):
    """The command line that serves the current folder and opens the first notebook."""
    # `python -m jupyterlab`, not `jupyter lab`: it needs no script on PATH.
    # The root is the course folder itself: given only a file, Jupyter would serve the file's own folder
    # (notebooks/), and the file browser would not show exercises/.
    command = [sys.executable, "-m", FRONT_ENDS[front_end][0], "--ServerApp.root_dir=.", workspace.FIRST_NOTEBOOK]
    if not browser:
        command.append("--no-browser")
    if as_root is None:
        as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        command.append("--allow-root")  # Jupyter refuses to run as root without it
    return command


def jupyter_environment(environ=None):
    """The server's environment: this Python's scripts folder first on PATH.

    Terminals opened in JupyterLab inherit it, so ``backprop-course grade`` and ``pytest`` work there
    as written even when you never activated the virtual environment.
    """
    env = dict(os.environ if environ is None else environ)
    scripts = str(Path(sys.executable).parent)
    path = env.get("PATH", "")
    if scripts not in path.split(os.pathsep):
        env["PATH"] = scripts + (os.pathsep + path if path else "")
    return env


def _report_existing(folder):
    pending = workspace.sync(folder, dry_run=True)
    if pending.changes:
        print(f"The course has {pending.changes} new or changed file(s) for this folder; your files stay as they "
              f"are. To bring them in (your edits always win), run:\n"
              f"    backprop-course update {folder}")
        print(pending.text())
    else:
        print("Your copy of the course is up to date.")


def run(args):
    folder = Path(args.folder).expanduser()
    try:
        if workspace.read_manifest(folder) is None:
            report = workspace.sync(folder)
            if report.changes == len(report.added):  # a fresh copy: a summary, not 26 lines
                notebooks = sum(1 for p in report.added if p.startswith("notebooks/"))
                print(f"Copied the course into {report.folder}: {notebooks} notebooks in notebooks/, "
                      f"{len(report.added) - notebooks} files in exercises/.")
            else:
                print(f"Copied the course into {report.folder}:")
                print(report.text())
        else:
            print(f"Your course folder: {folder.resolve()}")
            _report_existing(folder)
    except (OSError, ValueError) as exc:
        print(f"backprop-course start: {exc}", file=sys.stderr)
        return 2
    module, name = FRONT_ENDS[args.front_end]
    first = folder / workspace.FIRST_NOTEBOOK
    if args.copy_only or inside_jupyter():
        why = "" if args.copy_only else " (this is already a Jupyter session, so no new one is started)"
        print(f"\nOpen {first} in Jupyter's file browser to begin{why}.")
        return 0
    if importlib.util.find_spec(module) is None:
        other = "leave out --notebook to use JupyterLab" if args.front_end == "notebook" else \
            "add --notebook to use Jupyter Notebook 7, if it is installed"
        print(f"backprop-course start: {name} is not installed in this Python ({sys.executable}). Install it:\n"
              f"    {sys.executable} -m pip install {module}\n"
              f"or {other}.", file=sys.stderr)
        return 1
    command = jupyter_command(args.front_end, browser=not args.no_browser)
    print(f"\nStarting {name} in {folder.resolve()} (Ctrl-C stops it). In its terminals, grade with\n"
          f"    backprop-course grade")
    return serve(command, cwd=folder, env=jupyter_environment())
