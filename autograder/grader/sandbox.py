"""Step: run each grading kernel in a sandbox.

The kernel is started through this module (``python -m autograder.grader.sandbox -- <kernel argv>``),
which applies the limits below in the kernel's own process and then ``exec``s the kernel, so
the limits hold for everything the student's code does:

* resource limits (``setrlimit``): address space (memory), CPU seconds, file size, no core
  dumps, and processes/threads when the kernel runs under its own user id;
* a fixed environment: only the variables of ``env_allow`` (``course.kernel_env_names``)
  come from the grader's environment, plus a throwaway ``HOME`` (and TMPDIR, caches,
  IPython/matplotlib config) inside the job folder;
* a private scratch space of ``disk_mb`` (a tmpfs in the kernel's mount namespace) that
  holds everything the kernel writes: the world-writable folders (``/tmp``, ``/var/tmp``,
  ``/dev/shm``, ``/run/lock``) are private, empty folders on it, and its HOME and working
  folder are overlays whose writes land on it.  It is gone when the kernel ends: nothing a
  submission writes survives it, and it cannot fill the disk;
* the batch's other job folders covered: the kernel sees its own job folder only;
* the network cut off: a new, empty network namespace (the kernel talks to the grader over
  Unix sockets, ZeroMQ's ``ipc`` transport, which need no network);
* when the grader runs as root: the kernel runs as an unprivileged user id of its own, and the
  course's secrets (the masters, the git history, other students' submissions, the outputs)
  are covered by empty read-only mounts in a private mount namespace.

Each measure is tried on its own and what applied is reported (``SandboxReport``): a machine
that forbids namespaces still grades, with the network noted as not isolated.  See
docs/autograding.md for what this does not isolate and how to run inside a container.

The worker's side (the memory watchdogs, killing what a submission leaves running, the uid
lease) is ``supervise``; this module is only what runs before the kernel, plus the report's
reader.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import resource
import sys
import tempfile
from dataclasses import asdict, dataclass, field

ENV_VAR = "AUTOGRADER_SANDBOX"
_COURSE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def launcher(cmd: list[str], env: dict[str, str], spec: "SandboxSpec | None" = None) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run ``cmd`` through this launcher, in ``spec``'s
    sandbox: the one place the specification crosses into the kernel's process (as
    ``$AUTOGRADER_SANDBOX``, read back by ``launch``; None: the defaults).  ``-P``: the working folder (a
    submission's) is not put on ``sys.path``, so a folder named ``autograder`` handed in
    beside a notebook is never imported in its place; the course's own root is named on
    ``PYTHONPATH`` instead."""
    paths = [_COURSE_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != _COURSE_ROOT]
    return ([sys.executable, "-P", "-m", "autograder.grader.sandbox", "--"] + list(cmd),
            dict(env, PYTHONPATH=os.pathsep.join(paths), **({ENV_VAR: spec.to_env()} if spec else {})))

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

# Address space allowed on top of the resident-memory limit: TensorFlow maps ~2 GB of
# address space it never touches (thread stacks, allocator arenas).
ADDRESS_SPACE_HEADROOM_MB = 4096
# The world-writable folders of a Linux machine: the kernel gets private, empty ones.
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
# Kernel user ids, when the grader runs as root: one leased per submission (UidLease), far from real users.
KERNEL_UID_BASE = 61000


@dataclass
class SandboxSpec:
    """What the launcher applies to one kernel.  Built whole by the batch (``jobs.sandbox_spec``),
    carried in the job, handed to the provisioner as it is; serialised once, by ``launcher``."""
    memory_mb: int = 4096                 # resident memory (watchdog); address space gets headroom
    cpu_seconds: int = 1800               # RLIMIT_CPU, summed over the kernel's threads
    file_size_mb: int = 1024              # RLIMIT_FSIZE: largest file the kernel may write
    nproc: int = 512                      # RLIMIT_NPROC (processes + threads), own uid only
    home: str = ""                        # throwaway HOME
    uid: int | None = None                # drop to this uid/gid (root only)
    network: bool = False                 # False: cut the network
    hide: list[str] = field(default_factory=list)   # paths covered by empty mounts
    env_allow: list[str] = field(default_factory=list)  # the grader's variables the kernel gets
    disk_mb: int = 1024                   # the private scratch space (tmpfs) for all its writes
    private_dirs: list[str] = field(default_factory=list)  # world-writable folders made private
    job_dir: str = ""                     # the kernel's own job folder ...
    batch_dir: str = ""                   # ... the only one of the batch's folder it sees
    overlay: list[str] = field(default_factory=list)  # writable folders whose writes go to scratch
    expose: list[str] = field(default_factory=list) # paths the kernel needs (the interpreter) under private folders
    staging: str = ""                     # empty folder for the bind mounts that expose them
    pid_file: str = ""
    report_file: str = ""

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_dict(cls, data: dict) -> "SandboxSpec":
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    @classmethod
    def from_env(cls, text: str) -> "SandboxSpec":
        return cls.from_dict(json.loads(text or "{}"))


