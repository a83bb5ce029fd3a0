"""Run one prepared submission in its own working copy, under limits, in a sandboxed kernel.

This is the part that runs in worker processes (a local process pool or Dask workers): it
takes a :class:`Job` (plain data, picklable) and returns a :class:`Outcome`; it never
touches the gradebook or the course directory.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import LimitOutput

from autograder.grading import prepare, template
from autograder.grading.flags import Flag, listing
from autograder.grading.limits import Limits
from autograder.notebooks import grade_id

KERNEL_SCRIPT = template.KERNEL_SCRIPT
KERNEL_NAME = "autograder-sandbox"
_KERNEL_ENV = {
    "PATH",
    "HOME",
    "USER",
    "LOGNAME",
    "LANG",
    "TERM",
    "TZ",
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "IPYTHONDIR",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
}
_INTERRUPTED = {"CellTimeoutError", "KeyboardInterrupt"}
TIMEOUT_ERROR = {
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["CellTimeoutError: the cell ran longer than the grader's time limit"],
}


KERNEL_STARTS = 3  # tries to start a submission's kernel before giving up on it


class KernelStartError(RuntimeError):
    """The kernel did not start: the grader's problem, never the student's (no code ran)."""


@dataclass
class Job:
    """One submission, ready to run.

    Attributes
    ----------
    student, assignment : str
        Who and what (for reporting only).
    notebooks : dict
        ``{notebook name: guarded notebook as JSON text}`` (see :mod:`prepare`).
    files : dict
        ``{relative path: bytes}``: the other files of the assignment the notebook may read.
    limits : Limits
        What the submission may use.
    protected : list of str
        Folders the kernel must not read (the course root, the gradebook's folder).
    """

    student: str
    assignment: str
    notebooks: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    protected: list[str] = field(default_factory=list)


@dataclass
class Outcome:
    """What running a :class:`Job` produced.

    Attributes
    ----------
    notebooks : dict
        ``{notebook name: executed notebook as JSON text}``, guard cells removed.
    flags : list of Flag
    seconds : float
        Wall-clock time of the run.
    timings : dict
        Where the time went, summed over the notebooks (:data:`TIMINGS` names the keys).
    """

    student: str
    assignment: str
    notebooks: dict[str, str]
    flags: list[Flag]
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


TIMINGS = {
    "kernel_wall": "wall seconds starting and stopping kernels",
    "kernel_cpu": "CPU seconds of the kernels until they were ready",
    "execution_wall": "wall seconds running the cells",
    "execution_cpu": "CPU seconds of the kernels running the cells",
    "worker_cpu": "CPU seconds of the worker process itself",
}


def _cpu_seconds(pid: int | None) -> float:
    """User + system time of a running process (0 once it is gone)."""
    try:
        times = psutil.Process(pid).cpu_times()
    except (psutil.Error, ValueError, TypeError):
        return 0.0
    return times.user + times.system


class _SandboxClient(NotebookClient):
    """nbclient's executor, keeping at most ``max_output_bytes`` of output per notebook."""

    def __init__(self, nb: NotebookNode, max_output_bytes: int, **kw) -> None:
        super().__init__(nb, **kw)
        self.max_output_bytes = max_output_bytes
        self.output_bytes = 0
        self.truncated_cells: list[int] = []
        self.on_cell_executed = self._record_error

    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        if msg["msg_type"] != "error" and self.output_bytes + size > self.max_output_bytes:
            if cell_index not in self.truncated_cells:
                self.truncated_cells.append(cell_index)
                note = nbformat.v4.new_output(
                    "stream",
                    name="stderr",
                    text=f"\n[output truncated by the grader: more than "
                    f"{self.max_output_bytes} bytes of output]\n",
                )
                outs.append(note)
            return None
        self.output_bytes += size
        return super().output(outs, msg, display_id, cell_index)

    def _record_error(self, cell, cell_index, execute_reply) -> None:
        """Add the reply's error (a timeout has no error message of its own) to the outputs."""
        content = execute_reply["content"]
        if content.get("status") != "error":
            return
        if any(o.output_type == "error" for o in cell.outputs):
            return
        cell.outputs.append(
            nbformat.v4.new_output(
                "error",
                ename=content.get("ename", "Error"),
                evalue=content.get("evalue", ""),
                traceback=content.get("traceback") or [content.get("ename", "Error")],
            )
        )


def _allowed_roots(workdir: Path) -> list[str]:
    import dlcourse

    roots = {str(workdir), sys.prefix, sys.base_prefix, str(Path(dlcourse.__file__).parent)}
    roots |= {p for p in sys.path if "site-packages" in p or "dist-packages" in p}
    return sorted(roots)


def _kernel_spec_dir(private: Path) -> Path:
    spec = private / "kernels" / KERNEL_NAME
    spec.mkdir(parents=True)
    argv = [
        sys.executable,
        str(KERNEL_SCRIPT),
        "-f",
        "{connection_file}",
        "--HistoryManager.hist_file=:memory:",
    ]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "graded", "language": "python"})
    )
    return spec.parent


