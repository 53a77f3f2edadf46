"""``backprop-course demo``: serve the training playground as a page with no code (voila).

voila runs ``notebooks/13_playground.ipynb`` in a kernel and shows only its outputs, the
playground's controls and views. It is an optional extra: ``pip install 'backprop-course[demo]'``.

    backprop-course demo                                  # the default playground
    backprop-course demo --preset lr-too-high --presenter # a lecture moment, projector-sized

The page reads ``?preset=...&presenter=1&hide=...`` from its address, so one server serves every
moment: open ``http://127.0.0.1:8866/?preset=overfitting&presenter=1`` in another tab.
"""

import importlib.util
import shlex
import sys
from pathlib import Path

from ._serve import serve

NOTEBOOK = Path("notebooks") / "13_playground.ipynb"


def find_notebook(path=None):
    """The playground notebook: `path`, else ./notebooks/, else the checkout this package runs from."""
    candidates = [Path(path)] if path else [Path.cwd() / NOTEBOOK, Path(__file__).resolve().parents[1] / NOTEBOOK]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def page_url(ip="127.0.0.1", port=8866, preset=None, presenter=False, hide=()):
    """The page's address; preset, presenter and hide travel in the query (see ``Playground.from_query``)."""
    from urllib.parse import urlencode

    query = {}
    if preset:
        query["preset"] = preset
    if presenter:
        query["presenter"] = "1"
    if hide:
        query["hide"] = ",".join(hide)
    return f"http://{ip}:{int(port)}/" + (f"?{urlencode(query, safe=',')}" if query else "")


def _open_when_ready(url, ip, port, timeout=120):
    """Open `url` in a browser as soon as the server accepts connections (from a background thread)."""
    import socket
    import threading
    import time
    import webbrowser

    def wait_and_open():
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((ip, port), timeout=1):
                    webbrowser.open(url)
                    return
            except OSError:
                time.sleep(0.5)

    threading.Thread(target=wait_and_open, daemon=True).start()


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
    parser.add_argument("--preset", default=None, help="open at a preset, e.g. lr-too-high")
    parser.add_argument("--presenter", action="store_true", help="projector mode: big type, thick lines")
    parser.add_argument("--hide", default="", help="controls to hide, comma-separated, e.g. output,batch_size")
    parser.add_argument("--print-command", action="store_true", help="print the voila command and exit")


def run(args):
    notebook = find_notebook(args.notebook)
    if notebook is None:
        where = args.notebook or f"{NOTEBOOK} (in this folder or the course checkout)"
        print(f"backprop-course demo: cannot find the playground notebook {where}. "
              f"Run the command from the course folder, or pass --notebook PATH.", file=sys.stderr)
        return 2
    hide = tuple(h for h in args.hide.split(",") if h)
    url = page_url(args.ip, args.port, args.preset, args.presenter, hide)
    custom = "?" in url                  # a query: we open the page ourselves, with it
    cmd = voila_command(notebook, args.port, args.ip, browser=not (args.no_browser or custom))
    if args.print_command:
        print(shlex.join(cmd))
        print(url)
        return 0
    if importlib.util.find_spec("voila") is None:
        print("backprop-course demo needs voila, which is not installed. Install the demo extra:\n"
              "    pip install 'backprop-course[demo]'\n"
              f"or open {notebook} in JupyterLab and run all cells.", file=sys.stderr)
        return 1
    print(f"serving {notebook.name} at {url}  (Ctrl-C stops)")
    if custom and not args.no_browser:
        _open_when_ready(url, args.ip, args.port)
    return serve(cmd, cwd=notebook.parent)
