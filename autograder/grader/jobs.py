"""Step: build each submission's ``Job`` once, in the batch, with everything its worker needs.

A job is complete when it leaves the batch: the worker and the kernel provisioner pass its
parts on unchanged, and nothing reaches the worker through ``os.environ``.

* ``JobFolder``: the layout of a job's folder, named once (the worker, the sandbox, the kill
  at the hard limit all read it from here);
* ``sandbox_spec``: the kernel's sandbox (``sandbox.SandboxSpec``), whole: limits, the paths
  it may not see (hidden once, here), the paths it must reach (the interpreter, the helper
  package, the data folder), its throwaway HOME and scratch, the allowlisted variables;
* ``kernel_settings``: what the kernel's environment gets on top of the course's
  (``course.kernel_environment``): the data folder and the thread counts, explicit options
  of the batch (``GradeOptions.threads``; the folder ``data.prepare`` found or made).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import course
from . import data
from .sandbox import WORLD_WRITABLE, SandboxSpec


@dataclass(frozen=True)
class JobFolder:
    """One job's throwaway folder (``work/jNNNN``) and what goes in it."""
    root: Path

    @property
    def course(self) -> Path:            # the throwaway nbgrader course: source/, gradebook.db, submitted/, autograded/
        return self.root / "c"

    @property
    def runtime(self) -> Path:           # the kernel's connection file
        return self.root / "rt"

    @property
    def home(self) -> Path:              # the kernel's throwaway HOME (an overlay on its scratch)
        return self.root / "home"

    @property
    def staging(self) -> Path:           # the sandbox's bind mounts of what the kernel must reach
        return self.root / "mnt"

    @property
    def kernel_pid(self) -> Path:
        return self.root / "kernel.pid"

    @property
    def sandbox_report(self) -> Path:
        return self.root / "sandbox.json"

    @property
    def job_file(self) -> Path:
        return self.root / "job.json"

    @property
    def result(self) -> Path:
        return self.root / "result.json"

    @property
    def executed(self) -> Path:          # the executed notebook, when Job.keep_executed
        return self.root / "executed.ipynb"

    def secrets(self) -> list[Path]:
        """What the kernel may not see of its own course: the master, the gradebook, the submission as handed in."""
        return [self.course / "source", self.course / "gradebook.db", self.course / "submitted"]


def safe_hides(paths, keep) -> list[str]:
    """Paths to cover in the kernel's mount namespace, minus any that contains something the
    kernel needs (its own folder, the interpreter, the helper package, the data)."""
    out = []
    keep = [Path(k).resolve() for k in keep if k]
    for p in paths:
        if not p:
            continue
        p = Path(p).resolve()
        if not p.exists() or any(k == p or p in k.parents for k in keep):
            continue
        out.append(str(p))
    return sorted(set(out))


def sandbox_spec(folder: JobFolder, *, memory_mb: int, disk_mb: int, cpu_seconds: int, uid: int | None,
                 network: bool, hide: list[str], rules_of: str, data_dir: str = "") -> SandboxSpec:
    """The kernel's whole sandbox: what the batch decides (limits, uid, the batch's secrets in
    ``hide``) and what follows from the job's folder."""
    # what the kernel must reach even when the course lives in a private folder (a checkout in
    # a mktemp folder, a home): the interpreter, the helper package, the data
    needed = [sys.base_prefix, sys.prefix, str(course.HELPER_PACKAGE), data_dir]
    return SandboxSpec(
        memory_mb=memory_mb, disk_mb=disk_mb, cpu_seconds=cpu_seconds, uid=uid, network=network,
        home=str(folder.home),
        hide=sorted(set(hide) | {str(p) for p in folder.secrets()}),
        expose=sorted({os.path.realpath(p) for p in needed if p and os.path.exists(p)}),
        staging=str(folder.staging),
        env_allow=list(course.kernel_env_names(rules_of)),
        job_dir=str(folder.root), batch_dir=str(folder.root.parent),
        private_dirs=list(WORLD_WRITABLE), overlay=[str(folder.home)],
        pid_file=str(folder.kernel_pid), report_file=str(folder.sandbox_report))


def kernel_threads(jobs: int, threads: int | None = None) -> dict[str, str]:
    """The thread counts of each kernel.  ``threads``: asked for (the one-thread mode of
    ``make busy``), for every pool.  Otherwise, with several kernels at once, each gets its
    share of the cores (TensorFlow's thread pools spin while they wait, and two pools of all
    the cores each slow both kernels down), except where the grader's own environment sets a
    count; one kernel at a time keeps TensorFlow's defaults."""
    if threads:
        return {var: str(threads) for var in course.THREAD_VARIABLES}
    if jobs <= 1:
        return {}
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    n = str(max(1, cores // jobs))
    return {var: n for var in course.THREAD_VARIABLES if var not in os.environ}


def kernel_settings(data_dir: str, threads: dict[str, str]) -> dict[str, str]:
    """The variables a job's kernel gets on top of the course's: the data folder the batch
    prepared, the thread counts.  The sandbox passes on those its ``env_allow`` names."""
    return {**threads, **({data.ENV_VAR: data_dir} if data_dir else {})}
