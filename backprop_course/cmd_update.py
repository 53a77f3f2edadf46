"""``backprop-course update [DIR]``: bring a newer course into your folder; your edits always win.

New course files are added, files you never changed are replaced by their new version, and where you
and the course both changed a file, yours stays and the course's version is written beside it
(``NAME.course-VERSION.EXT``). The rules are in :mod:`backprop_course.workspace`.
"""

import sys
from pathlib import Path

from . import workspace


def add_arguments(parser):
    parser.add_argument("folder", nargs="?", default=workspace.DEFAULT_FOLDER, metavar="DIR",
                        help=f"your course folder (default: ./{workspace.DEFAULT_FOLDER})")
    parser.add_argument("--dry-run", action="store_true", help="only say what would change")


def run(args):
    folder = Path(args.folder).expanduser()
    if not folder.is_dir():
        print(f"backprop-course update: there is no course folder at {folder}; create one with\n"
              f"    backprop-course start {args.folder}", file=sys.stderr)
        return 2
    try:
        report = workspace.sync(folder, dry_run=args.dry_run)
    except (OSError, ValueError) as exc:
        print(f"backprop-course update: {exc}", file=sys.stderr)
        return 2
    what = "would change" if args.dry_run else "updated to"
    print(f"{report.folder} {what} course version {workspace.course_version()}:")
    print(report.text())
    return 0
