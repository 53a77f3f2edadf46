"""``backprop-course demo``: serve the training playground as a page with no code (voila).

voila runs ``notebooks/18_playground.ipynb`` in a kernel and shows only its outputs, the
playground's controls and views. It is an optional extra: ``pip install 'backprop-course[demo]'``.

    backprop-course demo --list-presets                    # the prepared moments, one line each
    backprop-course demo                                   # the default playground
    backprop-course demo --preset lr-too-high --presenter  # a lecture moment, projector-sized
    backprop-course demo --preset lecture3.json            # a moment saved with save_preset
    backprop-course demo --plan docs/lecture.toml          # a lecture: Previous / Next, or the arrow keys

Everything the command is given (preset names, control names, preset files, the plan) is checked
before the server starts: a mistake is an error on the terminal, with the closest names, never a
warning on the projected page. The page reads ``?preset=...&presenter=1&hide=...&plan=...&moment=...``
and any playground setting (``&alpha=0.03``) from its address, so one server serves every moment.
The command prints the address once the server answers on it: it chooses a free port itself (the
one asked for, or the next free one) and starts voila on exactly that port.
"""

import errno
import importlib.util
import os
import shlex
import socket
import sys
from pathlib import Path

from ._serve import serve

NOTEBOOK = Path("notebooks") / "18_playground.ipynb"
DEFAULT_PORT = 8866
PORTS_TO_TRY = 50                       # as many as voila itself would try


class DemoError(Exception):
    """What is wrong with the command's arguments, said before any server starts."""


def find_notebook(path=None):
    """The playground notebook: `path`, else ./notebooks/, else the checkout this package runs from."""
    candidates = [Path(path)] if path else [Path.cwd() / NOTEBOOK, Path(__file__).resolve().parents[1] / NOTEBOOK]
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None


def page_url(ip="127.0.0.1", port=DEFAULT_PORT, preset=None, presenter=False, hide=(), plan=None, moment=None):
    """The page's address; what it opens travels in the query (see ``Playground.from_query``).

    `preset` and `plan` are names as the page knows them: a built-in preset, or a file's name.
    """
    from urllib.parse import urlencode

    query = {}
    if preset:
        query["preset"] = preset
    if plan:
        query["plan"] = plan
    if moment and moment != 1:
        query["moment"] = str(moment)
    if presenter:
        query["presenter"] = "1"
    if hide:
        query["hide"] = ",".join(hide)
    host = "127.0.0.1" if ip in ("", "0.0.0.0") else ip        # what a browser on this machine opens
    return f"http://{host}:{int(port)}/" + (f"?{urlencode(query, safe=',')}" if query else "")


def voila_command(notebook, port=DEFAULT_PORT, ip="127.0.0.1"):
    """The command line that serves `notebook` with voila on exactly `port` (never another one)."""
    return [sys.executable, "-m", "voila", str(notebook), "--no-browser", f"--port={int(port)}", f"--Voila.ip={ip}",
            "--Voila.port_retries=0"]


# -- the port -------------------------------------------------------------------------------------------

