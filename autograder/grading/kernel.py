"""The sandboxed kernel: a launcher that confines an IPython kernel before student code runs.

The grader starts every kernel as ``python kernel.py -f CONNECTION_FILE`` with the sandbox's
settings in the environment variable ``AUTOGRADER_SANDBOX`` (JSON). Before handing over to
ipykernel the launcher

- sets resource limits: address space (the memory limit), no core dumps, a cap on file size;
- imports the modules graded tests rely on (NumPy, ``dlcourse.testing``) so they are loaded
  from the real installation;
- installs a PEP 578 audit hook, which Python cannot remove. It stays passive while the
  kernel starts and arms itself at the grader's first injected cell (``sys.audit(
  "autograder.arm")``), before any student code. Armed, it denies reading files under the
  protected roots (the course, other working copies) except the allowed ones (the working
  copy, the Python installation, the ``dlcourse`` package), denies writing, deleting or
  renaming anything outside the working copy, starting processes and signalling other
  processes, and records every denial.
- On ``sys.audit("autograder.check", label)`` (a grader cell before each graded test cell
  and at the end) the hook compares the functions and classes graded tests use (builtins,
  NumPy, ``dlcourse``, the IPython kernel's execution machinery) with the snapshot it took
  when armed, and records what was replaced.

Records go, signed with a key only the hook holds, to a report file the kernel cannot open;
the grader reads it after the run. This file is executed as a script and imports nothing
from the course but ``dlcourse``.
"""

import hashlib
import hmac
import json
import os
import resource
import sys
import threading


def _set_limits(settings: dict) -> None:
    memory = settings.get("memory_bytes")
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    file_size = settings.get("file_size_bytes")
    if file_size:
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))


def _snapshot_targets() -> tuple[list, list]:
    """The modules and classes whose contents graded tests depend on."""
    prefixes = ("numpy", "dlcourse", "math", "operator", "functools")
    modules = [
        m
        for name, m in list(sys.modules.items())
        if m is not None and (name == "builtins" or name.split(".")[0] in prefixes)
    ]
    classes = []
    try:
        from ipykernel.ipkernel import IPythonKernel
        from ipykernel.kernelbase import Kernel
        from IPython.core.interactiveshell import InteractiveShell

        classes = [IPythonKernel, Kernel, InteractiveShell]
    except ImportError:  # pragma: no cover - the kernel always has them
        pass
    return modules, classes


