"""Helpers for tests/test_browser.py: JupyterLab started by `make lab`, driven in Chromium.

Playwright drives Debian's Chromium (``/usr/bin/chromium``; Playwright's own browser download
is not used). Everything stays on the loopback interface.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dlcourse.accessibility import NOTEBOOK_CHECKS

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach Google's services;
# the resolver rule makes every host name unresolvable, so nothing can leave the machine.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
SCREENSHOTS = ROOT / "build" / "screenshots"
# Notebooks the test must never modify (it opens lectures in place, exercises as copies).
COMMITTED_NOTEBOOK_DIRS = ("lectures", "exercises", "solutions")


# -- can the test run here? ---------------------------------------------------------------


def browser_unavailable_reason() -> str | None:
    """Why the browser test cannot run on this machine, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[browser-check]', or `make test`)"
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"no {CHROMIUM}: `make test` installs Debian's chromium when it runs as root or "
            "with passwordless sudo (apt-get install chromium)"
        )
    if shutil.which("make") is None:
        return "`make` is not installed (the test starts JupyterLab with `make lab`)"
    return None


def skip_or_fail(reason: str) -> None:
    """Skip the test with ``reason``; under CI (``CI=true``) fail instead, never skip."""
    message = f"browser test cannot run: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: a missing browser is a failure, not a skip)")
    pytest.skip(message)


# -- JupyterLab, started as the README's `make lab` ------------------------------------------


@dataclass
class LabServer:
    """A running `make lab`: its process (group leader), URL, token and log."""

    process: subprocess.Popen
    url: str
    token: str
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's output, for failure messages."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_lab_settings(settings_dir: Path) -> None:
    """JupyterLab user settings for the test: no autosave, no news or update checks.

    Autosave off means a lecture opened in place is never written back to disk; the news and
    update checks would try to reach the internet and put a notification over the notebook.
    """
    settings = {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/apputils-extension/notification": {
            "fetchNews": "false",
            "checkForUpdates": False,
        },
    }
    for plugin, values in settings.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))


def write_kernel_checks(ipython_dir: Path) -> Path:
    """An IPython directory whose startup file turns on the notebook checks nbval runs.

    Every kernel JupyterLab starts with ``IPYTHONDIR`` set to it first runs
    :data:`dlcourse.accessibility.NOTEBOOK_CHECKS` (the figure and progress-bar
    rules), so a lecture run in the browser is held to the same rules as
    under nbval, and a cell that breaks one shows an error. Returns ``ipython_dir``.
    """
    startup = ipython_dir / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    (startup / "00-course-checks.py").write_text(NOTEBOOK_CHECKS)
    return ipython_dir


def lab_command(port: int, token: str, target: str = "lab") -> list[str]:
    """`make lab` (or `make instructor`) with the test's server options in LAB_ARGS.

    ``BIN`` points make at the environment running the tests and ``-o .venv/.installed``
    keeps make from (re)installing .venv: the test uses the course as it is installed now.
    The Makefile itself adds ``--allow-root`` when it runs as root, as in most containers.
    """
    lab_args = [
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        # window.jupyterapp: the test reads cell outputs from the notebook model.
        "--LabApp.expose_app_in_browser=True",
    ]
    return [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed",
        target,
        f"BIN={Path(sys.executable).parent}",
        f"LAB_ARGS={' '.join(lab_args)}",
    ]


def start_lab(workdir: Path, timeout: float = 90.0, target: str = "lab") -> LabServer:
    """Start `make lab` (or ``target``) on a free loopback port with a random token; return
    once it answers.

    User-level Jupyter settings, workspaces and runtime files go under ``workdir``, so the
    developer's own JupyterLab configuration cannot change what the test sees.
    """
    port, token = free_port(), secrets.token_hex(16)
    settings_dir = workdir / "lab-settings"
    write_lab_settings(settings_dir)
    env = dict(
        os.environ,
        IPYTHONDIR=str(write_kernel_checks(workdir / "ipython")),
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(workdir / "lab-workspaces"),
        JUPYTER_CONFIG_DIR=str(workdir / "jupyter-config"),
        JUPYTER_RUNTIME_DIR=str(workdir / "jupyter-runtime"),
    )
    log_path = workdir / "jupyterlab.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            lab_command(port, token, target),
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, killed as a whole at the end
        )
    server = LabServer(process, f"http://127.0.0.1:{port}", token, log_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"`make lab` exited with code {process.returncode}:\n{server.log_tail()}"
            )
        try:
            api(server, "GET", "/api/status", timeout=2)
            return server
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    stop_lab(server)
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