def port_is_free(ip, port):
    """True if a server could listen on (ip, port) now: every address `ip` stands for is free."""
    try:
        addresses = socket.getaddrinfo(ip or "0.0.0.0", port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise DemoError(f"cannot listen on --ip {ip!r}: {exc.strerror}.") from None
    for family, kind, proto, _, address in addresses:
        with socket.socket(family, kind, proto) as probe:
            try:
                probe.bind(address)
            except OSError as exc:
                if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                    return False
                if exc.errno == errno.EADDRNOTAVAIL:
                    raise DemoError(f"this machine has no address {ip!r} to listen on (--ip).") from None
                raise
    return True


def choose_port(ip, port):
    """`port` if it is free, else the next free one; (port, note saying why it moved or None)."""
    for candidate in range(port, port + PORTS_TO_TRY):
        if 0 < candidate < 65536 and port_is_free(ip, candidate):
            note = None if candidate == port else f"port {port} is in use; the demo takes port {candidate}"
            return candidate, note
    raise DemoError(f"ports {port} to {port + PORTS_TO_TRY - 1} are all in use on {ip}; choose another with --port.")


# -- what the command is given, checked before the server starts ---------------------------------------------

def _controls():
    from .widgets.playground import Playground  # matplotlib and ipywidgets: only when hide= needs checking

    return Playground.CONTROLS


def check_request(args):
    """Check the preset, hidden controls and plan; returns (page query dict, files to hand to the kernel).

    Raises
    ------
    DemoError
        With the closest names for a misspelt preset or control, and the file and moment of a bad plan.
    """
    from .plan import PlanError, load_plan, load_preset_file
    from .playground import PRESETS, unknown_names_error

    hide = tuple(h.strip() for h in args.hide.split(",") if h.strip())
    files, preset, plan = [], args.preset, None
    if args.plan is None and args.moment != 1:
        raise DemoError("--moment chooses a moment of a plan: give the plan with --plan FILE.toml.")
    if args.plan is not None and preset is not None:
        raise DemoError("--preset and --plan: choose one (each moment of a plan names its own preset).")
    try:
        if hide:
            unknown = [h for h in hide if h not in _controls()]
            if unknown:
                raise DemoError(f"--hide: {unknown_names_error('control', unknown, _controls())}")
        if preset is not None and preset.endswith(".json"):
            path = Path(preset).expanduser()
            if not path.is_file():
                raise DemoError(f"--preset: there is no preset file {path}.")
            load_preset_file(path, controls=_controls())
            files.append(path.resolve())
            preset = path.name                                    # the page opens it by its name
        elif preset is not None and preset not in PRESETS:
            raise DemoError(f"--preset: {unknown_names_error('preset', [preset], list(PRESETS))} "
                            f"A preset saved with save_preset is a file name ending in .json; "
                            f"--list-presets lists the built-in ones.")
        if args.plan is not None:
            path = Path(args.plan).expanduser()
            plan = load_plan(path, controls=_controls())
            if not 1 <= args.moment <= len(plan.moments):
                raise DemoError(f"--moment {args.moment}: the plan {path} has moments 1 to {len(plan.moments)}.")
            files.append(plan.path)
    except PlanError as exc:
        raise DemoError(str(exc)) from None
    names = [f.name for f in files]
    if len(set(names)) < len(names):
        raise DemoError(f"the preset file and the plan have the same name {names[0]!r}; rename one of them.")
    query = {"preset": preset, "presenter": args.presenter, "hide": hide,
             "plan": plan.name if plan else None, "moment": args.moment}
    return query, files


def list_presets():
    """One line per built-in preset: its name and what it shows."""
    from .playground import PRESET_DESCRIPTIONS

    width = max(map(len, PRESET_DESCRIPTIONS))
    return "\n".join(f"{name:{width}s}  {text}" for name, text in PRESET_DESCRIPTIONS.items())


def add_arguments(parser):
    parser.add_argument("--list-presets", action="store_true", help="list the built-in presets and exit")
    parser.add_argument("--notebook", default=None,
                        help=f"the notebook to serve (default: {NOTEBOOK} here or in the course checkout)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to serve on (default {DEFAULT_PORT}); if it is in use, the next free one")
    parser.add_argument("--ip", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1; 0.0.0.0 to show it to a network)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser tab")
    parser.add_argument("--preset", default=None, metavar="NAME|FILE.json",
                        help="open at a built-in preset (--list-presets) or at a .json file saved with save_preset")
    parser.add_argument("--plan", default=None, metavar="FILE.toml",
                        help="serve a lecture plan, stepped through with Previous / Next or the arrow keys "
                             "(format: docs/lecture.toml)")
    parser.add_argument("--moment", type=int, default=1, help="the plan's moment to open at (default 1)")
    parser.add_argument("--presenter", action="store_true", help="projector mode: big type, thick lines")
    parser.add_argument("--hide", default="", help="controls to hide, comma-separated, e.g. output,batch_size")
    parser.add_argument("--print-command", action="store_true", help="print the voila command and exit")


def _fail(message, code=2):
    print(f"backprop-course demo: {message}", file=sys.stderr)
    return code


def run(args):
    if args.list_presets:
        print(list_presets())
        return 0
    notebook = find_notebook(args.notebook)
    if notebook is None:
        where = args.notebook or f"{NOTEBOOK} (in this folder or the course checkout)"
        return _fail(f"cannot find the playground notebook {where}. Run the command from the course folder, "
                     f"or pass --notebook PATH.")
    try:
        query, files = check_request(args)
        port, moved = (args.port, None) if args.print_command else choose_port(args.ip, args.port)
    except DemoError as exc:
        return _fail(exc)
    url = page_url(args.ip, port, **query)
    cmd = voila_command(notebook, port, args.ip)
    if args.print_command:
        print(shlex.join(cmd))
        print(url)
        return 0
    if importlib.util.find_spec("voila") is None:
        return _fail("voila, which serves the page, is not installed. Install the demo extra:\n"
                     "    pip install 'backprop-course[demo]'\n"
                     f"or open {notebook} in JupyterLab and run all cells.", code=1)
    from .plan import DEMO_FILES

    env = dict(os.environ, **{DEMO_FILES: os.pathsep.join(map(str, files))})
    if moved:
        print(moved, flush=True)
    print(f"starting voila for {notebook.name} on port {port} ...", flush=True)

    def ready():
        print(f"The demo is ready at {url}  (Ctrl-C stops it)", flush=True)
        if not args.no_browser:
            import webbrowser

            webbrowser.open(url)

    host = "127.0.0.1" if args.ip in ("", "0.0.0.0") else args.ip
    code = serve(cmd, cwd=notebook.parent, env=env, wait_for=(host, port), on_ready=ready)
    if code:
        print(f"backprop-course demo: voila stopped with exit code {code}; its messages are above.", file=sys.stderr)
    return code
