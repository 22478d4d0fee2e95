"""A submission's job is built once, in the batch, and passed on unchanged (issue 29, item 3):
its folder's layout, its whole sandbox specification (a typed record, the hidden paths carried
once), its kernel's settings as explicit values; the worker hands these, and one recorder, to
nbgrader's steps as objects through nbgrader's configuration."""
from __future__ import annotations

import os
import sys

from autograder import course
from autograder.grader import jobs
from autograder.grader.recorder import Recorder
from autograder.grader.sandbox import SandboxSpec
from autograder.grader.schema import Job


def _job(tmp_path, **spec_args):
    folder = jobs.JobFolder(tmp_path / "j0000")
    folder.root.mkdir()
    data_dir = tmp_path / "imdb"
    data_dir.mkdir()
    spec = jobs.sandbox_spec(folder, memory_mb=1024, disk_mb=256, cpu_seconds=99, uid=None, network=False,
                             hide=["/somewhere/secret"], rules_of="06_imdb_lab", data_dir=str(data_dir), **spec_args)
    env = jobs.kernel_settings(str(data_dir), jobs.kernel_threads(jobs=2, threads=1))
    job = Job(index=0, student="ann", assignment="06_imdb_lab", notebook="n.ipynb", template=str(tmp_path / "tpl"),
              workdir=str(folder.root), cell_timeout=10, notebook_timeout=60, sandbox=spec, kernel_env=env)
    return job, folder, data_dir


def test_the_batch_builds_the_whole_sandbox_and_the_job_carries_it_typed(tmp_path):
    job, folder, data_dir = _job(tmp_path)
    spec = job.sandbox
    assert isinstance(spec, SandboxSpec)
    assert {"/somewhere/secret", *map(str, folder.secrets())} <= set(spec.hide), "the batch's secrets and the job's own"
    assert spec.home == str(folder.home) and spec.overlay == [str(folder.home)]
    assert spec.pid_file == str(folder.kernel_pid) and spec.report_file == str(folder.sandbox_report)
    assert spec.job_dir == str(folder.root) and spec.batch_dir == str(folder.root.parent)
    assert {str(data_dir.resolve()), os.path.realpath(sys.prefix), os.path.realpath(course.HELPER_PACKAGE)} <= set(spec.expose)
    assert course.IMDB_ENV in spec.env_allow, "a data-reading lab's kernel gets the data folder's variable"
    assert not hasattr(job, "hide"), "the hidden paths travel once, in the spec"
    job.save(folder.job_file)
    again = Job.load(folder.job_file)
    assert isinstance(again.sandbox, SandboxSpec) and again.sandbox == spec
    assert again.kernel_env == {**{v: "1" for v in course.THREAD_VARIABLES}, course.IMDB_ENV: str(data_dir)}
    assert SandboxSpec.from_env(spec.to_env()) == spec, "the one crossing into the kernel's process"


def test_the_worker_hands_the_jobs_objects_to_nbgrader_through_its_config(tmp_path):
    """``worker._config``: the spec, the kernel's settings and one recorder reach nbgrader's
    steps as the same objects (traitlets deep-copies configuration values as it loads them)."""
    from autograder.grader.execution import GuardedExecute
    from autograder.grader.provisioner import SandboxProvisioner
    from autograder.grader.sanitize import RecordingOverwriteCells
    from autograder.grader.worker import _config

    job, folder, _ = _job(tmp_path)
    recorder = Recorder()
    cfg = _config(job, recorder)
    executor = GuardedExecute(config=cfg)
    overwrite = RecordingOverwriteCells(config=cfg)
    provisioner = SandboxProvisioner(kernel_id="k", kernel_spec=None, parent=None, config=cfg)
    assert executor.recorder is recorder and overwrite.recorder is recorder
    assert provisioner.spec == job.sandbox and provisioner.environment == job.kernel_env
    assert cfg.KernelManager.connection_file == str(folder.runtime / "kernel.json")
    env = provisioner.kernel_env({"PATH": "/usr/bin", course.IMDB_ENV: "/the/graders/own"})
    assert env[course.IMDB_ENV] == job.kernel_env[course.IMDB_ENV], "the job's data folder, not the grader's"
    overwrite.record("tests_modified", "locked cell t was edited")
    overwrite.record("tests_modified", "locked cell t was edited")
    assert recorder.flags == ["tests_modified"] and recorder.details == ["locked cell t was edited"]


def test_a_lab_that_reads_no_data_gets_no_data_variable_through_the_sandbox(tmp_path):
    folder = jobs.JobFolder(tmp_path / "j0001")
    spec = jobs.sandbox_spec(folder, memory_mb=1024, disk_mb=256, cpu_seconds=99, uid=None, network=False,
                             hide=[], rules_of="02_lstm_gates", data_dir="")
    assert course.IMDB_ENV not in spec.env_allow
    assert jobs.kernel_settings("", {}) == {}
