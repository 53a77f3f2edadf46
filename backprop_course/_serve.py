"""Run a server command in the foreground until it ends, Ctrl-C or SIGTERM (``start`` and ``demo`` use it)."""

import signal
import socket
import subprocess
import time

READY_TIMEOUT = 180          # seconds a server may take to start listening


def _answers(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def serve(command, wait_for=None, on_ready=None, **popen_kwargs):
    """Run `command` and wait for it; Ctrl-C or a SIGTERM to this process stops it too.

    Parameters
    ----------
    command : list of str
    wait_for : (host, port), optional
        Where the server will listen: once it accepts connections there, `on_ready()` is called
        (to print the address, open a browser). If the server ends first, it is not called.
    on_ready : callable, optional
    **popen_kwargs
        Passed to ``subprocess.Popen`` (cwd, env, ...).

    Returns
    -------
    int
        The server's exit code, or 0 when Ctrl-C or SIGTERM stopped it.
    """
    server = subprocess.Popen(command, **popen_kwargs)
    stopped = []

    def stop(signum, frame):  # a terminated command takes its server with it
        stopped.append(signum)
        server.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        if wait_for is not None:
            deadline = time.monotonic() + READY_TIMEOUT
            while server.poll() is None and time.monotonic() < deadline:
                if _answers(*wait_for):
                    if on_ready is not None and server.poll() is None:
                        on_ready()
                    break
                time.sleep(0.2)
        code = server.wait()
        return 0 if stopped else code
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