def _install_hook(settings: dict, report_fd: int, key: bytes) -> None:
    work = os.path.realpath(settings["workdir"])
    protected = [os.path.realpath(p) for p in settings.get("protected", [])]
    allowed = [work] + [os.path.realpath(p) for p in settings.get("allowed", [])]
    report_path = os.path.realpath(settings["report"])
    my_pid = os.getpid()
    state = {"armed": False, "snapshot": None, "ctypes": False}
    local = threading.local()
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def record(entry: dict) -> None:
        line = json.dumps(entry, sort_keys=True)
        mac = hmac.new(key, line.encode(), hashlib.sha256).hexdigest()
        os.write(report_fd, (json.dumps({"entry": line, "mac": mac}) + "\n").encode())

    def inside(path: str, roots: list) -> bool:
        return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)

    def resolve(path) -> str | None:
        if isinstance(path, int):
            return None
        try:
            path = os.fsdecode(os.fspath(path))
        except TypeError:
            return None
        return os.path.realpath(path)

    def can_read(real: str) -> bool:
        if real == report_path:
            return False
        return inside(real, allowed) or not inside(real, protected)

    def deny(event: str, detail: str):
        record({"kind": "denied", "event": event, "detail": detail})
        raise PermissionError(f"the grader does not allow {event} {detail}")

    def take_snapshot(bindings: list) -> dict:
        modules, classes = _snapshot_targets()
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
        owners = [(m.__name__, m) for m in modules]
        owners += [(f"{c.__module__}.{c.__name__}", c) for c in classes]
        contents = [(label, owner, dict(vars(owner))) for label, owner in owners]
        codes = {
            id(obj): obj.__code__
            for _, _, names in contents
            for obj in names.values()
            if hasattr(obj, "__code__")
        }
        return {
            "contents": contents,
            "codes": codes,
            "sys_modules": {m.__name__: m for m in modules},
            "shell": shell,
            "hooks": _shell_hooks(shell),
            "bindings": bindings,
        }

    def shell_changed(snap: dict) -> bool:
        """Whether IPython's cell machinery or tracing changed (cheap enough for every cell)."""
        shell = snap["shell"]
        if sys.gettrace() is not None or sys.getprofile() is not None:
            return True
        if shell is None:
            return False
        if _shell_hooks(shell) != snap["hooks"]:
            return True
        return any(name in vars(shell) for name in _SHELL_METHODS)

    def check_and_restore(snap: dict) -> list[str]:
        """What was replaced since the snapshot; each replacement is undone."""
        found = []
        for label, owner, names in snap["contents"]:
            current = vars(owner)
            for name, obj in names.items():
                if name.startswith("__") or (label, name) in _VOLATILE:
                    continue
                code = snap["codes"].get(id(obj))
                if current.get(name, _MISSING) is not obj:
                    found.append(f"{label}.{name}")
                    _put_back(owner, name, obj)
                elif getattr(obj, "__code__", None) is not code:
                    found.append(f"{label}.{name}.__code__")
                    _put_back(obj, "__code__", code)
        for name, module in snap["sys_modules"].items():
            if sys.modules.get(name) is not module:
                found.append(f"sys.modules[{name!r}]")
                sys.modules[name] = module
        shell = snap["shell"]
        if shell is not None:
            if _shell_hooks(shell) != snap["hooks"]:
                found.append("IPython's input or AST transformers")
                for attr, saved in zip(_TRANSFORMERS, snap["hooks"], strict=True):
                    getattr(shell, attr)[:] = list(saved)
            for name in _SHELL_METHODS:
                if name in vars(shell):
                    found.append(f"the shell's {name}")
                    _put_back(shell, name, None)
            found += _rebound(shell.user_ns, snap["bindings"])
        if sys.gettrace() is not None or sys.getprofile() is not None:
            found.append("sys.settrace/sys.setprofile")
            sys.settrace(None)
            sys.setprofile(None)
        return sorted(set(found))

    def on_event(event: str, args: tuple) -> None:
        if event == "autograder.arm":
            if not state["armed"]:
                bindings = json.loads(args[0]) if args else []
                state["snapshot"] = take_snapshot(bindings)
                state["armed"] = True
                record({"kind": "armed"})
            return
        if not state["armed"]:
            return
        if event == "compile" and len(args) > 1 and _is_cell(args[1]):
            # Undo tampering as a guard cell is compiled, before its own code runs: a student
            # who replaced __import__ or sys.audit cannot stop the check, and the test cell
            # after it runs against the real NumPy and dlcourse. Every other cell gets the
            # quick check only (IPython's transformers, which could rewrite a guard before it
            # is compiled; the full check on every cell costs about a second per notebook).
            if not _is_guard(args[0]) and not shell_changed(state["snapshot"]):
                return
            changed = check_and_restore(state["snapshot"])
            if changed:
                record({"kind": "check", "label": "before a cell", "changed": changed})
        elif event == "autograder.check":
            label = str(args[0]) if args else ""
            changed = check_and_restore(state["snapshot"])
            record({"kind": "check", "label": label, "changed": changed})
        elif event == "open":
            path, mode, flags = (list(args) + [None, None, None])[:3]
            real = resolve(path)
            if real is None:
                return
            writing = bool(flags & write_flags) if isinstance(flags, int) and flags else False
            if isinstance(mode, str) and any(c in mode for c in "wax+"):
                writing = True
            if writing and not inside(real, [work]) and real != os.devnull:
                deny("writing", real)
            if not can_read(real):
                deny("reading", real)
        elif event in ("os.listdir", "os.scandir", "glob.glob", "os.chdir"):
            real = resolve(args[0] if args and args[0] is not None else ".")
            if real is not None and not can_read(real):
                deny(event, real)
        elif event in _CHANGES_FILES:
            for index in _CHANGES_FILES[event]:
                real = resolve(args[index]) if index < len(args) else None
                if real is not None and not inside(real, [work]):
                    deny(event, real)
        elif event == "os.truncate":
            if isinstance(args[0], int) and args[0] == report_fd:
                deny(event, "the grader's report")
        elif event in _STARTS_PROCESSES:
            deny(event, repr(args[:2])[:200])
        elif event in ("os.kill", "os.killpg"):
            if not args or args[0] not in (my_pid, 0):
                deny(event, repr(args)[:100])
        elif event.startswith("ctypes.") and not state["ctypes"]:
            state["ctypes"] = True
            record({"kind": "ctypes", "event": event})
        elif event in ("sys.settrace", "sys.setprofile"):
            record({"kind": "tracing", "event": event})

    def hook(event: str, args: tuple) -> None:
        if getattr(local, "busy", False):
            return
        local.busy = True
        try:
            on_event(event, args)
        finally:
            local.busy = False

    sys.addaudithook(hook)


