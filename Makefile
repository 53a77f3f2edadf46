# Two commands for a fresh machine (see README.md):
#   make course   create .venv, install the course, open notebooks/00_start_here.ipynb in JupyterLab
#                 (rooted at this folder, .venv/bin first on the PATH of its terminals)
#   make test     create .venv, install the course with its test extras (and Chromium, bubblewrap), run every test
# Each keeps its own virtual environment in .venv (VENV=... to put it elsewhere); nothing is installed
# outside it except Debian's Chromium, bubblewrap and python3-numpy, and only when running as root.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# The one test command: unit tests and browser tests under tests/, and nbval over every notebook.
# exercises/ is not in it on purpose: those are the learner's stubs (tests/ checks the grader instead).
# It runs serially: most of the time goes to the browser tests (JupyterLab + Chromium + a kernel each),
# which gain little from two xdist workers on a 2-core machine and get flakier under contention.
PYTEST_ARGS := -p no:cacheprovider --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=120 tests notebooks

# JupyterLab the way `backprop-course start` runs it (backprop_course.cmd_start): served from this folder,
# so exercises/ is in its file browser, with this environment's bin/ first on PATH, so the terminals
# opened in it find backprop-course and pytest; --allow-root when run as root.
OPEN_COURSE := import sys; from backprop_course.cmd_start import jupyter_command, jupyter_environment; \
    from backprop_course._serve import serve; sys.exit(serve(jupyter_command("lab"), env=jupyter_environment()))

.PHONY: course test demo install-course install-test install-demo chromium sandbox hub-tools clean-venv

course: install-course
	@printf '%s\n' 'Opening JupyterLab (Ctrl-C stops it). Its terminals already use $(VENV). In a terminal of your own,' \
	    'activate the environment first:  source $(VENV)/bin/activate   (Windows: $(VENV)\Scripts\activate)' \
	    'then  backprop-course grade --exercise ex01  grades exercise 1.'
	@$(BIN)/python -c '$(OPEN_COURSE)'

test: install-test chromium sandbox hub-tools
	PYTHONDONTWRITEBYTECODE=1 $(BIN)/python -m pytest $(PYTEST_ARGS) $(PYTEST_EXTRA)

# The live demo without code: voila serves the playground notebook (instructors, projector).
demo: install-demo
	$(BIN)/backprop-course demo

install-course: $(VENV)/.installed-course
install-test: $(VENV)/.installed-test
install-demo: $(VENV)/.installed-demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-course: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[test,demo]"
	touch $@ $(VENV)/.installed-course $(VENV)/.installed-demo

$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e ".[demo]"
	touch $@ $(VENV)/.installed-course

# The browser tests drive Debian's Chromium (never `playwright install`). Without it they are skipped,
# unless BACKPROP_REQUIRE_BROWSER=1 (CI), where they fail.
chromium:
	@if [ -x /usr/bin/chromium ] || [ -n "$${BACKPROP_CHROMIUM:-}" ]; then \
	    true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	else \
	    echo "note: /usr/bin/chromium not found; browser tests will be skipped" \
	         "(Debian/Ubuntu: sudo apt-get install chromium, or set BACKPROP_CHROMIUM=/path/to/chromium)"; \
	fi

# The grader runs graded code in a bubblewrap sandbox; its tests need bwrap, and its fallback tests an
# interpreter any user may run, with numpy (Debian's python3-numpy). Without them those tests are
# skipped, unless BACKPROP_REQUIRE_SANDBOX=1 (CI), where they fail.
sandbox:
	@if command -v bwrap >/dev/null && /usr/bin/python3 -c "import numpy" 2>/dev/null; then \
	    true; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y bubblewrap python3-numpy; \
	else \
	    echo "note: bubblewrap or python3-numpy not found; the grader's sandbox tests will be skipped" \
	         "(Debian/Ubuntu: sudo apt-get install bubblewrap python3-numpy)"; \
	fi

# The JupyterHub test (tests/browser/test_jupyterhub_browser.py) needs configurable-http-proxy from the
# npm registry, installed into $(VENV)/node (nothing global), and a system Python that the learners' unix
# accounts can run, with venv (Debian's python3-venv). Both come from Debian when missing and root.
# Without them the test is skipped, unless BACKPROP_REQUIRE_BROWSER=1 (CI), where it fails.
CHP := $(VENV)/node/node_modules/.bin/configurable-http-proxy

hub-tools: $(CHP)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	    ! /usr/bin/python3 -c "import ensurepip, venv" 2>/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y python3 python3-venv; \
	fi

$(CHP): | $(BIN)/python
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm; \
	fi
	@if command -v npm >/dev/null; then \
	    npm install --prefix $(VENV)/node --no-fund --no-audit --loglevel=error configurable-http-proxy@5; \
	else \
	    echo "note: npm not found; the JupyterHub test will be skipped (Debian/Ubuntu: sudo apt-get install nodejs npm)"; \
	fi

clean-venv:
	rm -rf $(VENV)