@dataclass
class SandboxReport:
    """What the launcher could apply, as the kernel saw it."""
    limits: dict = field(default_factory=dict)
    home: str = ""
    network: str = "not isolated"
    uid: str = "same as the grader"
    hidden: list[str] = field(default_factory=list)
    env: str = "inherited"
    scratch: str = "none: writes go to the disk"
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lim = ", ".join(f"{k}={v}" for k, v in self.limits.items())
        return (f"limits: {lim}; HOME {self.home or 'unchanged'}; network {self.network}; "
                f"user {self.uid}; environment {self.env}; scratch {self.scratch}; hidden paths: {len(self.hidden)}"
                + (f"; problems: {'; '.join(self.problems)}" if self.problems else ""))


# ----------------------------------------------------------------------------------------
# the launcher: runs in the kernel's process, before exec
# ----------------------------------------------------------------------------------------

def _libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _unshare(libc, flags: int) -> None:
    if libc.unshare(flags) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def _mount(libc, source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = lambda s: s.encode() if s is not None else None
    if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount {target}: {os.strerror(err)}")


def _write(path: str, text: str) -> None:
    with open(path, "w") as fh:
        fh.write(text)


def _set_limits(spec: SandboxSpec, report: SandboxReport, own_uid: bool) -> None:
    mb = 1024 * 1024

    def limit(name, which, value, hard=None):
        try:
            resource.setrlimit(which, (value, value if hard is None else hard))
            report.limits[name] = value
        except (ValueError, OSError) as exc:
            report.problems.append(f"{name}: {exc}")

    limit("address_space_mb", resource.RLIMIT_AS, (spec.memory_mb + ADDRESS_SPACE_HEADROOM_MB) * mb)
    report.limits["address_space_mb"] = spec.memory_mb + ADDRESS_SPACE_HEADROOM_MB
    # soft limit: SIGXCPU (kills the kernel, reported as a timeout); hard limit: SIGKILL
    limit("cpu_seconds", resource.RLIMIT_CPU, spec.cpu_seconds, spec.cpu_seconds + 30)
    limit("file_size_mb", resource.RLIMIT_FSIZE, spec.file_size_mb * mb)
    report.limits["file_size_mb"] = spec.file_size_mb
    limit("core", resource.RLIMIT_CORE, 0)
    if own_uid:   # RLIMIT_NPROC counts every process of the uid: only meaningful on our own uid
        limit("nproc", resource.RLIMIT_NPROC, spec.nproc)


def _isolate(spec: SandboxSpec, report: SandboxReport) -> bool:
    """Namespaces: network cut, secrets hidden.  Returns whether we may drop to spec.uid."""
    try:
        libc = _libc()
    except OSError as exc:
        report.problems.append(f"no libc: {exc}")
        return False
    root = os.geteuid() == 0
    flags = CLONE_NEWNS if (spec.hide or spec.job_dir) else 0
    if not spec.network:
        flags |= CLONE_NEWNET
    if not flags:
        return root
    user_ns = False
    try:
        _unshare(libc, flags)
    except OSError as exc:
        if root:
            report.problems.append(f"unshare: {exc}")
            flags = 0
        else:  # unprivileged: a user namespace grants the right to make the others
            uid, gid = os.getuid(), os.getgid()
            try:
                _unshare(libc, flags | CLONE_NEWUSER)
                _write("/proc/self/setgroups", "deny")
                _write("/proc/self/uid_map", f"{uid} {uid} 1")
                _write("/proc/self/gid_map", f"{gid} {gid} 1")
                user_ns = True
            except OSError as exc2:
                report.problems.append(f"unshare: {exc}; with a user namespace: {exc2}")
                flags = 0
    if flags & CLONE_NEWNET:
        report.network = "cut (new network namespace" + (", user namespace)" if user_ns else ")")
    if flags & CLONE_NEWNS:
        try:
            _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
        except OSError as exc:
            report.problems.append(f"private mounts: {exc}")
            return False
        if spec.job_dir:
            try:
                _scratch(libc, spec, report, user_ns)
            except OSError as exc:
                report.problems.append(f"scratch space: {exc}")
        try:
            for path in spec.hide:
                if not os.path.exists(path):
                    continue
                if os.path.isdir(path):
                    _mount(libc, "tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,mode=0555")
                else:
                    _mount(libc, "/dev/null", path, None, MS_BIND)
                report.hidden.append(path)
            if root and not user_ns:
                _expose(libc, spec, report)
        except OSError as exc:
            report.problems.append(f"hiding paths: {exc}")
    return root and not user_ns and all(_reachable(p) for p in spec.expose)


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _scratch(libc, spec: SandboxSpec, report: SandboxReport, user_ns: bool) -> None:
    """Everything the kernel may write goes to one tmpfs of ``spec.disk_mb``, private to its
    mount namespace (see the module docstring).

    The order matters.  What the kernel needs below a folder about to be covered (its job
    folder; the interpreter and the helper package when the checkout lives under /tmp) is
    first bound onto the tmpfs, then the folders are covered (the world-writable ones by
    private, empty folders; the batch's folder by an empty tmpfs), then those paths are
    bound back (the interpreter read-only), and last the job's writable folders get
    overlays whose writes land on the tmpfs."""
    uid = spec.uid if (spec.uid is not None and os.geteuid() == 0 and not user_ns) else None
    cwd = os.getcwd()
    scratch = os.path.join(spec.job_dir, "mnt", "scratch")
    os.makedirs(scratch, exist_ok=True)
    _mount(libc, "tmpfs", scratch, "tmpfs", MS_NOSUID | MS_NODEV, f"size={spec.disk_mb}m,mode=0711")
    fd = os.open(scratch, os.O_PATH | os.O_DIRECTORY)
    here = f"/proc/self/fd/{fd}"     # the tmpfs, wherever the covers below put it
    batch = spec.batch_dir or os.path.dirname(spec.job_dir)
    private = [d for d in spec.private_dirs if os.path.isdir(d)]
    keep = [(spec.job_dir, False)] + [(p, True) for p in sorted(set(spec.expose))
                                       if any(_under(p, d) for d in private + [batch])]
    try:
        for k, (path, read_only) in enumerate(keep):
            os.mkdir(f"{here}/k{k}")
            # the job folder alone (not the scratch mount inside it); the interpreter whole
            _mount(libc, path, f"{here}/k{k}", None, MS_BIND | (MS_REC if read_only else 0))
        for n, folder in enumerate(private):
            os.mkdir(f"{here}/w{n}")
            os.chmod(f"{here}/w{n}", 0o1777)
            _mount(libc, f"{here}/w{n}", folder, None, MS_BIND)
        if os.path.isdir(batch):     # not below a private folder: cover it
            _mount(libc, "tmpfs", batch, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0711")
        else:
            os.makedirs(batch, mode=0o711)
        for k, (path, read_only) in enumerate(keep):
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(libc, f"{here}/k{k}", path, None, MS_BIND | (MS_REC if read_only else 0))
            if read_only:
                _mount(libc, None, path, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC)
        overlays = []
        for n, folder in enumerate(spec.overlay + [cwd]):
            if folder in overlays or not _under(folder, spec.job_dir) or not os.path.isdir(folder):
                continue
            upper, work = f"{here}/up{n}", f"{here}/wk{n}"
            os.mkdir(upper)
            os.mkdir(work)
            st = os.stat(folder)
            os.chown(upper, st.st_uid if uid is None else uid, st.st_gid if uid is None else uid)
            os.chmod(upper, st.st_mode & 0o7777)
            _mount(libc, "overlay", folder, "overlay", MS_NOSUID | MS_NODEV,
                   f"lowerdir={folder},upperdir={upper},workdir={work}")
            overlays.append(folder)
        report.scratch = (f"a private {spec.disk_mb} MB tmpfs, gone with the kernel, holds "
                          f"{', '.join(private) or 'no folder'} and the writes to {len(overlays)} job folder(s); "
                          "the batch's other folders covered")
    finally:
        os.close(fd)
        os.chdir(cwd)


def _private_ancestor(path: str) -> str | None:
    """The topmost folder on the way to ``path`` that other users cannot enter."""
    parts = os.path.realpath(path).split(os.sep)
    for i in range(2, len(parts) + 1):
        folder = os.sep.join(parts[:i]) or os.sep
        try:
            if not os.stat(folder).st_mode & 0o001:
                return folder
        except OSError:
            return None
    return None


def work_parent() -> str:
    """Where the throwaway course folders go: the temp folder, unless kernels will run under
    their own uid and cannot reach it (a TMPDIR inside a private home)."""
    tmp = tempfile.gettempdir()
    if os.geteuid() == 0 and _private_ancestor(tmp) and os.path.isdir("/tmp"):
        return "/tmp"
    return tmp


def _reachable(path: str) -> bool:
    return _private_ancestor(path) is None


def _expose(libc, spec: SandboxSpec, report: SandboxReport) -> None:
    """Make ``spec.expose`` (e.g. an interpreter under /root) reachable for an unprivileged
    kernel, and nothing else of the private folder above it: the folder is covered by a
    tmpfs holding only bind mounts of the exposed paths."""
    groups: dict[str, list[str]] = {}
    for path in spec.expose:
        top = _private_ancestor(path)
        if top and os.path.exists(path):
            groups.setdefault(top, []).append(os.path.realpath(path))
    for n, (top, paths) in enumerate(sorted(groups.items())):
        staged = []
        for k, path in enumerate(sorted(set(paths))):
            stage = os.path.join(spec.staging, f"{n}-{k}")
            os.makedirs(stage, exist_ok=True)
            _mount(libc, path, stage, None, MS_BIND | MS_REC)
            staged.append((path, stage))
        _mount(libc, "tmpfs", top, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755")
        for path, stage in staged:
            os.makedirs(path, mode=0o755, exist_ok=True)
            _mount(libc, stage, path, None, MS_BIND | MS_REC)
        report.hidden.append(f"{top} (except {', '.join(p for p, _ in staged)})")


def _environment(spec: SandboxSpec, report: SandboxReport) -> dict[str, str]:
    """The kernel's environment: the allowlisted variables only (all of them when the spec
    names none: a sandbox started by hand), then HOME and the caches."""
    if spec.env_allow:
        env = {k: os.environ[k] for k in spec.env_allow if k in os.environ}
        report.env = f"{len(env)} allowlisted variable(s)"
    else:
        env = dict(os.environ)
    if spec.home:
        home = spec.home
        env.update(HOME=home, TMPDIR=os.path.join(home, "tmp"), XDG_CACHE_HOME=os.path.join(home, ".cache"),
                   XDG_CONFIG_HOME=os.path.join(home, ".config"), XDG_DATA_HOME=os.path.join(home, ".local", "share"),
                   MPLCONFIGDIR=os.path.join(home, ".config", "matplotlib"), IPYTHONDIR=os.path.join(home, ".ipython"),
                   KERAS_HOME=os.path.join(home, ".keras"), PYTHONNOUSERSITE="1")
        for var in ("JUPYTER_RUNTIME_DIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "PYTHONSTARTUP"):
            env.pop(var, None)
        report.home = home
    return env


def launch(argv: list[str]) -> None:
    """Apply the sandbox described in $AUTOGRADER_SANDBOX, then exec ``argv`` (the kernel)."""
    spec = SandboxSpec.from_env(os.environ.pop(ENV_VAR, ""))
    report = SandboxReport()
    if spec.pid_file:
        _write(spec.pid_file, str(os.getpid()))
    report_fh = open(spec.report_file, "w") if spec.report_file else None
    may_drop = _isolate(spec, report)
    drop = spec.uid is not None and may_drop
    _set_limits(spec, report, own_uid=drop)
    env = _environment(spec, report)
    if drop:
        try:
            os.setgroups([])
            os.setgid(spec.uid)
            os.setuid(spec.uid)
            report.uid = f"{spec.uid} (unprivileged, own)"
        except OSError as exc:
            report.problems.append(f"setuid: {exc}")
    if report_fh:
        report_fh.write(json.dumps(asdict(report)))
        report_fh.close()
    os.execvpe(argv[0], argv, env)


# ----------------------------------------------------------------------------------------
# the grader's side
# ----------------------------------------------------------------------------------------

def read_report(path) -> SandboxReport | None:
    try:
        with open(path) as fh:
            return SandboxReport(**json.load(fh))
    except (OSError, ValueError, TypeError):
        return None


def main(argv=None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        sys.exit("usage: python -m autograder.grader.sandbox -- <kernel command>")
    launch(argv)


if __name__ == "__main__":
    main()
