"""The README's "Self-study quick start", run as written in a scratch copy of the repository.

The commands are read from the README itself: the environment block (venv, activate, pip install),
``make course``, the terminal grading command and the notebook's check cell. Each runs as written:

- the environment block in bash, in the scratch copy;
- ``make course`` in a terminal that was *not* activated: JupyterLab must serve the whole course
  folder (``exercises/`` visible) and give its own terminals the environment's ``PATH``; the grading
  command then runs in a real JupyterLab terminal (over its websocket), and the check cell in a real
  notebook kernel that JupyterLab started for notebook 01;
- the grading command again in an activated terminal of the system, from ``notebooks/`` (the README
  says it works from anywhere in the course folder).

Only the network is replaced: pip installs offline (``PIP_NO_INDEX``, no build isolation) and finds
the dependencies among this test environment's packages (``PYTHONPATH`` to a folder of links to them,
without backprop_course itself), so the scratch copy's ``pip install -e .`` installs the scratch copy.
The browser is never opened (``BROWSER=true``, and Jupyter's ``open_browser`` off).
"""

import json
import os
import pty
import re
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
pytestmark = pytest.mark.timeout(900)          # pip, JupyterLab and a kernel in a fresh environment


def quick_start():
    """The quick start section's fenced blocks: [(language, text)]."""
    section = README.split("## Self-study quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```(\w+)\n(.*?)```", section, re.S)


def block(language, containing):
    found = [text for lang, text in quick_start() if lang == language and containing in text]
    assert found, f"the README's quick start has no {language} block with {containing!r}"
    return found[0]


