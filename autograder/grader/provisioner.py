"""Step: start the kernel inside the sandbox, through jupyter_client's documented hook.

``SandboxProvisioner`` is a kernel provisioner (``jupyter_client.provisioning``): a
``LocalProvisioner`` that starts the kernel with the course's kernel environment
(``course.kernel_environment``) plus ``environment`` (the job's data folder and thread counts,
``jobs.kernel_settings``), and, given a ``spec`` (the job's ``sandbox.SandboxSpec``, as the
batch built it), through ``sandbox.launcher`` (``python -m autograder.grader.sandbox --``:
limits, a throwaway HOME, namespaces).  It is registered in ``pyproject.toml`` under
``jupyter_client.kernel_provisioners`` as ``autograder-sandbox`` and chosen by the worker
through jupyter_client's ``JUPYTER_DEFAULT_PROVISIONER_NAME``; both settings come, as
objects, from the nbgrader configuration the worker builds (``worker._config``).  Without a
spec the kernel is not sandboxed.

The kernel talks to the grader over Unix sockets (ZeroMQ ``ipc``, ``KernelManager.transport``),
so that it can live in a network namespace without network.
"""
from __future__ import annotations

import os

from jupyter_client.provisioning import LocalProvisioner
from traitlets import Dict, Instance

from .. import course
from . import sandbox

NAME = "autograder-sandbox"          # the entry point's name in pyproject.toml


class SandboxProvisioner(LocalProvisioner):
    spec = Instance(sandbox.SandboxSpec, allow_none=True,
                    help="The kernel's sandbox, as the batch built it; None: no sandbox.").tag(config=True)
    environment = Dict(help="Variables the kernel gets on top of the course's kernel environment "
                            "(the data folder, thread counts).").tag(config=True)

    def kernel_env(self, base) -> dict[str, str]:
        """The kernel's environment, from ``base`` (what jupyter_client would give it)."""
        env = course.kernel_environment(dict(base))
        env.update(self.environment)
        return env

    async def launch_kernel(self, cmd: list[str], **kwargs):
        env = self.kernel_env(kwargs.get("env") or os.environ)
        spec = self.spec
        if spec is not None:
            if spec.uid is not None and os.geteuid() == 0:
                # the kernel's own files: its working folder (nbgrader made it just now)
                # and the connection file the manager has just written
                for path in [kwargs.get("cwd"), getattr(self.parent, "connection_file", None)]:
                    if path and os.path.exists(path):
                        chown_tree(str(path), spec.uid)
            cmd, env = sandbox.launcher(cmd, env, spec)
        kwargs["env"] = env
        return await super().launch_kernel(cmd, **kwargs)

    def seal_runtime(self) -> None:
        """Once the kernel has bound its sockets: it may write nothing more in the runtime
        folder (the one folder of the host's disk it had to write to, see sandbox._scratch)."""
        connection_file = getattr(self.parent, "connection_file", "")
        if self.spec is None or self.spec.uid is None or os.geteuid() != 0 or not connection_file:
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