def _request(server: LabServer, path: str, method: str = "GET") -> urllib.request.Request:
    """A request to the server, authorised with its token."""
    return urllib.request.Request(
        server.url + path,
        method=method,
        headers={"Authorization": f"token {server.token}"},
        data=b"" if method in ("POST", "PATCH") else None,
    )


def api(server: LabServer, method: str, path: str, timeout: float = 30) -> Any:
    """Call the Jupyter server's REST API with the token; the decoded JSON reply (or None)."""
    with urllib.request.urlopen(_request(server, path, method), timeout=timeout) as reply:
        body = reply.read()
    return json.loads(body) if body else None


def get_page(server: LabServer, path: str, timeout: float = 30) -> tuple[int, str]:
    """GET ``path`` from the server with the token: the HTTP status and the body's text."""
    try:
        with urllib.request.urlopen(_request(server, path), timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def page_config(server: LabServer) -> dict:
    """The page configuration JupyterLab's HTML page hands the browser (``/lab``)."""
    status, body = get_page(server, "/lab")
    found = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', body, re.S
    )
    if status != 200 or not found:
        raise RuntimeError(f"/lab answered {status} without its page config:\n{body[:500]}")
    return json.loads(found.group(1))


def shut_down_kernels(server: LabServer) -> None:
    """End every kernel session (between notebooks, so kernels do not pile up)."""
    for session in api(server, "GET", "/api/sessions"):
        api(server, "DELETE", f"/api/sessions/{session['id']}")


def descendants(pid: int) -> set[int]:
    """The process ids below ``pid`` (children, grandchildren, ...), read from /proc.

    Kernels run in sessions of their own, outside the server's process group, so they are
    found by parentage.
    """
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def stop_lab(server: LabServer, timeout: float = 30.0) -> list[int]:
    """Shut JupyterLab down cleanly (its shutdown API), then make sure nothing is left.

    Returns the ids of processes that outlived the shutdown and had to be killed (the
    server's process group, kernels): an empty list is a clean shutdown.
    """
    process = server.process
    tree = descendants(process.pid)
    if process.poll() is None:
        try:
            api(server, "POST", "/api/shutdown", timeout=10)
        except (OSError, urllib.error.URLError):
            pass
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    time.sleep(0.5)  # let kernels the server asked to stop finish exiting
    leftovers = sorted(pid for pid in tree if alive(pid))
    if process.poll() is None:
        leftovers.insert(0, process.pid)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        for pid in leftovers:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    return leftovers


# -- the browser ---------------------------------------------------------------------------


