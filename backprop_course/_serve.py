"""Run a server command in the foreground until it ends, Ctrl-C or SIGTERM (``start`` and ``demo`` use it)."""

import signal
import subprocess


def serve(command, **popen_kwargs):
    """Run `command` and wait for it; Ctrl-C or a SIGTERM to this process stops it too. Returns its exit code."""
    server = subprocess.Popen(command, **popen_kwargs)

    def stop(signum, frame):  # a terminated command takes its server with it
        server.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        server.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
