"""``backprop-course gradescope-bundle``: build the Gradescope autograder zip."""

from .gradescope import build_bundle


def add_arguments(parser):
    parser.add_argument("--out", default="autograder.zip", help="zip to write (default: autograder.zip)")


def run(args):
    path = build_bundle(args.out)
    print(f"wrote {path}: upload it as the assignment's autograder (setup.sh, run_autograder, backprop_course/)")
    return 0
