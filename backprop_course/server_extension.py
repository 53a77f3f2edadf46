"""A link that gives a learner the course, for JupyterHub: ``/backprop-course/start`` (a Jupyter server extension).

Like nbgitpuller's ``/git-pull`` link, one address does everything for a learner on a hub: it copies the
course into their home (or brings it up to date, keeping their edits: :func:`backprop_course.workspace.sync`)
and opens a notebook. An instructor shares::

    https://HUB/hub/user-redirect/backprop-course/start?open=notebooks/05_backprop_one_example.ipynb

``user-redirect`` sends each learner to their own server. Query parameters, all optional:

- ``open``: the notebook to open, relative to the course folder (default ``notebooks/00_start_here.ipynb``);
- ``folder``: the course folder, relative to the server's root (default ``backprop-course``);
- ``ui``: ``lab`` (default) or ``notebook`` (Notebook 7).

Installing the package enables the extension (``etc/jupyter/jupyter_server_config.d/backprop_course.json``).
"""

from pathlib import PurePosixPath

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_escape, url_path_join
from tornado import web

from . import workspace

UI_PATHS = {"lab": "lab/tree", "notebook": "notebooks"}


def _relative(text, name):
    """`text` as a safe relative path inside the server's root, or a 400 error."""
    path = PurePosixPath(text)  # "." is the server's root itself
    if path.is_absolute() or ".." in path.parts:
        raise web.HTTPError(400, "%s must be a path inside your home folder, got %r", name, text)
    return path


class StartHandler(JupyterHandler):
    """GET: copy or update the course in the learner's folder, then redirect to the notebook."""

    auth_resource = "contents"

    @web.authenticated
    def get(self):
        if not self.authorizer.is_authorized(self, self.current_user, "write", self.auth_resource):
            raise web.HTTPError(403, "you may not write files on this server")
        folder = _relative(self.get_argument("folder", workspace.DEFAULT_FOLDER), "folder")
        notebook = _relative(self.get_argument("open", workspace.FIRST_NOTEBOOK), "open")
        if not notebook.parts:
            raise web.HTTPError(400, "open must name a notebook, e.g. notebooks/00_start_here.ipynb")
        ui = self.get_argument("ui", "lab")
        if ui not in UI_PATHS:
            raise web.HTTPError(400, "ui must be one of %s, got %r", sorted(UI_PATHS), ui)
        root = self.settings["server_root_dir"]
        try:
            report = workspace.sync(f"{root}/{folder}")
        except (OSError, ValueError) as exc:  # a damaged manifest, a file where the folder should be, a full disk
            raise web.HTTPError(500, "could not copy the course into %s: %s", folder, exc) from exc
        self.log.info("backprop-course: %d file(s) written to %s", report.changes, report.folder)
        target = url_path_join(self.base_url, UI_PATHS[ui], url_escape(str(folder / notebook)))
        self.redirect(target)


def _jupyter_server_extension_points():
    return [{"module": "backprop_course.server_extension"}]


def _load_jupyter_server_extension(serverapp):
    route = url_path_join(serverapp.web_app.settings["base_url"], "backprop-course", "start")
    serverapp.web_app.add_handlers(".*$", [(route, StartHandler)])