_MISSING = object()
_TRANSFORMERS = ("input_transformers_cleanup", "input_transformers_post", "ast_transformers")
# ipykernel rebinds these on every execution request (to route input() to the frontend).
_VOLATILE = {("builtins", "input"), ("getpass", "getpass")}
_SHELL_METHODS = ("run_cell", "run_cell_async", "run_ast_nodes", "run_code", "showtraceback")
# Events that change files, and which of their arguments are paths that must lie inside the
# working copy (a copy's source or a symlink's target is checked when it is opened).
_CHANGES_FILES = {
    "os.remove": (0,),
    "os.rename": (0, 1),
    "os.rmdir": (0,),
    "os.mkdir": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.link": (0, 1),
    "os.symlink": (1,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.move": (0, 1),
    "shutil.copyfile": (1,),
    "shutil.copytree": (1,),
}
_STARTS_PROCESSES = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "os.startfile",
    "pty.spawn",
}


def _is_guard(source) -> bool:
    """Whether compiled source is one of the grader's check cells."""
    if isinstance(source, bytes):
        return b"'autograder.check'" in source
    return isinstance(source, str) and "'autograder.check'" in source


def _is_cell(filename) -> bool:
    """Whether a compiled file name is an IPython cell's."""
    name = str(filename)
    return "ipykernel_" in name or name.startswith("<ipython-input-")


def _put_back(owner, name: str, value) -> None:
    """Undo a replacement (``value`` None: delete an instance attribute); best effort."""
    try:
        if value is None:
            delattr(owner, name)
        elif isinstance(owner, type(sys)):
            vars(owner)[name] = value
        else:
            setattr(owner, name, value)
    except (AttributeError, TypeError):
        pass


def _rebound(namespace: dict, bindings: list) -> list[str]:
    """Names the instructor's cells import that now point elsewhere in the user namespace."""
    found = []
    for name, module_name, attr in bindings:
        if name not in namespace or module_name not in sys.modules:
            continue
        expected = sys.modules[module_name]
        if attr is not None:
            expected = getattr(expected, attr, _MISSING)
        if namespace[name] is not expected:
            found.append(f"the notebook's name {name!r}")
    return found


def _shell_hooks(shell) -> tuple:
    if shell is None:
        return ()
    # Event callbacks (matplotlib's inline backend registers some) cannot change a cell's
    # code or result; transformers can.
    return tuple(tuple(getattr(shell, attr, ())) for attr in _TRANSFORMERS)


def main() -> None:
    # Running as a script put this folder first on the path; the kernel has no use for it.
    if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
        del sys.path[0]
    settings = json.loads(os.environ.pop("AUTOGRADER_SANDBOX"))
    with open(settings["key"], "rb") as fh:
        key = fh.read()
    os.remove(settings["key"])
    report_fd = os.open(settings["report"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    _set_limits(settings)
    # Load what graded tests rely on from the real installation, before the hook snapshots it.
    # matplotlib's font cache is built (and written) now, not from the sandbox.
    import matplotlib.font_manager  # noqa: F401
    import numpy  # noqa: F401
    import numpy.testing  # noqa: F401

    import dlcourse.testing  # noqa: F401

    _install_hook(settings, report_fd, key)
    # zmq starts a helper thread on the first large message; a kernel at its memory limit
    # could not, and would lose its messages: start it while memory is plentiful.
    from zmq.utils.garbage import gc as zmq_garbage

    zmq_garbage.start()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance(argv=sys.argv[1:])


if __name__ == "__main__":
    main()
