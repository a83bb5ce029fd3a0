"""The sandboxed kernel: a launcher that confines an IPython kernel before student code runs.

The grader starts every kernel as ``python kernel.py -f CONNECTION_FILE`` with the sandbox's
settings in the environment variable ``AUTOGRADER_SANDBOX`` (JSON), or, on Linux, forks it from
a template (``python kernel.py --template``, see :func:`serve_template` and
:mod:`autograder.grading.template`) that has already imported what kernels need and never runs
student code. Before handing over to ipykernel the launcher

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

import builtins
import gc
import hashlib
import hmac
import itertools
import json
import operator
import os
import resource
import select
import signal
import sqlite3
import sys
import tempfile
import threading
import types


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
    prefixes = ("numpy", "dlcourse", "math", "operator", "functools", "warnings")
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
    # What the hook hides a running test's source from (see _hide_cell_source), taken from
    # the real installation before any student code runs.
    from ipykernel.ipkernel import IPythonKernel
    from IPython.core.interactiveshell import ExecutionInfo

    # The quick comparison's tools, bound now: a student who replaces the builtins later
    # cannot change what the checks call.
    all_, map_, tuple_, getattr_, is_ = all, map, tuple, getattr, operator.is_
    repeat_, nones = itertools.repeat, itertools.repeat(None)
    state = {"armed": False, "snapshot": None, "ctypes": False, "in_test": False, "kept": {}}
    state.update(cell_file=None, before=None, test_compiled=False)
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

    own_proc = f"/proc/{my_pid}"

    def can_read(real: str) -> bool:
        if real == report_path:
            return False
        if real == "/proc" or (
            real.startswith("/proc/")
            and real.split("/")[2][:1] in "0123456789[*?"
            and not inside(real, [own_proc])
        ):
            return False  # other processes' command lines, environments, files
        return inside(real, allowed) or not inside(real, protected)

    library = [r for r in allowed if r != work]
    libraries: dict[str, bool] = {}
    test_files: set = set()  # the graded tests' own code (see prepare._isolated)

    def is_library(filename: str) -> bool:
        """Code from the Python installation (or ``dlcourse``), which students cannot write."""
        if filename not in libraries:
            libraries[filename] = filename.startswith("<frozen ") or (
                os.path.isabs(filename) and inside(os.path.realpath(filename), library)
            )
        return libraries[filename]

    def student_code(frame) -> bool:
        name = frame.f_code.co_filename
        return not is_library(name) and name not in test_files and name != __file__

    def first_foreign_frame():
        """The frame that caused the current audit event (this file's own skipped)."""
        frame = sys._getframe(2)
        while frame is not None and frame.f_code.co_filename == __file__:
            frame = frame.f_back
        return frame

    def student_caller() -> str | None:
        """The file of the student code that caused the current audit event, if any did.

        Everything that is neither library code nor a graded test is the student's: a cell's
        code, code a cell compiled itself, a module it wrote into its working copy. Frames
        of modules that hand frames back (``inspect``, ``traceback``, ``asyncio``) between
        the event and that code count as its own (``inspect.currentframe()`` is
        ``sys._getframe`` by another name).
        """
        frame = first_foreign_frame()
        while frame is not None and _hands_frames_back(frame.f_globals.get("__name__")):
            frame = frame.f_back
        if frame is None or not student_code(frame):
            return None
        return frame.f_code.co_filename

    def student_below_test() -> str | None:
        """Student code anywhere between the current event and the running test's code.

        A library asked for the frames, on behalf of a student function the test called.
        Libraries that only read a module name from their caller's frame are let be.
        """
        frame = first_foreign_frame()
        if frame is None or str(frame.f_globals.get("__name__")).startswith(_READS_OWN_FRAME):
            return None
        while frame is not None and frame.f_code.co_filename not in test_files:
            if student_code(frame):
                return frame.f_code.co_filename
            frame = frame.f_back
        return None

    def on_stack(filename: str | None) -> bool:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_filename == filename:
                return True
            frame = frame.f_back
        return False

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
        # Per owner, what a quick comparison needs: its names, its values and their code
        # (None for what has none), in order.
        unchanged = [
            (tuple(names), tuple(names.values()), tuple(codes.get(id(o)) for o in names.values()))
            for _, _, names in contents
        ]
        return {
            "contents": contents,
            "unchanged": unchanged,
            "codes": codes,
            "sys_modules": {m.__name__: m for m in modules},
            "shell": shell,
            "hooks": _shell_hooks(shell),
            "state": _shell_state(shell),
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
        methods = snap["state"]["methods"]
        return any(vars(shell).get(name, _MISSING) is not methods[name] for name in methods)

    def check_and_restore(snap: dict) -> list[str]:
        """What was replaced since the snapshot; each replacement is undone."""
        return sorted(set(restore_relied_on(snap) + restore_shell(snap)))

    def restore_relied_on(snap: dict) -> list[str]:
        """Undo replacements of what a running test itself uses; name them."""
        found = []
        for (label, owner, names), same in zip(snap["contents"], snap["unchanged"], strict=True):
            current = vars(owner)
            keys, values, codes = same
            if (
                len(current) == len(keys)
                and all_(map_(is_, current.values(), values))
                and tuple_(current) == keys
                and all_(map_(is_, map_(getattr_, values, repeat_("__code__"), nones), codes))
            ):
                continue  # nothing of this owner changed: the loop below would find nothing
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
            found += _rebound(shell.user_ns, snap["bindings"])
            found += _restore_kept(shell.user_ns, state["kept"])
            found += _unshadowed(shell.user_ns)
        if sys.gettrace() is not None or sys.getprofile() is not None:
            found.append("sys.settrace/sys.setprofile")
            sys.settrace(None)
            sys.setprofile(None)
        return found

    def restore_shell(snap: dict) -> list[str]:
        """Undo changes to how the shell runs and shows cells (they act on later cells)."""
        shell = snap["shell"]
        if shell is None:
            return []
        found = []
        if _shell_hooks(shell) != snap["hooks"]:
            found.append("IPython's input or AST transformers")
            for attr, saved in zip(_TRANSFORMERS, snap["hooks"], strict=True):
                getattr(shell, attr)[:] = list(saved)
        for name, saved in snap["state"]["methods"].items():
            if vars(shell).get(name, _MISSING) is not saved:
                found.append(f"the shell's {name}")
                _put_back(shell, name, None if saved is _MISSING else saved)
        return found + _restore_shell_state(shell, snap["state"], is_library)

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
        if event in ("compile", "code.__new__") and len(args) > 1:
            name = os.fsdecode(args[1]) if isinstance(args[1], (str, bytes)) else ""
            caller = student_caller()
            if caller is not None:
                if (
                    event == "compile"
                    and state["in_test"]
                    and not state["test_compiled"]
                    and caller == state["cell_file"]
                ):
                    # The graded test's wrapper compiling the test itself.
                    test_files.add(name)
                    state["test_compiled"] = True
                elif is_library(name) or name.startswith(TEST_FILE) or _is_cell(name):
                    deny("code posing as", name)  # it would pass for library code or a test
                return
            if event != "compile" or not _is_cell(name):
                return
            source = args[0]
            if name != state["cell_file"] and isinstance(source, (str, bytes)):
                if state["in_test"] and on_stack(state["cell_file"]):
                    return  # a cell the test's callee runs itself (run_cell): still the test
                # A new cell starts. A graded test (the grader's wrapper) has its source,
                # hidden tests included, taken out of every place student code could read it
                # from before any of it runs.
                state["before"], state["cell_file"] = state["cell_file"], name
                if state["in_test"]:
                    # The test's frames and code (its source among the constants) stay
                    # reachable from the last traceback: drop it.
                    sys.last_type = sys.last_value = sys.last_traceback = None
                text = os.fsdecode(source)
                state["in_test"] = text.startswith(TEST_START)
                state["test_compiled"] = False
                if state["in_test"]:
                    _hide_cell_source(text, name, ExecutionInfo, IPythonKernel)
            # Undo tampering as a guard cell is compiled, before its own code runs: a student
            # who replaced __import__ or sys.audit cannot stop the check, and the test cell
            # after it runs against the real NumPy and dlcourse. Every other cell gets the
            # quick check only (IPython's transformers, which could rewrite a guard before it
            # is compiled; the full check on every cell costs about a second per notebook).
            if not _is_guard(source) and not shell_changed(state["snapshot"]):
                return
            changed = check_and_restore(state["snapshot"])
            if changed:
                record({"kind": "check", "label": "before a cell", "changed": changed})
        elif event == "autograder.keep" and args:
            # The cell before this guard was the instructor's: keep what it defined.
            shell = state["snapshot"]["shell"]
            for name in json.loads(args[0]):
                fn = shell.user_ns.get(name) if shell is not None else None
                if type(fn) is types.FunctionType and fn.__code__.co_filename == state["before"]:
                    state["kept"][name] = (fn, fn.__code__, fn.__defaults__, fn.__kwdefaults__)
                elif fn is not None:  # (None: the cell failed before it got that far)
                    changed = [f"the notebook's function {name!r}, before it was kept"]
                    record({"kind": "check", "label": "keep", "changed": changed})
        elif event == "autograder.after":
            # A graded test has ended: if the student code it called replaced anything the
            # test itself uses, the test fails (it may have run against the replacement).
            # Changes to the shell (callbacks, transformers) are undone and flagged only.
            label = str(args[0]) if args else ""
            relied = sorted(set(restore_relied_on(state["snapshot"])))
            changed = sorted(set(relied + restore_shell(state["snapshot"])))
            record({"kind": "check", "label": f"after {label}", "changed": changed})
            if relied:
                raise PermissionError(
                    f"the code this test called replaced {', '.join(relied[:3])} while it ran"
                )
        elif event == "autograder.check":
            label = str(args[0]) if args else ""
            changed = check_and_restore(state["snapshot"])
            record({"kind": "check", "label": label, "changed": changed})
        elif event in _READS_FRAMES or (
            event == "object.__getattr__" and len(args) > 1 and args[1] in _FRAME_ATTRIBUTES
        ):
            caller = student_caller() or (student_below_test() if state["in_test"] else None)
            if caller is not None:
                what = event if event != "object.__getattr__" else f"the attribute {args[1]}"
                record({"kind": "frames", "event": what, "where": caller})
                raise PermissionError(f"the grader does not allow {what}")
        elif event in _NETWORK:
            deny(event, repr(args[1:3])[:200])
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
            if student_caller() is not None:
                # A trace or profile function is handed every frame (and may jump lines).
                raise PermissionError(f"the grader does not allow {event}")

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
# warnings.catch_warnings swaps these while it is active (a graded test runs inside one).
_VOLATILE |= {("warnings", n) for n in ("filters", "showwarning", "_showwarnmsg_impl")}
_SHELL_METHODS = (
    "run_cell",
    "run_cell_async",
    "run_ast_nodes",
    "run_code",
    "showtraceback",
    "_showtraceback",
    "showsyntaxerror",
    "showindentationerror",
)
# The shell's display and traceback machinery, and the interpreter's hooks.
_SHELL_HOOK_ATTRIBUTES = (
    "displayhook",
    "display_pub",
    "display_formatter",
    "InteractiveTB",
    "history_manager",
    "kernel",
    "compile",
)
# (sys.excepthook is IPython's own business: run_code swaps it for every cell.)
_SYS_HOOKS = ("displayhook", "breakpointhook", "unraisablehook")
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
# Refused outright: a submission has no business on the network (the kernel's own ZeroMQ
# channels were opened in C before any student code ran). Name look-ups are refused too: a
# DNS query can carry data out.
_NETWORK = {
    "socket.connect",
    "socket.bind",
    "socket.sendto",
    "socket.sendmsg",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.getnameinfo",
}
# Ways to reach frames and code objects, where a test's expected values and source live.
# Refused (and recorded) when student code asks, directly or through a module that hands
# frames back, or while a test runs with student code anywhere on the stack. IPython's
# traceback printing and other libraries' own uses are not student code.
_READS_FRAMES = {
    "sys._getframe",
    "sys._current_frames",
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
}
_FRAME_ATTRIBUTES = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_code", "gi_code"}
_FRAME_HELPERS = ("inspect", "traceback", "asyncio")
# Libraries that read a module name off their caller's frame (namedtuple, Enum, TypeVar,
# logging, warnings): no frame goes back to the student.
_READS_OWN_FRAME = ("collections", "enum", "typing", "logging", "warnings", "matplotlib", "numpy")
HIDDEN_SOURCE = "# (the grader hides a test cell's source while it runs)"
# How the grader's wrapper of a graded test cell starts, and the file name of the test's own
# code in it (see prepare._isolated).
TEST_START = "with __import__('warnings').catch_warnings(record=True):\n"
TEST_FILE = "<graded test "
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


def _shell_state(shell) -> dict:
    """What of the shell decides who sees a cell: event callbacks, error and display hooks."""
    if shell is None:
        return {}
    events = getattr(shell, "events", None)
    callbacks = getattr(events, "callbacks", {})
    return {
        "events": events,
        "callbacks": callbacks,
        "lists": {name: list(fns) for name, fns in callbacks.items()},
        "custom_tb": vars(shell).get("CustomTB", _MISSING),
        "custom_exceptions": getattr(shell, "custom_exceptions", ()),
        "attributes": {name: getattr(shell, name, None) for name in _SHELL_HOOK_ATTRIBUTES},
        # ipykernel itself sets _showtraceback on the instance as it starts.
        "methods": {name: vars(shell).get(name, _MISSING) for name in _SHELL_METHODS},
        "sys": {name: getattr(sys, name, None) for name in _SYS_HOOKS},
    }


def _trusted(fn, saved: list, is_library) -> bool:
    """A callback the grader's snapshot knew, or a function of an installed library.

    (Students cannot write library files, nor compile code under their names.)
    """
    if any(fn is s for s in saved):
        return True
    if type(fn) is types.MethodType:
        fn = fn.__func__
    return type(fn) is types.FunctionType and is_library(fn.__code__.co_filename)


def _describe(fn) -> str:
    """A callable's name, read without running any of its code."""
    if type(fn) is types.MethodType:
        fn = fn.__func__
    if type(fn) is types.FunctionType:
        return f"{fn.__module__}.{fn.__qualname__}"
    return f"a {type.__dict__['__name__'].__get__(type(fn))} object"


def _restore_shell_state(shell, saved: dict, is_library) -> list[str]:
    """Put back what :func:`_shell_state` saved; name what had changed.

    Callbacks that libraries register after the snapshot (``%matplotlib inline`` and pyplot
    add some) are kept; any other is removed.
    """
    if not saved:
        return []
    found = []
    if getattr(shell, "events", None) is not saved["events"]:
        found.append("the shell's event manager")
        _put_back(shell, "events", saved["events"])
    events = saved["events"]
    if getattr(events, "callbacks", None) is not saved["callbacks"]:
        found.append("the shell's event callbacks")
        _put_back(events, "callbacks", saved["callbacks"])
    callbacks = saved["callbacks"]
    for name in list(callbacks):
        if name not in saved["lists"]:
            found.append(f"an event callback for {name!r}")
            del callbacks[name]
    for name, fns in saved["lists"].items():
        current = callbacks.get(name)
        if type(current) is not list:
            found.append(f"the {name!r} event callbacks")
            callbacks[name] = list(fns)
            continue
        dropped = [fn for fn in current if not _trusted(fn, fns, is_library)]
        if dropped:
            found.append(f"an event callback for {name!r} ({_describe(dropped[0])})")
            current[:] = [fn for fn in current if _trusted(fn, fns, is_library)]
    if vars(shell).get("CustomTB", _MISSING) is not saved["custom_tb"] or (
        getattr(shell, "custom_exceptions", ()) is not saved["custom_exceptions"]
    ):
        found.append("a custom exception handler (set_custom_exc)")
        _put_back(shell, "CustomTB", None if saved["custom_tb"] is _MISSING else saved["custom_tb"])
        _put_back(shell, "custom_exceptions", saved["custom_exceptions"])
    for name, value in saved["attributes"].items():
        if getattr(shell, name, None) is not value:
            found.append(f"the shell's {name}")
            _put_back(shell, name, value)
    for name, value in saved["sys"].items():
        if getattr(sys, name, None) is not value:
            found.append(f"sys.{name}")
            setattr(sys, name, value)
    return found


def _hands_frames_back(module) -> bool:
    return isinstance(module, str) and module.split(".")[0] in _FRAME_HELPERS


def _hide_cell_source(source: str, filename: str, execution_info: type, kernel_class: type) -> None:
    """Take a running cell's source out of the shell's history, the line cache and the request.

    Called as a graded test cell is compiled, before any of its code (or student code it
    calls) runs: the input history (``In``, ``_ih``, ``_i``, ``_iN``, the history database),
    ``linecache`` (which tracebacks and ``inspect`` read), the execution info that
    ``post_run_cell`` callbacks and ``last_execution_result`` see, and the kernel's copy of
    the execute request. What remains is in frames and code objects, whose access the hook
    refuses while a test runs.
    """
    import linecache

    linecache.cache.pop(filename, None)
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return
    text = source.rstrip("\n")

    def same(value) -> bool:
        return type(value) is str and value.rstrip("\n") == text

    # Only plain lists, dicts and strings are touched: this runs inside the audit hook, where
    # student code (a list subclass, a property) would run unwatched.
    history = getattr(shell, "history_manager", None)
    raw = getattr(history, "input_hist_raw", None)
    parsed = getattr(history, "input_hist_parsed", None)
    if type(raw) is list and type(parsed) is list:
        for index, entry in enumerate(parsed):
            if not same(entry):
                continue
            parsed[index] = HIDDEN_SOURCE
            if index < len(raw):
                text_raw, raw[index] = raw[index], HIDDEN_SOURCE
                values = getattr(history, "_trait_values", None)
                for key in ("_i", "_ii", "_iii", "_i00"):
                    if type(values) is dict and values.get(key) == text_raw:
                        values[key] = HIDDEN_SOURCE
                for key in ("_i", "_ii", "_iii", f"_i{index}"):
                    if shell.user_ns.get(key) == text_raw:
                        shell.user_ns[key] = HIDDEN_SOURCE
    cache = getattr(history, "db_input_cache", None)
    if type(cache) is list:
        for index, entry in enumerate(cache):
            if type(entry) is tuple and len(entry) == 3 and same(entry[1]):
                cache[index] = (entry[0], HIDDEN_SOURCE, HIDDEN_SOURCE)
    database = getattr(history, "db", None)
    if type(database) is sqlite3.Connection:
        try:
            database.execute(
                "UPDATE history SET source=?, source_raw=? WHERE source=?",
                (HIDDEN_SOURCE, HIDDEN_SOURCE, text),
            )
        except sqlite3.Error:
            pass
    frame = sys._getframe(1)
    while frame is not None:
        info = frame.f_locals.get("info")
        if type(info) is execution_info:
            info.raw_cell = info.transformed_cell = HIDDEN_SOURCE
        frame = frame.f_back
    kernel = getattr(shell, "kernel", None)
    if type(kernel) is kernel_class:
        parent = kernel_class.get_parent(kernel)
        content = parent.get("content") if type(parent) is dict else None
        if type(content) is dict and same(content.get("code")):
            content["code"] = HIDDEN_SOURCE


def _unshadowed(namespace: dict) -> list[str]:
    """Take away the notebook's own ``__import__`` and ``__builtins__``, which the grader's
    cells would otherwise use instead of the real ones."""
    found = []
    if "__import__" in namespace:
        found.append("the notebook's name '__import__'")
        del namespace["__import__"]
    if namespace.get("__builtins__", builtins) is not builtins:
        found.append("the notebook's __builtins__")
        namespace["__builtins__"] = builtins
    return found


def _restore_kept(namespace: dict, kept: dict) -> list[str]:
    """Put back the instructor's functions (and their code and defaults) a student replaced."""
    found = []
    for name, (fn, code, defaults, kwdefaults) in kept.items():
        if namespace.get(name) is not fn:
            found.append(f"the notebook's function {name!r}")
            namespace[name] = fn
        if fn.__code__ is not code or fn.__defaults__ is not defaults:
            found.append(f"the code of the notebook's function {name!r}")
            fn.__code__, fn.__defaults__ = code, defaults
        if fn.__kwdefaults__ is not kwdefaults:
            found.append(f"the defaults of the notebook's function {name!r}")
            fn.__kwdefaults__ = kwdefaults
    return found


def _shell_hooks(shell) -> tuple:
    if shell is None:
        return ()
    # Event callbacks (matplotlib's inline backend registers some) cannot change a cell's
    # code or result; transformers can.
    return tuple(tuple(getattr(shell, attr, ())) for attr in _TRANSFORMERS)


def _preload() -> None:
    """Load what graded tests rely on from the real installation, before the hook snapshots it.

    matplotlib's font cache is built (and written) now, not from the sandbox.
    """
    import ipykernel.debugger  # noqa: F401
    import ipykernel.ipkernel  # noqa: F401
    import ipykernel.kernelapp  # noqa: F401
    import IPython.core.completerlib  # noqa: F401
    import IPython.core.debugger  # noqa: F401
    import IPython.core.oinspect  # noqa: F401
    import matplotlib.font_manager  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import matplotlib_inline.backend_inline  # noqa: F401
    import numpy  # noqa: F401
    import numpy.random  # noqa: F401
    import numpy.testing  # noqa: F401
    import psutil  # noqa: F401
    import tornado.platform.asyncio  # noqa: F401
    import zmq.utils.garbage  # noqa: F401

    import dlcourse.testing  # noqa: F401


def _run_kernel(argv: list) -> None:
    """Confine this process (settings from ``AUTOGRADER_SANDBOX``) and run ipykernel."""
    settings = json.loads(os.environ.pop("AUTOGRADER_SANDBOX"))
    with open(settings["key"], "rb") as fh:
        key = fh.read()
    os.remove(settings["key"])
    report_fd = os.open(settings["report"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    _set_limits(settings)
    _preload()  # already done in a kernel forked from the template
    # What the kernel has loaded so far lives as long as the kernel: the collector need not
    # look at it again. The guard cells' gc.collect() then costs microseconds, not 80 ms.
    gc.freeze()
    _install_hook(settings, report_fd, key)
    # zmq starts a helper thread on the first large message; a kernel at its memory limit
    # could not, and would lose its messages: start it while memory is plentiful.
    from zmq.utils.garbage import gc as zmq_garbage

    zmq_garbage.start()
    from ipykernel import kernelapp

    # Tracebacks in Python's plain format: IPython's default (with context lines) costs
    # 10-15 ms per failing cell, twice (shown, then stored), and feedback shows a graded
    # test's error as its message only.
    kernelapp.launch_new_instance(argv=[*argv, "--InteractiveShell.xmode=Plain"])


def _become_kernel(request: dict) -> None:
    """In a child forked from the template: leave everything of the template behind, then run.

    The child gets its own session (so the grader can kill it and whatever it starts as one
    process group), the submission's environment, working directory and log, fresh random
    seeds, and none of the template's file descriptors. Never returns.
    """
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, resource.getrlimit(resource.RLIMIT_NOFILE)[0])  # the template's too
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        tempfile.tempdir = None  # TMPDIR is the submission's now
        import numpy

        # Python's random reseeds itself in a forked child; NumPy's legacy generator does not.
        numpy.random.seed()
        sys.argv = list(request["argv"])
        _run_kernel(list(request["argv"][1:]))
        code = 0
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001 - report it in the log, whatever it is
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


def _reply(message: dict) -> None:
    os.write(1, (json.dumps(message) + "\n").encode())


def serve_template() -> None:
    """Fork a fresh kernel for each request on standard input; report children's exits.

    The template imports what every kernel imports, once, and never runs student code: each
    request (a JSON line: ``argv``, ``env``, ``cwd``, ``log``) gets a child forked from it,
    in which no other submission's code has ever run, and which installs the limits and the
    audit hook before any student code. Replies on standard output, one JSON line each:
    ``{"pid": N}`` (or ``{"error": ...}``) per request and ``{"exit": N, "code": C}`` when a
    child ends (C as ``Popen.returncode``: minus the signal that killed it). Exits when
    standard input closes.
    """
    _preload()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    pending = b""
    while True:
        try:
            ready, _, _ = select.select([0, wake_r], [], [])
        except InterruptedError:
            continue
        if wake_r in ready:
            os.read(wake_r, 512)
            while True:
                try:
                    pid, status = os.waitpid(-1, os.WNOHANG)
                except ChildProcessError:
                    break
                if pid == 0:
                    break
                _reply({"exit": pid, "code": os.waitstatus_to_exitcode(status)})
        if 0 not in ready:
            continue
        chunk = os.read(0, 1 << 16)
        if not chunk:
            return
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            request = json.loads(line)
            if threading.active_count() != 1:  # forking a threaded process is unsafe
                _reply({"error": f"the template has {threading.active_count()} threads"})
                continue
            pid = os.fork()
            if pid == 0:
                _become_kernel(request)
            _reply({"pid": pid})


def main() -> None:
    # Running as a script put this folder first on the path; the kernel has no use for it.
    if sys.path and os.path.realpath(sys.path[0]) == os.path.dirname(os.path.realpath(__file__)):
        del sys.path[0]
    if sys.argv[1:] == ["--template"]:
        serve_template()
    else:
        _run_kernel(sys.argv[1:])


if __name__ == "__main__":
    main()