def _shared_env() -> dict[str, str]:
    """What every kernel's environment holds: no credentials, and no PYTHONPATH (the course
    root is no business of the kernel). The kernel template runs in exactly this."""
    env = {k: v for k, v in os.environ.items() if k in _KERNEL_ENV or k.startswith("LC_")}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTHONWARNINGS="ignore::DeprecationWarning")
    for threads in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(threads, "1")
    return env


def _kernel_env(settings: dict, workdir: Path) -> dict[str, str]:
    (workdir / ".tmp").mkdir()
    env = _shared_env()
    env.update(AUTOGRADER_SANDBOX=json.dumps(settings), TMPDIR=str(workdir / ".tmp"))
    return env


def _read_report(path: Path, key: bytes) -> tuple[list[dict], bool]:
    """The hook's records, and whether any line failed its signature."""
    entries, forged = [], False
    if not path.exists():
        return entries, forged
    for line in path.read_text(errors="replace").splitlines():
        try:
            wrapped = json.loads(line)
            text, mac = wrapped["entry"], wrapped["mac"]
            good = hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
            if not hmac.compare_digest(good, mac):
                raise ValueError("bad signature")
            entries.append(json.loads(text))
        except (ValueError, KeyError, TypeError):
            forged = True
    return entries, forged


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "the kernel stopped responding"
    if code < 0:
        try:
            return f"the kernel was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"the kernel was killed by signal {-code}"
    return f"the kernel exited with code {code}"


def _cell_label(cell: NotebookNode, index: int) -> str:
    return grade_id(cell) or f"cell {index}"


