"""The grading child process: runs one exercise's calls on a learner's code and reports raw outputs.

Started by :mod:`backprop_course.grading.harness` as
``python -m backprop_course.grading._child EXERCISE STAGING_DIR FD MEM_BYTES CPU_SECONDS OUTPUT_BYTES``.
It limits its own resources, replaces the library functions the exercise must not call with
tripwires, imports the learner's module and calls it on every case. It never scores anything:
it only sends what the learner's functions returned (and the inputs as they were after each call)
as frames on file descriptor FD. Whatever the learner's code does here (monkeypatching, printing,
exiting) can only change what is sent; the parent checks it against its own reference.
"""

import sys


def _limit_resources(mem_bytes, cpu_seconds, output_bytes):
    import resource
    import signal

    # Python ignores SIGXFSZ; restore the default so printing past the output limit ends the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_DFL)

    for limit, value in ((resource.RLIMIT_AS, mem_bytes), (resource.RLIMIT_CPU, cpu_seconds),
                         (resource.RLIMIT_FSIZE, output_bytes), (resource.RLIMIT_CORE, 0)):
        try:
            soft, hard = resource.getrlimit(limit)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (value, hard))
        except (ValueError, OSError):
            pass


def _install_tripwires(exercise, fd, write_frame):
    """Replace the forbidden library functions, wherever the library holds them, by tripwires."""
    import importlib
    from types import SimpleNamespace

    wires = {}
    keep = []
    for dotted in exercise.forbidden:
        module_name, attr = dotted.rsplit(".", 1)
        original = getattr(importlib.import_module(module_name), attr)
        keep.append(original)
        public = dotted.replace("backprop_course.", "bp.", 1)

        def tripwire(*args, _name=public, **kwargs):
            write_frame(fd, {"type": "forbidden", "name": _name})
            raise RuntimeError(f"{_name} is the library's own solution of this exercise; the grader does not "
                               f"allow calling it here. Write the computation yourself.")

        wires[id(original)] = tripwire

    def patch(container):
        items = vars(container).items() if not isinstance(container, dict) else container.items()
        for key, value in list(items):
            try:
                replacement = wires.get(id(value))
            except TypeError:
                continue
            if replacement is not None:
                if isinstance(container, dict):
                    container[key] = replacement
                else:
                    setattr(container, key, replacement)
            elif isinstance(value, dict) and container is not value:
                patch_values(value)
            elif isinstance(value, SimpleNamespace):
                patch(value)

    def patch_values(mapping):
        for key, value in list(mapping.items()):
            if id(value) in wires:
                mapping[key] = wires[id(value)]
            elif isinstance(value, SimpleNamespace):
                patch(value)

    for name, module in list(sys.modules.items()):
        if (name == "backprop_course" or name.startswith("backprop_course.")) and module is not None:
            patch(module)
    return keep


def main(argv):
    exercise_name, staging, fd = argv[0], argv[1], int(argv[2])
    mem_bytes, cpu_seconds, output_bytes = (int(v) for v in argv[3:6])
    _limit_resources(mem_bytes, cpu_seconds, output_bytes)

    import copy
    import importlib
    import os
    import traceback
    import warnings

    import numpy as np

    import backprop_course  # noqa: F401  (the tripwires patch the loaded library)
    from backprop_course.grading import spec
    from backprop_course.grading.exercises import get
    from backprop_course.grading.wire import encode, write_frame

    exercise = get(exercise_name)
    cases = spec.build(exercise.name).cases
    _keep = _install_tripwires(exercise, fd, write_frame)  # noqa: F841  (originals stay alive)

    def short_traceback(exc):
        frames = traceback.extract_tb(exc.__traceback__)
        mine = [f for f in frames if f.filename.startswith(staging)]
        where = f" (in {os.path.basename(mine[-1].filename)}, line {mine[-1].lineno}: {mine[-1].line})" if mine else ""
        return f"{type(exc).__name__}: {str(exc)[:600]}{where}"

    sys.path.insert(0, staging)
    write_frame(fd, {"type": "start"})
    try:
        module = importlib.import_module(exercise.name)
    except BaseException as exc:  # SyntaxError, ImportError, SystemExit at import time, ...
        write_frame(fd, {"type": "import_error", "error_type": type(exc).__name__,
                         "error": short_traceback(exc) if not isinstance(exc, SyntaxError) else
                         f"SyntaxError: {exc.msg} (line {exc.lineno}: {(exc.text or '').strip()})"})
        os._exit(0)
    write_frame(fd, {"type": "imported"})

    for case in cases:
        frame = {"type": "case", "id": case.id}
        function = getattr(module, case.func, None)
        if not callable(function):
            frame.update(ok=False, error_type="MissingFunction",
                         error=f"{exercise.filename} defines no function {case.func}()")
            write_frame(fd, frame)
            continue
        args = copy.deepcopy(case.args)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with np.errstate(over="warn", invalid="warn", divide="warn"):
                    value = function(*args)
                frame.update(ok=True, value=encode(value))
            except SystemExit as exc:
                frame.update(ok=False, error_type="SystemExit",
                             error=f"your code called sys.exit({exc.code!r}) or exit()")
                write_frame(fd, frame)
                os._exit(3)
            except BaseException as exc:  # a learner's exception is a failed case, not a crash
                frame.update(ok=False, error_type=type(exc).__name__, error=short_traceback(exc))
        frame["warnings"] = [str(w.message)[:200] for w in caught[:20]]
        frame["args_after"] = encode(args)
        write_frame(fd, frame)
    write_frame(fd, {"type": "done"})
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
