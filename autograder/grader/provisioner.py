"""Step: start the kernel inside the sandbox, through jupyter_client's documented hook.

``SandboxProvisioner`` is a kernel provisioner (``jupyter_client.provisioning``): it is a
``LocalProvisioner`` whose launch command is prefixed with ``python -m
autograder.grader.sandbox --`` (limits, a throwaway HOME, namespaces: see ``sandbox``), with
the sandbox's specification in the kernel's environment.  It is registered in
``pyproject.toml`` under ``jupyter_client.kernel_provisioners`` as ``autograder-sandbox``
and chosen by the worker through jupyter_client's ``JUPYTER_DEFAULT_PROVISIONER_NAME``;
its one setting, ``SandboxProvisioner.sandbox_spec``, comes from the nbgrader configuration
the worker builds (``worker._config``).  With an empty specification it is a plain
``LocalProvisioner``.

The kernel talks to the grader over Unix sockets (ZeroMQ ``ipc``, ``KernelManager.transport``),
so that it can live in a network namespace without network.
"""
from __future__ import annotations

import json
import os

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Unicode

from . import sandbox

NAME = "autograder-sandbox"          # the entry point's name in pyproject.toml


class SandboxProvisioner(LocalProvisioner):
    sandbox_spec = Unicode("", help="JSON of a sandbox.SandboxSpec; empty: no sandbox.").tag(config=True)

    def _spec(self) -> dict:
        return json.loads(self.sandbox_spec) if self.sandbox_spec else {}

    async def launch_kernel(self, cmd: list[str], **kwargs):
        spec = self._spec()
        if spec:
            uid = spec.get("uid")
            if uid is not None and os.geteuid() == 0:
                # the kernel's own files: its working folder (nbgrader made it just now)
                # and the connection file the manager has just written
                for path in [kwargs.get("cwd"), getattr(self.parent, "connection_file", None)]:
                    if path and os.path.exists(path):
                        chown_tree(str(path), uid)
            env = dict(kwargs.get("env") or os.environ)
            env[sandbox.ENV_VAR] = self.sandbox_spec
            cmd, kwargs["env"] = sandbox.launcher(cmd, env)
        return await super().launch_kernel(cmd, **kwargs)

    def seal_runtime(self) -> None:
        """Once the kernel has bound its sockets: it may write nothing more in the runtime
        folder (the one folder of the host's disk it had to write to, see sandbox._scratch)."""
        spec = self._spec()
        connection_file = getattr(self.parent, "connection_file", "")
        if spec.get("uid") is None or os.geteuid() != 0 or not connection_file:
            return
        runtime = os.path.dirname(connection_file)
        for name in os.listdir(runtime):
            path = os.path.join(runtime, name)
            if os.path.isfile(path) and not os.path.islink(path):
                os.chown(path, 0, 0)
        os.chown(runtime, 0, 0)
        os.chmod(runtime, 0o711)


def chown_tree(path: str, uid: int) -> None:
    os.chown(path, uid, uid)
    if os.path.isdir(path):
        for dirpath, dirnames, filenames in os.walk(path):
            for name in dirnames + filenames:
                try:
                    os.chown(os.path.join(dirpath, name), uid, uid, follow_symlinks=False)
                except OSError:
                    pass