def run_notebook(
    nb: NotebookNode,
    workdir: Path,
    private: Path,
    limits: Limits,
    protected: list[str],
    timings: dict[str, float] | None = None,
) -> tuple[NotebookNode, list[Flag]]:
    """Execute a guarded notebook in ``workdir`` with a sandboxed kernel.

    Returns the executed notebook (guards still in) and the flags the run raised. A kernel
    that dies or runs out of time leaves an error output in the cell it was running and in
    every code cell after it, so those test cells score zero. Where the time went is added to
    ``timings`` (keys of :data:`TIMINGS`, but ``worker_cpu``).
    """
    key = secrets.token_bytes(32)
    key_path = private / "key"
    key_path.write_bytes(key)
    report = private / "report.jsonl"
    settings = {
        "workdir": str(workdir),
        "protected": protected,
        "allowed": _allowed_roots(workdir),
        "report": str(report),
        "key": str(key_path),
        "memory_bytes": limits.memory_bytes,
        "file_size_bytes": limits.file_size_bytes,
    }
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(_kernel_spec_dir(private))]),
        connection_file=str(private / "connection.json"),
    )
    if template.CAN_FORK:
        km.kernel_id = secrets.token_hex(16)
        km.provisioner = template.ForkProvisioner(
            kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
        )
        km.provisioner.template_env = _shared_env()
    client = _SandboxClient(
        nb,
        limits.max_output_bytes,
        km=km,
        timeout=int(limits.cell_timeout),
        allow_errors=True,
        interrupt_on_timeout=True,
        error_on_timeout=TIMEOUT_ERROR,
        startup_timeout=60,
        iopub_timeout=10,
        resources={"metadata": {"path": str(workdir)}},
    )
    flags: list[Flag] = []
    deadline = time.monotonic() + limits.submission_timeout
    out_of_time = threading.Event()
    stopped_at: int | None = None
    stop_reason = ""

    def kill_kernel() -> None:
        out_of_time.set()
        pid = getattr(km.provisioner, "pid", None)
        if pid:
            try:
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except OSError:
                pass

    watchdog = None
    start_error = ""
    log = open(private / "kernel.log", "wb")  # noqa: SIM115 (closed below)
    env = _kernel_env(settings, workdir)
    clock = {"begin": time.perf_counter()}
    try:
        with client.setup_kernel(env=env, cwd=str(workdir), stdout=log, stderr=log):
            pid = getattr(km.provisioner, "pid", None)
            clock.update(ready=time.perf_counter(), ready_cpu=_cpu_seconds(pid))
            # The time limit counts from before the kernel started.
            watchdog = threading.Timer(max(0.1, deadline - time.monotonic()), kill_kernel)
            watchdog.daemon = True
            watchdog.start()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or cell.metadata.get(prepare.NOT_RUN_KEY):
                    continue
                remaining = deadline - time.monotonic()
                if remaining <= 0 or out_of_time.is_set():
                    stopped_at, stop_reason = index, "time"
                    break
                client.timeout = max(1, int(min(limits.cell_timeout, remaining + 1)))
                try:
                    client.execute_cell(cell, index)
                except DeadKernelError:
                    stopped_at, stop_reason = index, "time" if out_of_time.is_set() else "died"
                    break
                except Exception as err:  # e.g. a garbled message from a kernel out of memory
                    stopped_at = index
                    stop_reason = "time" if out_of_time.is_set() else f"lost: {err}"
                    break
            clock.update(ran=time.perf_counter(), ran_cpu=_cpu_seconds(pid))
    except DeadKernelError:
        stopped_at, stop_reason = stopped_at or 0, "died"
    except (RuntimeError, TimeoutError) as err:
        if watchdog is None:  # the kernel did not start: no student code has run
            start_error = f"{type(err).__name__}: {err}"
        elif stopped_at is None:
            stopped_at, stop_reason = 0, f"lost: {err}"
    finally:
        if watchdog is not None:
            watchdog.cancel()
        clock.setdefault("ran", time.perf_counter())
        exit_code = _shut_down(km)
        log.close()
        if timings is not None:
            _add_timings(timings, clock, time.perf_counter())
    if start_error:
        tail = (private / "kernel.log").read_bytes()[-600:].decode(errors="replace").strip()
        raise KernelStartError(f"{start_error}; the kernel's log ends: {tail or '(empty)'}")

    if stopped_at is not None:
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        first = next((i for i in code_cells if i >= stopped_at), None)
        if stop_reason == "time":
            why = f"the notebook ran past its {limits.submission_timeout:g} s time limit"
            flags.append(Flag("timeout", f"{why}; later cells scored zero"))
        elif stop_reason == "died":
            why = _describe_exit(exit_code)
            where = _cell_label(nb.cells[first], first) if first is not None else "?"
            flags.append(Flag("kernel-died", f"{why} in {where}; later cells scored zero"))
        else:
            why = f"the grader lost contact with the kernel ({stop_reason[6:][:120]})"
            flags.append(Flag("kernel-died", f"{why}; later cells scored zero"))
        mark_not_run(nb, stopped_at, why)

    flags += _output_flags(nb, client, limits)
    entries, forged = _read_report(report, key)
    flags += _sandbox_flags(nb, entries, forged, stopped_at)
    return nb, flags


