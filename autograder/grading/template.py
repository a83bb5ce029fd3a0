"""Warm kernels: fork each submission's kernel from a template that has done the imports once.

Starting a kernel the usual way (``python kernel.py ...``) costs each submission an
interpreter and the import of NumPy, Matplotlib, IPython, ipykernel and ``dlcourse``: more CPU
than most submissions' own code. Instead, every grading worker keeps one *template* process
(``kernel.py --template``) that has imported them and never runs student code, and asks it to
fork a child per kernel (see :func:`kernel.serve_template`). The child installs the limits and
the audit hook before any student code, exactly as a kernel started the usual way, so every
submission still runs in a process in which no other submission's code has ever run.

:class:`ForkProvisioner` plugs this into jupyter_client: it is its local provisioner with the
``Popen`` replaced by a fork from the template. Where ``fork`` is not available (or the
template cannot start) kernels start the usual way.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

KERNEL_SCRIPT = Path(__file__).with_name("kernel.py")
FORK_TIMEOUT = 30  # seconds to wait for the template's answer to a fork request

# AUTOGRADER_WARM_KERNELS=0 starts every kernel the usual way (to compare, or to debug).
CAN_FORK = sys.platform.startswith("linux") and os.environ.get("AUTOGRADER_WARM_KERNELS") != "0"


class TemplateError(RuntimeError):
    """The template did not fork a kernel (the grader's problem; no student code ran)."""


class KernelTemplate:
    """One template process and the kernels it forked.

    Parameters
    ----------
    env : dict
        The template's environment: what every kernel shares (thread counts, Matplotlib's
        and IPython's folders). Each kernel gets its own environment on top.
    """

    def __init__(self, env: dict[str, str]) -> None:
        self.env = dict(env)
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, str(KERNEL_SCRIPT), "--template"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=self.env,
            cwd=tempfile.gettempdir(),
            start_new_session=True,
        )
        self._lock = threading.Lock()  # one fork request at a time
        self._replies: list[dict] = []
        self._replied = threading.Condition()
        self._exits: dict[int, int] = {}  # {pid: exit code} of the kernels that ended
        self._gone = False  # the template's output ended: it has exited or is exiting
        self._reader = threading.Thread(target=self._read, daemon=True, name="kernel-template")
        self._reader.start()

    @property
    def alive(self) -> bool:
        return not self._gone and self._process.poll() is None

    def _read(self) -> None:
        for line in self._process.stdout:
            message = json.loads(line)
            with self._replied:
                if "exit" in message:
                    self._exits[message["exit"]] = message["code"]
                else:
                    self._replies.append(message)
                self._replied.notify_all()
        with self._replied:  # the template is gone: so is any answer still awaited
            self._gone = True
            self._replied.notify_all()

    def fork(self, argv: list[str], env: dict[str, str], cwd: str, log: str) -> ForkedKernel:
        """A new kernel running ``kernel.py`` with ``argv`` in ``cwd``, logging to ``log``."""
        request = {"argv": argv, "env": env, "cwd": cwd, "log": log}
        with self._lock:
            try:
                self._process.stdin.write((json.dumps(request) + "\n").encode())
                self._process.stdin.flush()
            except OSError as err:
                raise TemplateError(f"the kernel template is gone ({err})") from err
            with self._replied:
                self._replied.wait_for(lambda: self._replies or not self.alive, FORK_TIMEOUT)
                reply = self._replies.pop(0) if self._replies else {"error": self._why()}
        if "error" in reply:
            raise TemplateError(f"the kernel template did not fork: {reply['error']}")
        return ForkedKernel(reply["pid"], self)

    def _why(self) -> str:
        if self.alive:
            return f"no answer in {FORK_TIMEOUT} s"
        self._stderr.seek(0)
        tail = self._stderr.read()[-600:].decode(errors="replace").strip()
        try:
            code = self._process.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        return f"it ended (exit code {code}): {tail or '(no output)'}"

    def exit_code(self, pid: int) -> int | None:
        with self._replied:
            if pid in self._exits:
                return self._exits[pid]
        if not self.alive:  # nobody will report it: ask the system whether it still runs
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return -signal.SIGKILL
            except PermissionError:
                pass
        return None

    def wait(self, pid: int, timeout: float | None = None) -> int | None:
        with self._replied:
            self._replied.wait_for(lambda: pid in self._exits or self._gone, timeout)
        return self.exit_code(pid)

    def forget(self, pid: int) -> None:
        with self._replied:
            self._exits.pop(pid, None)

    def close(self) -> None:
        """Stop the template (its kernels are the grader's to stop) and wait for it."""
        self._process.stdin.close()
        try:
            self._process.wait(5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join(5)
        self._process.stdout.close()
        self._stderr.close()


class ForkedKernel:
    """What jupyter_client's local provisioner needs of a ``Popen``, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, template: KernelTemplate) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._template = template

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._template.exit_code(self.pid)
            if self.returncode is not None:
                self._template.forget(self.pid)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is None:
            self._template.wait(self.pid, timeout)
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


_template: KernelTemplate | None = None
_template_lock = threading.Lock()


def template_for(env: dict[str, str]) -> KernelTemplate:
    """This process's template for kernels sharing ``env`` (started, or restarted, on need)."""
    global _template
    with _template_lock:
        if _template is None or not _template.alive or _template.env != env:
            if _template is not None:
                _template.close()
            _template = KernelTemplate(env)
        return _template


@atexit.register
def _close_template() -> None:
    # Waiting for the template makes its kernels' CPU time count as this process's children's.
    if _template is not None:
        _template.close()


class ForkProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, forking kernels from this process's template.

    Set ``template_env`` (what :func:`template_for` takes) before the kernel starts.
    """

    template_env: dict[str, str] = {}

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict:
        log = kwargs.get("stdout")
        template = template_for(self.template_env)
        self.process = template.fork(
            [str(a) for a in cmd[1:]],
            dict(kwargs.get("env") or {}),
            str(kwargs.get("cwd") or os.getcwd()),
            getattr(log, "name", os.devnull),
        )
        self.pid = self.pgid = self.process.pid
        self.cwd = kwargs.get("cwd")
        return self.connection_info
