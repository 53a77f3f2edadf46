"""Generate the learner's ``exercises/*.py`` stubs from the reference solutions (one source).

Every block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` in ``backprop_course/grading/solutions/``
(in a checkout of the repository only) becomes a hint (equation labels, expected shape, size of the
answer) and a ``NotImplementedError`` that names the exercise, the notebook and the equations.

A find-the-bug exercise (14) hands the learner broken code instead: a ``# BEGIN BUGGY`` ... ``# END BUGGY``
block, whose lines are commented out in the solution file, immediately followed by the solution block
that fixes it. The stub gets the buggy lines, uncommented, and nothing of the fix.

    python -m backprop_course.grading.make_stubs            # write exercises/*.py
    python -m backprop_course.grading.make_stubs --check    # exit 1 if a stub is out of date

``tests/test_grading_stubs.py`` runs the check and also asserts that no solution line and no marker
survives in a stub.
"""

import argparse
import re
import shlex
import shutil
import sys
import textwrap
from pathlib import Path

from .cases import EXERCISES, SOLUTIONS_DIR

BEGIN = "# BEGIN SOLUTION"
END = "# END SOLUTION"
BEGIN_BUGGY = "# BEGIN BUGGY"
END_BUGGY = "# END BUGGY"
_DEF = re.compile(r"^def (\w+)\(")


def stub_for(exercise, source):
    """The stub text for one exercise, given its solution file's text."""
    out, function, inside, buggy, fixes = [], None, False, None, False
    for number, line in enumerate(source.splitlines(), start=1):
        match = _DEF.match(line)
        if match:
            function = match.group(1)
        stripped = line.strip()
        if buggy is not None:
            if stripped.startswith(END_BUGGY):
                if not any(part.strip() for part in buggy):
                    raise ValueError(f"{exercise.filename}:{number}: an empty {BEGIN_BUGGY} block")
                out.extend(buggy)
                buggy, fixes = None, True
            elif stripped.startswith((BEGIN, END, BEGIN_BUGGY)):
                raise ValueError(f"{exercise.filename}:{number}: {stripped} inside a {BEGIN_BUGGY} block")
            else:
                buggy.append(_uncomment(exercise, number, line))
            continue
        if stripped.startswith(BEGIN_BUGGY):
            if inside:
                raise ValueError(f"{exercise.filename}:{number}: {BEGIN_BUGGY} inside a solution block")
            buggy = []
            continue
        if fixes and not inside and not stripped.startswith(BEGIN):
            raise ValueError(f"{exercise.filename}:{number}: a {BEGIN_BUGGY} block must be followed at once by "
                             f"the {BEGIN} block that fixes it")
        if stripped.startswith(BEGIN):
            if inside:
                raise ValueError(f"{exercise.filename}:{number}: nested {BEGIN}")
            if not fixes and function not in exercise.hints:
                raise ValueError(f"{exercise.filename}:{number}: no hint for function {function!r} in cases.py")
            inside = True
            if not fixes:                      # a fix leaves nothing in the stub: its bug is already there
                indent = line[: len(line) - len(line.lstrip())]
                out.extend(_stub_body(exercise, function, indent))
            continue
        if stripped.startswith(END):
            if not inside:
                raise ValueError(f"{exercise.filename}:{number}: {END} without {BEGIN}")
            inside, fixes = False, False
            continue
        if stripped.startswith(END_BUGGY):
            raise ValueError(f"{exercise.filename}:{number}: {END_BUGGY} without {BEGIN_BUGGY}")
        if not inside:
            out.append(line)
    if inside:
        raise ValueError(f"{exercise.filename}: {BEGIN} never closed")
    if fixes:
        raise ValueError(f"{exercise.filename}: the last {BEGIN_BUGGY} block has no {BEGIN} block after it")
    if buggy is not None:
        raise ValueError(f"{exercise.filename}: {BEGIN_BUGGY} never closed")
    return "\n".join(out) + "\n"


def _uncomment(exercise, number, line):
    """A buggy line as the learner gets it: the solution file keeps it commented out (``# `` after the indent)."""
    if not line.strip():
        return ""
    indent = line[: len(line) - len(line.lstrip())]
    body = line.lstrip()
    if not body.startswith("# "):
        raise ValueError(f"{exercise.filename}:{number}: a line of a {BEGIN_BUGGY} block must be commented out "
                         f"with '# ' in the solution file (the solution must run its fix, not the bug)")
    return indent + body[2:]


def _stub_body(exercise, function, indent):
    hint = exercise.hints[function]
    labels = f"{hint.labels}. " if hint.equations else ""
    text = (f"Hint: {labels}{hint.idea[0].upper()}{hint.idea[1:]}. "
            f"Result: {hint.shape}. Size: {hint.size}.")
    lines = [f"{indent}# {part}" for part in textwrap.wrap(text, width=100 - len(indent))]
    message = (f"{exercise.name}.{function} is not implemented yet: write it "
               f"{hint.write_it(exercise.notebook_path)}.")
    lines.append(f"{indent}raise NotImplementedError(")
    for chunk in textwrap.wrap(message, width=96 - len(indent), drop_whitespace=False):
        lines.append(f"{indent}    {chunk!r}")
    lines.append(f"{indent})")
    return lines


def solution_lines(source):
    """The stripped, non-empty lines inside solution blocks (what must never reach a stub).

    A fix's lines that its buggy block has too (the two versions share them) are left out: the stub
    has them by design.
    """
    lines = []
    for _, buggy, fix in _blocks(source):
        lines.extend(line for line in fix if line not in set(buggy or ()))
    return lines