def line(language, starting):
    found = [ln for _, text in quick_start() for ln in text.splitlines() if ln.startswith(starting)]
    assert found, f"the README's quick start has no command starting with {starting!r}"
    return found[0]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    if shutil.which("make") is None or shutil.which("python3") is None:
        pytest.skip("the quick start needs make and python3")
    python3 = subprocess.run(["python3", "-c", "import sys; print(sys.version_info[:2])"], capture_output=True,
                             text=True).stdout.strip()
    if python3 != str(sys.version_info[:2]):
        pytest.skip(f"python3 is {python3}, not this environment's {sys.version_info[:2]}: its packages cannot be "
                    f"lent to the scratch environment")
    base = tmp_path_factory.mktemp("quickstart")
    from built_package import LEFT_OUT

    course = base / "backprop-course"
    shutil.copytree(REPO, course, ignore=LEFT_OUT)
    lent = base / "lent"
    lent.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.startswith(("backprop_course", "__editable__", "_backprop")) and entry.suffix != ".pth":
            (lent / entry.name).symlink_to(entry)
    config = base / "jupyter-config"
    (config / "jupyter_server_config.d").mkdir(parents=True)
    for found in Path(sys.prefix, "etc", "jupyter", "jupyter_server_config.d").glob("*.json"):
        shutil.copy(found, config / "jupyter_server_config.d" / found.name)
    port, token = free_port(), uuid.uuid4().hex
    (config / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"open_browser": False, "port": port, "port_retries": 0, "ip": "127.0.0.1",
                      "jpserver_extensions": {"jupyterlab": True, "jupyter_server_terminals": True}},
        "IdentityProvider": {"token": token}}))
    here = str(Path(sys.executable).parent)
    path = os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep) if p != here)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("JUPYTER", "JPY", "VIRTUAL_ENV", "PYTHON", "PIP_", "BACKPROP_EXERCISES"))}
    env.update(PATH=path, PYTHONPATH=str(lent), PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0",
               PIP_DISABLE_PIP_VERSION_CHECK="1", HOME=str(base / "home"), BROWSER="true", MPLBACKEND="Agg",
               JUPYTER_CONFIG_DIR=str(config), JUPYTER_DATA_DIR=str(base / "jupyter-data"),
               JUPYTER_RUNTIME_DIR=str(base / "jupyter-runtime"), IPYTHONDIR=str(base / "ipython"),
               PYTHONDONTWRITEBYTECODE="1")
    (base / "home").mkdir()
    setup = block("bash", "python3 -m venv .venv")
    done = subprocess.run(["bash", "-e", "-c", setup], cwd=course, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, f"the quick start's first block failed:\n{setup}\n{done.stdout[-3000:]}{done.stderr}"
    return {"course": course, "env": env, "port": port, "token": token, "activate": setup.splitlines()[1]}


def activated(scratch, command, folder="."):
    """`command` in a new terminal of the system, activated in the clone (the quick start's line), then in `folder`."""
    return subprocess.run(["bash", "-c", f"{scratch['activate']} && cd {folder} && {command}"], cwd=scratch["course"],
                          env=scratch["env"], capture_output=True, text=True, timeout=300)


def test_the_environment_block_installs_the_scratch_copy(scratch):
    found = activated(scratch, "python -c 'import backprop_course; print(backprop_course.__file__)'")
    assert found.stdout.strip() == str(scratch["course"] / "backprop_course" / "__init__.py"), found.stderr


def test_grading_in_an_activated_system_terminal_works_as_written(scratch):
    command = line("bash", "backprop-course grade --exercise")
    done = activated(scratch, command, "notebooks")
    assert done.returncode == 1, done.stderr                               # a stub: graded, not passed
    assert re.search(r"ex01_sigmoid\s+0\s+10\s+not implemented", done.stdout), done.stdout + done.stderr
    assert "backprop-course doctor" in README.split("## Self-study quick start", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def lab(scratch):
    """`make course`, as written, in a terminal (a pseudo-terminal) that was not activated; stopped at the end.

    A learner types it in a terminal. (Started without one, Jupyter gives its terminals a login shell,
    and Debian's /etc/profile then resets PATH: that case is not the quick start's.)
    """
    command = line("bash", "make course")
    ours, theirs = pty.openpty()
    server = subprocess.Popen(["bash", "-c", command], cwd=scratch["course"], env=scratch["env"], stdin=theirs,
                              stdout=theirs, stderr=theirs, start_new_session=True)
    os.close(theirs)
    said = []
    threading.Thread(target=drain, args=(ours, said), daemon=True).start()
    url = f"http://127.0.0.1:{scratch['port']}"
    deadline = time.monotonic() + 300
    try:
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={scratch['token']}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"`{command}` did not start JupyterLab:\n{b''.join(said)[-4000:].decode()}")
                time.sleep(0.5)
        yield {"url": url, "token": scratch["token"], "server": server}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def drain(fd, into):
    """Read a pseudo-terminal until it closes (so the server never blocks on a full one)."""
    while True:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        into.append(data)
    os.close(fd)


def api(lab, path, method="GET", body=None):
    request = urllib.request.Request(f"{lab['url']}{path}?token={lab['token']}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def websocket(lab, path):
    import websocket as ws

    return ws.create_connection(f"{lab['url'].replace('http', 'ws')}{path}?token={lab['token']}", timeout=120)


def test_make_course_serves_the_whole_course_folder(lab):
    names = {entry["name"] for entry in api(lab, "/api/contents")["content"]}
    assert {"exercises", "notebooks"} <= names
    assert "ex01_sigmoid.py" in {entry["name"] for entry in api(lab, "/api/contents/exercises")["content"]}


def test_a_terminal_inside_jupyterlab_grades_as_written(lab):
    command = line("bash", "backprop-course grade --exercise")
    name = api(lab, "/api/terminals", "POST", {})["name"]
    conn = websocket(lab, f"/terminals/websocket/{name}")
    try:
        conn.send(json.dumps(["stdin", f"{command}; echo QUICKSTART-DONE-$?\r"]))
        out, deadline = "", time.monotonic() + 240
        while time.monotonic() < deadline and not re.search(r"QUICKSTART-DONE-\d", out.split("echo QUICKSTART")[-1]):
            message = json.loads(conn.recv())
            if message[0] == "stdout":
                out += message[1]
    finally:
        conn.close()
        api(lab, f"/api/terminals/{name}", "DELETE")
    assert "command not found" not in out and re.search(r"ex01_sigmoid\s+0\s+10\s+not implemented", out), out[-3000:]


def test_the_notebooks_check_cell_grades_in_a_kernel_jupyterlab_started(lab):
    code = block("python", "check(")
    session = api(lab, "/api/sessions", "POST", {"path": "notebooks/01_neuron_and_sigmoid.ipynb", "type": "notebook",
                                                  "name": "01_neuron_and_sigmoid.ipynb", "kernel": {"name": "python3"}})
    kernel = session["kernel"]["id"]
    conn = websocket(lab, f"/api/kernels/{kernel}/channels")
    msg_id = uuid.uuid4().hex
    try:
        conn.send(json.dumps({"header": {"msg_id": msg_id, "username": "test", "session": uuid.uuid4().hex,
                                         "msg_type": "execute_request", "version": "5.3"},
                              "parent_header": {}, "metadata": {}, "channel": "shell",
                              "content": {"code": code, "silent": False, "store_history": False,
                                          "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        shown, deadline = [], time.monotonic() + 240
        while time.monotonic() < deadline:
            message = json.loads(conn.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["msg_type"], message["content"]
            if kind in ("execute_result", "display_data"):
                shown.append(content["data"].get("text/plain", ""))
            elif kind in ("stream", "error"):
                shown.append(content.get("text") or "\n".join(content.get("traceback", [])))
            elif kind == "status" and content["execution_state"] == "idle":
                break
    finally:
        conn.close()
        api(lab, f"/api/sessions/{session['id']}", "DELETE")
    text = "\n".join(shown)
    assert "ex01_sigmoid: 0/10 (not implemented)" in text, text[-3000:]