def launch_browser(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with everything that phones home switched off."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def new_context(browser: Browser) -> BrowserContext:
    """The browser context of the test's page (see :func:`open_notebook`: one JupyterLab
    for all notebooks, each closed and its kernel shut down before the next opens)."""
    return browser.new_context(viewport={"width": 1400, "height": 1000})


def new_page(context: BrowserContext, timeout: float = 60.0) -> Page:
    """A new page in ``context``."""
    page = context.new_page()
    page.set_default_timeout(timeout * 1000)
    return page


_CLOSE_ALL_JS = """
() => {
  for (const widget of Array.from(window.jupyterapp.shell.widgets('main'))) {
    if (widget.context) widget.context.model.dirty = false;  // autosave is off: no dialog
    widget.dispose();
  }
}
"""


def open_notebook(page: Page, server: LabServer, path: str) -> None:
    """Open ``path`` (relative to the repository) in JupyterLab in ``page``, alone.

    The first notebook loads JupyterLab in the page, in a workspace of its own (nothing is
    restored from an earlier run); later ones open in the same JupyterLab, after the
    notebooks open before are closed unsaved: loading JupyterLab again for every notebook
    cost the browser and the server about 10 CPU s each time. Returns once the notebook is
    shown and its kernel is idle.
    """
    if page.evaluate("() => !!window.jupyterapp"):
        close_notebooks(page)
        page.evaluate(
            "p => { window.jupyterapp.commands.execute('docmanager:open', {path: p}); }", path
        )
    else:
        workspace = "test-" + secrets.token_hex(4)
        page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{path}?token={server.token}")
    page.locator(".jp-NotebookPanel").first.wait_for(state="visible")
    page.wait_for_function(
        "path => { const app = window.jupyterapp;"
        " if (!app) return false;"
        " for (const w of app.shell.widgets('main'))"
        "   if (w.context && w.context.path === path && w.sessionContext.isReady"
        "       && w.sessionContext.session?.kernel?.status === 'idle') return true;"
        " return false; }",
        arg=path,
    )


def close_notebooks(page: Page) -> None:
    """Close every notebook open in ``page``'s JupyterLab, unsaved."""
    if page.evaluate("() => !!window.jupyterapp"):
        page.evaluate(_CLOSE_ALL_JS)


def collect_page_errors(page: Page) -> list[str]:
    """A list that fills with the page's uncaught JavaScript errors from now on."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


# JavaScript run in the page: a summary of the notebook at ``path`` from JupyterLab's own
# model (the outputs the student sees; no scraping of the rendered DOM for output types, and
# no images shipped back, so it is cheap to poll).
_NOTEBOOK_STATE_JS = """
path => {
  for (const panel of window.jupyterapp.shell.widgets('main')) {
    if (!panel.context || panel.context.path !== path) continue;
    const cells = [];
    panel.content.widgets.forEach((cell, index) => {
      const model = cell.model;
      if (model.type !== 'code') return;
      const errors = [];
      let widgets = 0;
      for (let i = 0; i < model.outputs.length; i++) {
        const output = model.outputs.get(i);
        if (output.type === 'error') errors.push(output.toJSON());
        if (output.data && output.data['WIDGET_MIME']) widgets++;
      }
      const prompt = cell.node.querySelector('.jp-InputArea-prompt')?.textContent || '';
      cells.push({
        index: index,
        source: model.sharedModel.getSource().slice(0, 200),
        executed: model.executionCount !== null,
        running: model.executionState === 'running' || prompt.includes('*'),
        errors: errors,
        widgets: widgets,
      });
    });
    const indicator = panel.node.querySelector('.jp-Notebook-ExecutionIndicator');
    return {
      kernel: panel.sessionContext.session?.kernel?.status ?? 'none',
      indicator: indicator ? indicator.getAttribute('data-status') : null,
      cells: cells,
    };
  }
  return null;
}
""".replace("WIDGET_MIME", WIDGET_MIME)


def notebook_state(page: Page, path: str) -> dict:
    """The notebook as JupyterLab has it: kernel status and, for every code cell, its index,
    the start of its source, whether it has run or is running, its errors and its number of
    widget views."""
    state = page.evaluate(_NOTEBOOK_STATE_JS, path)
    if state is None:
        raise AssertionError(f"{path} is not open in JupyterLab")
    return state


def run_all_cells(page: Page) -> None:
    """Run > Run All Cells, through the menu bar as a student would."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.locator(".lm-Menu").get_by_role("menuitem", name="Run All Cells", exact=True).click()


def wait_until_run(page: Page, path: str, timeout: float) -> dict:
    """Wait for Run All to finish: kernel idle, no cell running, every code cell run or an
    error stopped the run (seen twice, half a second apart). Returns the final state."""
    deadline = time.monotonic() + timeout
    settled = 0
    state: dict = {"cells": []}
    while time.monotonic() < deadline:
        state = notebook_state(page, path)
        finished = not cells_not_run(state) or error_outputs(state)
        idle = state["kernel"] == "idle" and state["indicator"] in (None, "idle")
        running = any(cell["running"] for cell in state["cells"])
        settled = settled + 1 if idle and not running and finished else 0
        if settled >= 2:
            return state
        page.wait_for_timeout(500)
    raise AssertionError(
        f"{path}: Run All did not finish within {timeout:.0f} s (kernel {state.get('kernel')}, "
        f"cells not run: {cells_not_run(state)})"
    )


def _plain(text: str) -> str:
    """Text without ANSI colour codes (IPython colours its tracebacks)."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)


def error_outputs(state: dict) -> list[str]:
    """One message per error output: the cell (index, first line) and the end of the
    traceback."""
    errors = []
    for cell in state["cells"]:
        first_line = cell["source"].strip().splitlines()[0] if cell["source"].strip() else ""
        for error in cell["errors"]:
            traceback = _plain("\n".join(error.get("traceback", []))).splitlines()
            errors.append(
                f"cell {cell['index']} ({first_line!r}): {error['ename']}: {error['evalue']}\n"
                + "\n".join(traceback[-12:])
            )
    return errors


def cells_not_run(state: dict) -> list[int]:
    """Indices of code cells that have not run."""
    return [cell["index"] for cell in state["cells"] if not cell["executed"]]


# -- widgets -------------------------------------------------------------------------------


# A cell's own outputs (not those nested in an Output widget) that a widget renderer drew: a
# widget view, or the renderer's "Loading widget..." / "Error displaying widget" text.
_TOP_LEVEL_OUTPUT = ".jp-Cell-outputArea > .jp-OutputArea-child > .jp-OutputArea-output"
_WIDGET_VIEWS_JS = f"""
() => Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-Cell')).map(cell => ({{
  index: Number(cell.dataset.windowedListIndex),
  views: Array.from(cell.querySelectorAll('{_TOP_LEVEL_OUTPUT}'))
    .filter(n => n.classList.contains('jupyter-widgets') ||
                 n.querySelector(':scope > .jupyter-widgets') ||
                 n.textContent.includes('Loading widget'))
    .map(n => ({{
      text: n.textContent.slice(0, 300),
      loading: n.textContent.startsWith('Loading widget'),
      rendered: !!n.querySelector(':scope > .jupyter-widgets'),
    }})),
}}))
"""


def widget_views(page: Page) -> Locator:
    """The widget views shown as outputs of the open notebook's cells."""
    return page.locator(f"{_TOP_LEVEL_OUTPUT}:has(> .jupyter-widgets)")