def _add_timings(timings: dict[str, float], clock: dict[str, float], stopped: float) -> None:
    """Add one kernel's share of :data:`TIMINGS` (from the times :func:`run_notebook` took)."""
    ready = clock.get("ready", clock["ran"])
    add = {
        "kernel_wall": (ready - clock["begin"]) + (stopped - clock["ran"]),
        "kernel_cpu": clock.get("ready_cpu", 0.0),
        "execution_wall": clock["ran"] - ready,
        "execution_cpu": max(0.0, clock.get("ran_cpu", 0.0) - clock.get("ready_cpu", 0.0)),
    }
    for key, value in add.items():
        timings[key] = timings.get(key, 0.0) + value


def mark_not_run(nb: NotebookNode, start: int, why: str) -> None:
    """Give every code cell from index ``start`` on without an error one that says why.

    nbgrader scores a test cell without an error output as passed, so a cell that never ran
    must carry an error to score zero.
    """
    first = True
    for cell in nb.cells[start:]:
        if cell.cell_type != "code":
            continue
        if not any(o.output_type == "error" for o in cell.get("outputs", [])):
            text = why if first else "not run: " + why
            cell.outputs = [*cell.get("outputs", []), _error("NotRun", text)]
        first = False


def _shut_down(km: AsyncKernelManager) -> int | None:
    """Stop the kernel (and anything it started); return its exit code if it had died."""
    process = getattr(km.provisioner, "process", None) if km.provisioner else None
    exit_code = process.poll() if process is not None else None
    if km.has_kernel:
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass
    if process is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
    return exit_code


def _error(ename: str, evalue: str) -> NotebookNode:
    traceback = [f"{ename}: {evalue}"]
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=traceback)


def _output_flags(nb: NotebookNode, client: _SandboxClient, limits: Limits) -> list[Flag]:
    flags = []
    timed_out, memory, exits = [], [], []
    for index, cell in enumerate(nb.cells):
        if prepare.is_guard(cell) or cell.cell_type != "code":
            continue
        names = {o.get("ename") for o in cell.get("outputs", []) if o.output_type == "error"}
        if names & _INTERRUPTED:
            timed_out.append(_cell_label(cell, index))
        if "SystemExit" in names:
            exits.append(_cell_label(cell, index))
        if "MemoryError" in names:
            memory.append(_cell_label(cell, index))
    if timed_out:
        flags.append(
            Flag(
                "timeout",
                f"{', '.join(timed_out)} ran longer than {limits.cell_timeout:g} s and were "
                "interrupted",
            )
        )
    if memory:
        flags.append(
            Flag(
                "memory",
                f"{', '.join(memory)} ran out of memory "
                f"(limit {limits.memory_bytes / 2**30:g} GiB)",
            )
        )
    if exits:
        flags.append(
            Flag("exit", f"{', '.join(exits)} called sys.exit(); the kernel went on running")
        )
    if client.truncated_cells:
        where = ", ".join(_cell_label(nb.cells[i], i) for i in client.truncated_cells)
        flags.append(
            Flag("output", f"output over {limits.max_output_bytes} bytes was dropped ({where})")
        )
    return flags


