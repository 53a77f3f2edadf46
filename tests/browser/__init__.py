"""Browser tests: JupyterLab in headless Chromium (fixtures in conftest.py, helpers in helpers.py)."""