def widget_outputs_per_cell(state: dict) -> dict[int, int]:
    """{cell index: number of widget views among its outputs} for cells that have some."""
    return {cell["index"]: cell["widgets"] for cell in state["cells"] if cell["widgets"]}


def widget_problems(page: Page, state: dict, timeout: float = 30.0) -> list[str]:
    """What is wrong with the notebook's widgets, cell by cell (an empty list: nothing).

    Every widget view in a cell's outputs (from the notebook model) must be on the page as a
    rendered widget: not "Error displaying widget", not still "Loading widget...", not
    missing. Waits up to ``timeout`` for views that are still loading.
    """
    expected = widget_outputs_per_cell(state)
    deadline = time.monotonic() + timeout
    while True:
        shown = {
            cell["index"]: cell["views"]
            for cell in page.evaluate(_WIDGET_VIEWS_JS)
            if cell["views"]
        }
        loading = any(view["loading"] for views in shown.values() for view in views)
        if not loading or time.monotonic() > deadline:
            break
        page.wait_for_timeout(250)
    problems = []
    for index in sorted(expected.keys() | shown.keys()):
        views = shown.get(index, [])
        if len(views) != expected.get(index, 0):
            problems.append(
                f"cell {index}: {expected.get(index, 0)} widget views in its outputs, "
                f"{len(views)} on the page"
            )
        for view in views:
            text = " ".join(view["text"].split())
            if "Error displaying widget" in text:
                problems.append(f"cell {index}: {text}")
            elif view["loading"]:
                problems.append(f"cell {index}: still 'Loading widget...' after {timeout:.0f} s")
            elif not view["rendered"]:
                problems.append(f"cell {index}: the widget view rendered nothing")
    return problems


def slider_explorers(page: Page) -> list[Locator]:
    """Widget views that hold a slider and a figure (an image in an Output widget)."""
    views = widget_views(page)
    found = []
    for index in range(views.count()):
        view = views.nth(index)
        if view.locator(".noUi-handle").count() and view.locator(".widget-output img").count():
            found.append(view)
    return found


