"""The sandbox's kernel provisioner: registered where jupyter_client looks, chosen by the
worker's switch, configured from the nbgrader configuration, and wrapping the launch."""
import asyncio

from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner
from traitlets.config import Config

from autograder import course
from autograder.grader import provisioner, sandbox


def test_the_sandbox_provisioner_is_registered_as_an_entry_point():
    entries = KernelProvisionerFactory.instance().get_provisioner_entries()
    assert entries[provisioner.NAME] == "autograder.grader.provisioner:SandboxProvisioner"


def test_the_switch_and_the_config_reach_a_real_kernel_manager(monkeypatch, tmp_path):
    """A real AsyncKernelManager, configured as worker._config does, starts a real kernel
    through SandboxProvisioner (without a specification: a plain local kernel), and the job's
    settings (``SandboxProvisioner.environment``: the data folder, thread counts) are in the
    kernel's environment, though the grader's own environment says otherwise."""
    from jupyter_client.manager import AsyncKernelManager

    monkeypatch.setenv("JUPYTER_DEFAULT_PROVISIONER_NAME", provisioner.NAME)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    monkeypatch.setenv("IMDB_DATA_DIR", "/the/graders/own")
    cfg = Config()
    cfg.SandboxProvisioner.spec = None
    cfg.SandboxProvisioner.environment = {"IMDB_DATA_DIR": str(tmp_path), "OMP_NUM_THREADS": "1"}
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.connection_file = str(tmp_path / "kernel.json")
    seen = {}

    async def start_and_stop():
        km = AsyncKernelManager(kernel_name="python3", config=cfg)
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            assert type(km.provisioner) is provisioner.SandboxProvisioner
            assert km.transport == "ipc"
            assert await km.is_alive()
            await kc.wait_for_ready(timeout=60)
            code = "import os; print(os.environ['IMDB_DATA_DIR'], os.environ['OMP_NUM_THREADS'], os.environ.get('TF_CPP_MIN_LOG_LEVEL'))"
            await kc.execute_interactive(code, timeout=60, output_hook=lambda m: seen.setdefault(
                "out", m["content"].get("text", "")) if m["msg_type"] == "stream" else None)
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    # the default is read when the factory first needs it: make this test independent of
    # whichever test used the factory first
    factory = KernelProvisionerFactory.instance()
    monkeypatch.setattr(factory, "default_provisioner_name", provisioner.NAME)
    asyncio.run(start_and_stop())
    data_dir, threads, quiet = seen["out"].split()
    assert (data_dir, threads) == (str(tmp_path), "1"), "the job's settings win over the grader's environment"
    assert quiet is not None and quiet != "None", "and the course's kernel environment is there (quiet TensorFlow)"


def test_a_specification_prefixes_the_launch_and_travels_in_the_environment(monkeypatch):
    """The wrapping itself, without starting a process: LocalProvisioner.launch_kernel is
    replaced by a recorder (a mock: the real launch is covered by test_containment.py).  The
    spec object the batch built crosses into the launcher's process as its JSON, once."""
    seen = {}

    async def record(self, cmd, **kwargs):
        seen.update(cmd=cmd, env=kwargs.get("env"))
        return {}

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", record)
    spec = sandbox.SandboxSpec(memory_mb=512, hide=["/secret"])
    prov = provisioner.SandboxProvisioner(kernel_id="k", kernel_spec=None, parent=None, spec=spec,
                                          environment={"OMP_NUM_THREADS": "1"})
    asyncio.run(prov.launch_kernel(["python", "-m", "ipykernel_launcher", "-f", "k.json"], env={"A": "1"}))
    assert seen["cmd"][1:5] == ["-P", "-m", "autograder.grader.sandbox", "--"]    # -P: no working folder on sys.path
    assert seen["cmd"][5:] == ["python", "-m", "ipykernel_launcher", "-f", "k.json"]
    course_env = course.kernel_environment({"A": "1"})
    assert seen["env"] == {**course_env, "OMP_NUM_THREADS": "1", sandbox.ENV_VAR: spec.to_env()}
    assert sandbox.SandboxSpec.from_env(seen["env"][sandbox.ENV_VAR]) == spec

    plain = provisioner.SandboxProvisioner(kernel_id="k", kernel_spec=None, parent=None)
    asyncio.run(plain.launch_kernel(["python", "-m", "ipykernel_launcher"], env={"A": "1"}))
    assert seen["cmd"] == ["python", "-m", "ipykernel_launcher"] and seen["env"] == course_env
