"""Step: the grader's watch over the kernels it starts in the sandbox (the worker's side).

``sandbox`` is what runs in the kernel's own process before the kernel (limits, namespaces);
this module is what the worker and the batch run around it:

* ``process_tree``, ``resident_mb``: a kernel and its children, and their resident memory;
* ``descendants_cpu_seconds``: the CPU time they used, read from outside them;
* ``MemoryWatchdog``: kills a kernel over its memory limit (``RLIMIT_AS`` alone cannot:
  TensorFlow reserves far more address space than it uses); ``WorkerMemoryWatchdog``: the
  worker's own limit;
* ``kill_tree``, ``kill_leftovers``, ``become_subreaper``: nothing a submission starts
  outlives it;
* ``UidLease``: kernel uids that no other grader on this machine uses meanwhile.
"""
from __future__ import annotations

import os
import signal
import threading

from .sandbox import KERNEL_UID_BASE, _libc


def process_tree(pid: int):
    import psutil

    try:
        root = psutil.Process(pid)
        return [root] + root.children(recursive=True)
    except psutil.Error:
        return []


def resident_mb(pid: int) -> float:
    import psutil

    total = 0
    for proc in process_tree(pid):
        try:
            total += proc.memory_info().rss
        except psutil.Error:
            pass
    return total / (1024 * 1024)


def descendants_cpu_seconds() -> float | None:
    """CPU seconds (user and system, every thread) used so far by this process's descendants:
    the kernel, what it started, what it left behind (the worker is their subreaper, so they
    stay below it), and what they have already waited for; plus the children this process has
    reaped itself.  Read from the operating system (``/proc``), so nothing the kernel does can
    change it; a difference of two readings is what the kernel's side used between them.  None
    when it cannot be read."""
    import psutil

    try:
        me = psutil.Process()
        own = me.cpu_times()
        total = own.children_user + own.children_system
        for proc in me.children(recursive=True):
            try:
                t = proc.cpu_times()
            except psutil.Error:          # ended between the listing and the reading
                continue
            total += t.user + t.system + t.children_user + t.children_system
        return total
    except psutil.Error:
        return None


def kill_leftovers(pid: int | None, uid: int | None = None) -> int:
    """After a job: kill the kernel and every process it left behind; returns how many it
    left (running processes other than the kernel itself).

    The worker is a child subreaper (``become_subreaper``), so processes the kernel left
    behind (daemons that called setsid, grandchildren) are re-parented to it instead of
    init and are found below it even when the kernel ran under the grader's own uid; with
    a uid of its own, every process of that uid is found too (``kill_tree``)."""
    import psutil

    def running(procs):
        out = []
        for proc in procs:
            try:
                if proc.pid != pid and proc.status() != psutil.STATUS_ZOMBIE:
                    out.append(proc)
            except psutil.Error:
                pass
        return out

    candidates = psutil.Process().children(recursive=True)
    if uid is not None and uid >= KERNEL_UID_BASE:
        candidates += [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]
    left = {p.pid: p for p in running(candidates)}
    kill_tree(pid, uid)
    for proc in list(left.values()) + psutil.Process().children(recursive=True):
        try:
            proc.kill()
        except psutil.Error:
            pass
    for proc in psutil.Process().children(recursive=True):     # reap what was re-parented here
        try:
            proc.wait(timeout=5)
        except (psutil.Error, psutil.TimeoutExpired):
            pass
    return len(left)


def become_subreaper() -> None:
    """prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented to this process."""
    try:
        _libc().prctl(36, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def kill_tree(pid: int | None, uid: int | None = None) -> None:
    """SIGKILL a kernel, its process group (its session: jupyter starts kernels with
    setsid), its descendants and, when it ran under its own uid, every process of that uid."""
    import psutil

    victims = []
    if pid:
        victims += process_tree(pid)
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
    if uid is not None and uid >= KERNEL_UID_BASE:
        for proc in psutil.process_iter(["uids"]):
            try:
                if proc.info["uids"] and proc.info["uids"].real == uid:
                    victims.append(proc)
            except psutil.Error:
                pass
    for proc in victims:
        try:
            proc.kill()
        except psutil.Error:
            pass


class MemoryWatchdog(threading.Thread):
    """Kill the kernel (and its children) when their resident memory passes ``limit_mb``."""

    def __init__(self, pid_file: str, limit_mb: int, interval: float = 0.2):
        super().__init__(daemon=True, name="memory-watchdog")
        self.pid_file, self.limit_mb, self.interval = pid_file, limit_mb, interval
        self.killed_at_mb: float | None = None
        self.peak_mb = 0.0
        self._done = threading.Event()

    def __deepcopy__(self, memo):
        # a handle on a running thread: traitlets deep-copies config values, and every copy
        # must be this same watchdog (GuardedExecute.watchdog)
        return self

    def pid(self) -> int | None:
        try:
            with open(self.pid_file) as fh:
                return int(fh.read().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def run(self) -> None:
        while not self._done.wait(self.interval):
            pid = self.pid()
            if not pid:
                continue
            rss = resident_mb(pid)
            self.peak_mb = max(self.peak_mb, rss)
            if rss > self.limit_mb:
                self.killed_at_mb = rss
                kill_tree(pid)
                return

    def stop(self) -> None:
        self._done.set()


WORKER_MEMORY_MB = 2048     # the grading worker's own resident memory (nbgrader, the messages it holds)


class WorkerMemoryWatchdog(threading.Thread):
    """Watch THIS process's own resident memory (the worker, its kernel not counted): past
    ``limit_mb``, call ``on_breach(resident_mb)`` once, which ends the submission."""

    def __init__(self, limit_mb: int, on_breach, interval: float = 0.2):
        super().__init__(daemon=True, name="worker-memory-watchdog")
        self.limit_mb, self.on_breach, self.interval = limit_mb, on_breach, interval
        self._done = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._done.wait(self.interval):
            rss = me.memory_info().rss / (1024 * 1024)
            if rss > self.limit_mb:
                self.on_breach(rss)
                return

    def stop(self) -> None:
        self._done.set()


KERNEL_UID_COUNT = 4000
UID_LOCKS = "/tmp/.autograder-uids"


class UidLease:
    """Kernel uids that no other grader on this machine uses while the lease is held.

    Each uid is claimed by an exclusive ``flock`` on ``UID_LOCKS/<uid>``, held until
    ``release`` (or the process ends).  Without it, two batches on one machine (two
    instructors, CI beside ``make autograde``) would run kernels under the same uid, and one
    batch's clean-up (``kill_tree`` kills every process of a job's uid) would kill the other
    batch's kernels, and read its files."""

    def __init__(self, count: int, folder: str = UID_LOCKS):
        import fcntl

        os.makedirs(folder, mode=0o700, exist_ok=True)
        self.uids: list[int] = []
        self._files = []
        for slot in range(KERNEL_UID_COUNT):
            if len(self.uids) >= count:
                break
            uid = KERNEL_UID_BASE + slot
            fh = open(os.path.join(folder, str(uid)), "a")
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                fh.close()
                continue
            self.uids.append(uid)
            self._files.append(fh)
        if len(self.uids) < count:
            self.release()
            raise RuntimeError(f"only {len(self.uids)} of {count} kernel uids are free on this machine "
                               f"({KERNEL_UID_BASE}-{KERNEL_UID_BASE + KERNEL_UID_COUNT - 1}; other graders hold the rest)")

    def release(self) -> None:
        for fh in self._files:
            fh.close()
        self._files = []