def _sandbox_flags(
    nb: NotebookNode, entries: list[dict], forged: bool, stopped_at: int | None
) -> list[Flag]:
    flags = []
    denied = [e for e in entries if e.get("kind") == "denied"]
    if denied:
        shown = sorted({f"{e['event']} {e['detail']}" for e in denied})
        flags.append(Flag("sandbox", f"blocked: {listing(shown, 5, '; ')}", review=True))
    changed = sorted({name for e in entries if e.get("kind") == "check" for name in e["changed"]})
    if changed:
        reason = f"replaced what tests rely on: {listing(changed, 6)}"
        flags.append(Flag("tampering", reason, review=True))
    if any(e.get("kind") == "ctypes" for e in entries):
        reason = "used ctypes, which can get around the sandbox"
        flags.append(Flag("tampering", reason, review=True))
    frames = [e for e in entries if e.get("kind") == "frames"]
    if frames:
        what = ", ".join(sorted({e["event"] for e in frames})[:4])
        reason = f"tried to read the interpreter's frames or code objects ({what}): refused"
        flags.append(Flag("tampering", reason, review=True))
    if any(e.get("kind") == "tracing" for e in entries):
        flags.append(Flag("tampering", "installed a trace or profile function", review=True))
    if forged:
        flags.append(Flag("tampering", "the grader's report holds forged lines", review=True))
    # Every guard cell that ran must have reached the hook.
    checked = {e["label"] for e in entries if e.get("kind") == "check"}
    armed = any(e.get("kind") == "armed" for e in entries)
    skipped = []
    for index, cell in enumerate(nb.cells):
        if not prepare.is_guard(cell) or (stopped_at is not None and index >= stopped_at):
            continue
        label = cell.metadata[prepare.GUARD_KEY]
        errors = {o.get("ename") for o in cell.get("outputs", []) if o.output_type == "error"}
        if errors & (_INTERRUPTED | {"NotRun"}):
            continue  # it could not run: the kernel was still busy with a runaway cell
        failed = bool(errors)
        if failed or (label == prepare.ARM_LABEL and not armed):
            skipped.append(label)
        elif label != prepare.ARM_LABEL and label not in checked:
            skipped.append(label)
    if skipped:
        flags.append(
            Flag(
                "tampering",
                f"the grader's own checks did not run ({', '.join(skipped[:4])})",
                review=True,
            )
        )
    return flags


def _working_copy(run_dir: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    """A fresh ``work`` folder holding ``files`` and a ``private`` one beside it."""
    workdir, private = run_dir / "work", run_dir / "private"
    workdir.mkdir(parents=True)
    private.mkdir()
    for rel, data in files.items():
        target = workdir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return workdir, private


def _run_with_retries(
    text: str, run_dir: Path, job: Job, protected: list[str], timings: dict[str, float]
) -> tuple[NotebookNode, list[Flag]]:
    """Run one notebook, in a new working copy for each try when its kernel fails to start.

    When the grader itself fails, every code cell gets a ``NotRun`` error (zero) and the
    submission is flagged for review.
    """
    for attempt in range(KERNEL_STARTS):
        nb = nbformat.reads(text, as_version=4)
        workdir, private = _working_copy(run_dir / f"try{attempt}", job.files)
        try:
            return run_notebook(nb, workdir, private, job.limits, protected, timings)
        except KernelStartError as err:
            problem = f"the kernel did not start in {KERNEL_STARTS} tries ({err})"
        except Exception as err:  # the grader must finish the class whatever happens
            problem = f"the grader failed ({type(err).__name__}: {err})"
            break
    nb = nbformat.reads(text, as_version=4)
    mark_not_run(nb, 0, f"{problem}; nothing was graded")
    return nb, [Flag("grader-error", f"{problem[:600]}: scored zero until regraded", review=True)]


def run_job(job: Job, scratch: str | None = None) -> Outcome:
    """Run every notebook of a submission, each in a fresh working copy; never raises.

    Parameters
    ----------
    job : Job
    scratch : str, optional
        Where working copies go (default: the system's temporary folder).
    """
    start, start_cpu = time.perf_counter(), time.process_time()
    executed: dict[str, str] = {}
    flags: list[Flag] = []
    timings: dict[str, float] = {}
    # Every working copy on this machine lives under one folder that kernels may not read.
    shared = Path(scratch or tempfile.gettempdir()) / "autograder-work"
    shared.mkdir(mode=0o700, parents=True, exist_ok=True)
    base = Path(tempfile.mkdtemp(prefix="submission-", dir=shared))
    try:
        protected = [*job.protected, str(shared)]
        for name, text in job.notebooks.items():
            nb, nb_flags = _run_with_retries(text, base / name, job, protected, timings)
            nb = prepare.strip_guards(nb)
            nb, _ = LimitOutput().preprocess(nb, {})
            executed[name] = nbformat.writes(nb)
            flags += nb_flags
    finally:
        shutil.rmtree(base, ignore_errors=True)
    timings["worker_cpu"] = time.process_time() - start_cpu
    seconds = time.perf_counter() - start
    return Outcome(job.student, job.assignment, executed, flags, seconds, timings)
