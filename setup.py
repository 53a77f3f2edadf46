"""Build hook: the wheel carries the course itself (notebooks and exercise stubs) as package data.

Everything else about the package is in pyproject.toml. ``notebooks/*.ipynb`` and the exercise stubs
(``exercises/*.py`` and ``exercises/README.md``) are copied into ``backprop_course/course/``, where
``backprop-course start`` finds them (``backprop_course/workspace.py``). The reference solutions are never
among them: they live in ``backprop_course/grading/solutions/``, which pyproject.toml leaves out.
An editable install (``pip install -e .``) copies nothing: it reads the clone's folders.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
COURSE_FILES = {"notebooks": ("*.ipynb",), "exercises": ("*.py", "README.md")}  # as in workspace.py


class BuildWithCourse(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "backprop_course" / "course"
        for folder, patterns in COURSE_FILES.items():
            files = sorted({path for pattern in patterns for path in (ROOT / folder).glob(pattern)})
            if not files:
                raise SystemExit(f"{ROOT / folder} holds no course files: build from a clone or from the sdist.")
            self.mkpath(str(target / folder))
            for path in files:
                self.copy_file(str(path), str(target / folder / path.name))


setup(cmdclass={"build_py": BuildWithCourse})