def figure_sources(view: Locator) -> list[str]:
    """The ``src`` of every image the widget view's Output shows (PNG data URLs)."""
    return view.locator(".widget-output img").evaluate_all("imgs => imgs.map(i => i.src)")


def move_slider_with_keyboard(page: Page, view: Locator, timeout: float = 30.0) -> str:
    """Focus the first slider's handle, press an arrow key, wait for the figure to change.

    Presses ArrowRight (ArrowLeft when the slider is at its maximum). Returns a description
    ("learning rate: 0.05 -> 0.0561") for the report; raises AssertionError when the slider
    does not move or the figure does not change.
    """
    slider = view.locator(".widget-slider").first
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    # textContent, not innerText: a cell scrolled out of view is not rendered (JupyterLab's
    # content-visibility windowing), and innerText of unrendered content is empty.
    label = (slider.locator(".widget-label").first.text_content() or "").strip()
    before_value, before_figure = readout.text_content(), figure_sources(view)
    # Reachable with Tab and announced as a slider: what keyboard and screen-reader users need.
    role, tabindex = handle.get_attribute("role"), handle.get_attribute("tabindex")
    if role != "slider" or tabindex != "0":
        raise AssertionError(f"slider {label!r}: handle has role={role!r}, tabindex={tabindex!r}")
    at_max = float(handle.get_attribute("aria-valuenow") or 0) >= float(
        handle.get_attribute("aria-valuemax") or 0
    )
    handle.focus()
    page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
    after_value = readout.text_content()
    if after_value == before_value:
        raise AssertionError(f"slider {label!r}: the arrow key did not move it ({before_value})")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        after_figure = figure_sources(view)
        if after_figure and after_figure != before_figure:
            return f"{label}: {before_value} -> {after_value}"
        page.wait_for_timeout(250)
    raise AssertionError(
        f"slider {label!r} moved ({before_value} -> {after_value}) but the figure did not "
        f"change within {timeout:.0f} s"
    )


# -- nbgrader's Validate button ------------------------------------------------------------


def validate(page: Page, timeout: float = 180.0) -> tuple[list[str], str]:
    """Click nbgrader's Validate button; the result dialog's classes and text.

    The nbgrader lab extension saves the notebook, asks the server to validate it and shows
    the result in a dialog whose body ``#validation-message`` has the class
    ``validation-failed`` or ``validation-success`` (among others).
    """
    toolbar = ".jp-NotebookPanel-toolbar"
    page.locator(f"{toolbar} button.validate-button, {toolbar} .validate-button button").click()
    dialog = page.locator(".jp-Dialog")
    dialog.wait_for(state="visible", timeout=timeout * 1000)
    message = dialog.locator("#validation-message")
    if not message.count():
        raise AssertionError(f"Validate showed another dialog: {dialog.inner_text()}")
    classes = (message.get_attribute("class") or "").split()
    return classes, message.inner_text()


def close_dialog(page: Page) -> None:
    """Press the dialog's OK button and wait for it to go."""
    page.locator(".jp-Dialog .jp-mod-accept").first.click()
    page.locator(".jp-Dialog").wait_for(state="detached")


# -- evidence ------------------------------------------------------------------------------


def screenshot(page: Page, name: str) -> Path:
    """Save a screenshot of the page under build/screenshots/; its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def notebook_digests() -> dict[str, str]:
    """SHA-256 of every committed notebook (lectures, exercises, solutions)."""
    digests = {}
    for folder in COMMITTED_NOTEBOOK_DIRS:
        for path in sorted((ROOT / folder).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                digests[str(path.relative_to(ROOT))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def changed_notebooks(before: dict[str, str]) -> list[str]:
    """Committed notebooks that differ from ``before`` (added, removed or edited)."""
    after = notebook_digests()
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def iter_lectures() -> Iterator[str]:
    """Every lecture notebook, as a path relative to the repository."""
    for path in sorted((ROOT / "lectures").glob("*.ipynb")):
        yield str(path.relative_to(ROOT))
