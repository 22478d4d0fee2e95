"""The sandbox's kernel provisioner: registered where jupyter_client looks, chosen by the
worker's switch, configured from the nbgrader configuration, and wrapping the launch."""
import asyncio
import json
import os

import pytest
from jupyter_client.provisioning import KernelProvisionerFactory, LocalProvisioner
from traitlets.config import Config

from autograder import course
from autograder.grader import provisioner, sandbox


def test_the_sandbox_provisioner_is_registered_as_an_entry_point():
    entries = KernelProvisionerFactory.instance().get_provisioner_entries()
    assert entries[provisioner.NAME] == "autograder.grader.provisioner:SandboxProvisioner"


def test_the_switch_and_the_config_reach_a_real_kernel_manager(monkeypatch, tmp_path):
    """A real AsyncKernelManager, configured as worker._config does, starts a real kernel
    through SandboxProvisioner (with an empty specification: a plain local kernel)."""
    from jupyter_client.manager import AsyncKernelManager

    monkeypatch.setenv("JUPYTER_DEFAULT_PROVISIONER_NAME", provisioner.NAME)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    cfg = Config()
    cfg.SandboxProvisioner.sandbox_spec = ""
    cfg.KernelManager.transport = "ipc"
    cfg.KernelManager.connection_file = str(tmp_path / "kernel.json")

    async def start_and_stop():
        km = AsyncKernelManager(kernel_name="python3", config=cfg)
        await km.start_kernel()
        try:
            assert type(km.provisioner) is provisioner.SandboxProvisioner
            assert km.transport == "ipc"
            assert await km.is_alive()
        finally:
            await km.shutdown_kernel(now=True)

    # the default is read when the factory first needs it: make this test independent of
    # whichever test used the factory first
    factory = KernelProvisionerFactory.instance()
    monkeypatch.setattr(factory, "default_provisioner_name", provisioner.NAME)
    asyncio.run(start_and_stop())


def test_a_specification_prefixes_the_launch_and_travels_in_the_environment(monkeypatch):
    """The wrapping itself, without starting a process: LocalProvisioner.launch_kernel is
    replaced by a recorder (a mock: the real launch is covered by test_containment.py)."""
    seen = {}

    async def record(self, cmd, **kwargs):
        seen.update(cmd=cmd, env=kwargs.get("env"))
        return {}

    monkeypatch.setattr(LocalProvisioner, "launch_kernel", record)
    spec = json.dumps({"memory_mb": 512})
    prov = provisioner.SandboxProvisioner(kernel_id="k", kernel_spec=None, parent=None, sandbox_spec=spec)
    asyncio.run(prov.launch_kernel(["python", "-m", "ipykernel_launcher", "-f", "k.json"], env={"A": "1"}))
    assert seen["cmd"][1:5] == ["-P", "-m", "autograder.grader.sandbox", "--"]    # -P: no working folder on sys.path
    assert seen["cmd"][5:] == ["python", "-m", "ipykernel_launcher", "-f", "k.json"]
    assert seen["env"] == {"A": "1", sandbox.ENV_VAR: spec, "PYTHONPATH": str(course.ROOT)}

    plain = provisioner.SandboxProvisioner(kernel_id="k", kernel_spec=None, parent=None)
    asyncio.run(plain.launch_kernel(["python", "-m", "ipykernel_launcher"], env={"A": "1"}))
    assert seen["cmd"] == ["python", "-m", "ipykernel_launcher"] and seen["env"] == {"A": "1"}
