"""The ``backprop-course`` command line.

Each subcommand lives in the module that owns its work; this file only routes to it. A subcommand
is a module, or ``module:attribute``, that provides ``add_arguments(parser)`` and ``run(args) -> int``.
"""

import argparse
import importlib
import sys

# subcommand -> (module, one-line help)
SUBCOMMANDS = {
    "start": ("backprop_course.cmd_start", "copy the course into a folder of yours and open it in Jupyter"),
    "update": ("backprop_course.cmd_update", "bring a newer course into your folder (your edits always win)"),
    "doctor": ("backprop_course.doctor", "check that Jupyter, the widgets and the kernel will run the course"),
    "grade": ("backprop_course.grading.cli:grade", "grade your exercises/ (or --reference) and print the table"),
    "grade-all": ("backprop_course.grading.cli:grade_all", "grade a folder of submissions into a CSV gradebook"),
    "gradescope-bundle": ("backprop_course.grading.cli:gradescope_bundle", "build the Gradescope autograder zip"),
    "demo": ("backprop_course.demo", "serve the training playground as a page with no code (needs voila)"),
}


def _load(target):
    module, _, attribute = target.partition(":")
    loaded = importlib.import_module(module)
    return getattr(loaded, attribute) if attribute else loaded


def build_parser():
    parser = argparse.ArgumentParser(
        prog="backprop-course",
        description="backprop-course: learn, grade and demo backpropagation.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        _load(module).add_arguments(sub_parser)
        sub_parser.set_defaults(_module=module)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    return _load(args._module).run(args)


if __name__ == "__main__":
    sys.exit(main())
