"""``backprop-course demo``: serve the training playground as a page with no code (voila).

voila runs ``notebooks/13_playground.ipynb`` in a kernel and shows only its outputs, the
playground's controls and views. It is an optional extra: ``pip install 'backprop-course[demo]'``.
"""

import importlib.util
import shlex
import subprocess
import sys
from pathlib import Path

NOTEBOOK = Path("notebooks") / "13_playground.ipynb"


def find_notebook(path=None):
    """The playground notebook: `path`, else ./notebooks/, else the checkout this package runs from."""
    candidates = [Path(path)] if path else [Path.cwd() / NOTEBOOK, Path(__file__).resolve().parents[1] / NOTEBOOK]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def voila_command(notebook, port=8866, ip="127.0.0.1", browser=True):
    """The command line that serves `notebook` with voila."""
    cmd = [sys.executable, "-m", "voila", str(notebook), f"--port={int(port)}", f"--Voila.ip={ip}"]
    if not browser:
        cmd.append("--no-browser")
    return cmd


def add_arguments(parser):
    parser.add_argument("--notebook", default=None,
                        help=f"the notebook to serve (default: {NOTEBOOK} here or in the course checkout)")
    parser.add_argument("--port", type=int, default=8866, help="port to serve on (default 8866)")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 to show it to a network)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    parser.add_argument("--print-command", action="store_true", help="print the voila command and exit")


def run(args):
    notebook = find_notebook(args.notebook)
    if notebook is None:
        where = args.notebook or f"{NOTEBOOK} (in this folder or the course checkout)"
        print(f"backprop-course demo: cannot find the playground notebook {where}. "
              f"Run the command from the course folder, or pass --notebook PATH.", file=sys.stderr)
        return 2
    cmd = voila_command(notebook, args.port, args.ip, browser=not args.no_browser)
    if args.print_command:
        print(shlex.join(cmd))
        return 0
    if importlib.util.find_spec("voila") is None:
        print("backprop-course demo needs voila, which is not installed. Install the demo extra:\n"
              "    pip install 'backprop-course[demo]'\n"
              f"or open {notebook} in JupyterLab and run all cells.", file=sys.stderr)
        return 1
    print(f"serving {notebook.name} at http://{args.ip}:{args.port}/  (Ctrl-C stops)")
    try:
        return subprocess.call(cmd, cwd=notebook.parent)
    except KeyboardInterrupt:
        return 0