def fixes_by_scope(source):
    """{function name, or None for the module level: the fix lines of its BUGGY blocks} (find-the-bug only).

    A fix may share a line with another function's code (every backprop has the right layer loop but
    one), so a find-the-bug stub is checked function by function: no fix line in its own function.
    """
    found = {}
    for scope, buggy, fix in _blocks(source):
        if buggy is not None:
            shared = {_code(line) for line in buggy}
            found.setdefault(scope, []).extend(_code(line) for line in fix if _code(line) not in shared)
    return found


def _code(line):
    """A line's code without its trailing comment, spaces collapsed: a fix is found whatever its spacing."""
    return " ".join(re.sub(r"\s#.*$", "", line).split())


def _with_scope(text):
    """(scope, line) for each line of `text`: the function it is in, or None at the module level."""
    scope = None
    for line in text.splitlines():
        match = _DEF.match(line)
        if match:
            scope = match.group(1)
        elif line and not line[0].isspace() and not line.startswith("#"):
            scope = None
        yield scope, line


def scopes(text):
    """{function name, or None for the module level: its non-empty lines, as code without comments} of a file."""
    found = {None: []}
    for scope, line in _with_scope(text):
        if line.strip():
            found.setdefault(scope, []).append(_code(line))
    return found


def _blocks(source):
    """(scope, buggy lines or None, fix lines) of every solution block, as stripped non-empty code lines."""
    blocks, buggy, current, mode = [], None, None, None
    for scope, line in _with_scope(source):
        stripped = line.strip()
        if stripped.startswith(BEGIN_BUGGY):
            mode, buggy = "buggy", []
        elif stripped.startswith(END_BUGGY):
            mode = None
        elif stripped.startswith(BEGIN):
            mode, current = "fix", []
        elif stripped.startswith(END):
            blocks.append((scope, buggy, current))
            mode, buggy = None, None
        elif mode == "buggy" and stripped.startswith("# "):
            buggy.append(stripped[2:].strip())
        elif mode == "fix" and stripped and not stripped.startswith("#"):
            current.append(stripped)
    return blocks


class StubError(Exception):
    """A solution that cannot make a stub (missing, unbalanced markers); the message says which and why."""


def expected_stubs():
    """{filename: stub text} for every exercise; raises StubError for a missing or malformed solution."""
    stubs = {}
    for ex in EXERCISES:
        path = SOLUTIONS_DIR / ex.filename
        if not path.is_file():
            raise StubError(f"{ex.name} is an exercise in backprop_course/grading/cases.py but has no reference "
                            f"solution {path}: write it, or remove the exercise's entry.")
        try:
            stubs[ex.filename] = stub_for(ex, path.read_text())
        except ValueError as exc:
            raise StubError(str(exc)) from None
    return stubs


_EXERCISE_FILE = re.compile(r"^ex\d\d_\w+\.py$")


def strays(out):
    """Exercise-like files that no exercise owns: stubs in `out` and solutions (e.g. of a dropped exercise)."""
    known = {ex.filename for ex in EXERCISES}
    stubs = sorted(p.name for p in Path(out).glob("ex*_*.py") if _EXERCISE_FILE.match(p.name) and p.name not in known)
    solutions = sorted(p.name for p in SOLUTIONS_DIR.glob("ex*_*.py") if p.name not in known)
    return stubs, solutions


def find_exercises_dir(start=None):
    """The repository's ``exercises/`` folder: next to the package's parent, else under the cwd."""
    here = Path(__file__).resolve().parents[2] / "exercises"
    if here.is_dir():
        return here
    return Path(start or Path.cwd()) / "exercises"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m backprop_course.grading.make_stubs",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="folder to write (default: the repo's exercises/)")
    parser.add_argument("--check", action="store_true", help="only check that the stubs are up to date")
    args = parser.parse_args(argv)
    out = args.out or find_exercises_dir()
    if not SOLUTIONS_DIR.is_dir():
        print(f"the reference solutions are not here ({SOLUTIONS_DIR}): stubs are made in a checkout of the "
              f"repository.")
        return 2
    try:
        stubs = expected_stubs()
    except StubError as exc:
        print(f"make_stubs: {exc}")
        return 1
    stale = []
    dropped, orphans = strays(out)
    for name in dropped:
        print(f"{out / name} belongs to no exercise of backprop_course/grading/cases.py (a dropped exercise?): "
              f"delete it, or add the exercise back.")
    for name in orphans:
        print(f"{SOLUTIONS_DIR / name} is a solution of no exercise of cases.py: delete it, or add its entry.")
    for filename, text in stubs.items():
        path = out / filename
        current = path.read_text() if path.exists() else None
        if current == text:
            continue
        stale.append(filename)
        if not args.check:
            out.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if args.check:
        if stale:
            print(f"out of date in {out}: {', '.join(stale)}; run {python_command()} -m "
                  f"backprop_course.grading.make_stubs")
        if stale or dropped or orphans:
            return 1
        print(f"all {len(EXERCISES)} stubs in {out} are up to date")
        return 0
    print(f"wrote {len(stale)} stub(s) to {out}" + (f": {', '.join(stale)}" if stale else ""))
    return 1 if dropped or orphans else 0


def python_command():
    """How to type this Python in a shell: ``python`` when that is it, else its full path."""
    found = shutil.which("python")
    here = Path(sys.executable)
    return "python" if found and Path(found).resolve() == here.resolve() else shlex.quote(str(here))


if __name__ == "__main__":
    sys.exit(main())
