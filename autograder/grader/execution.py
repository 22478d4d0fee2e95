"""Step: execute a submission the way nbgrader does, but survive what students' code does.

``GuardedExecute`` replaces nbgrader's ``Execute`` preprocessor in the autograde pipeline
(``Autograde.autograde_preprocessors``).  It executes cell by cell exactly like it, plus:

* **a dead kernel keeps the points earned before it died.**  nbgrader lets nbclient's
  ``DeadKernelError`` escape, then deletes the student's autograded notebook and never
  saves a grade.  Here the dying cell and every cell after it get an error output instead,
  and the pipeline goes on (IgnorePattern, SaveAutoGrades...), so grade cells that passed
  before the death keep their points and the others score 0;
* **a whole-notebook time limit** on top of nbgrader's per-cell one: once it is spent the
  running cell is interrupted and the remaining cells are not run.  A kernel that ignores
  the interrupt is killed;
* **the integrity guard** (``tamper.GUARD_*``): a snapshot of what tests rely on before
  the first cell, put back before each grade cell, silently (no output, no history);
* **comm and widget traffic is not grading's business** (``handle_comm_msg``): no widget
  state is stored in the notebook, a malformed message (a ``jupyter.widget`` comm without
  ``_model_module``, which fails nbclient's own handler) is dropped, and what nbclient keeps of
  the rest (its emulation of the Output widget) is bounded: the first ``max_comms`` messages
  and ``max_comm_mb`` MB, the rest dropped and counted, so a notebook that sends hundreds of
  large comms cannot crash the grade or fill the worker's memory;
* **a CPU budget counted where the notebook cannot reach it**: a judged grade cell whose
  checks state ``cpu_seconds`` (a design exercise, whose locked cell trains the student's
  model) has the CPU time of its visible part measured from outside the kernel
  (``supervise.descendants_cpu_seconds``), and fails over it, whatever the kernel's own clock says;
* a record of what happened (``ExecutionRecord``) for the worker: status, the cell that
  timed out or killed the kernel and why, what the guard restored, per-cell seconds (and CPU
  seconds where a budget applies), the comm messages dropped.

It wraps nbconvert's own ``ExecutePreprocessor.preprocess`` (the kernel's start, its
``kernel_info`` and the loop over the cells stay nbconvert's); what it adds runs in the
hooks: ``preprocess_cell`` (the first call seals the runtime folder and installs the
guard) and ``_get_timeout``.  The kernel itself is started by ``provisioner`` (a jupyter_client
kernel provisioner) inside the sandbox.
"""
from __future__ import annotations

import os
import signal
from dataclasses import dataclass, field
from time import monotonic

from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from traitlets import Any, Bool, Instance, Integer, Unicode

from nbgrader import utils
from nbgrader.preprocessors import Execute

from . import judge, supervise, tamper
from .cells import grade_id
from .recorder import Recorder

# ename of the error outputs this step writes itself
KERNEL_DIED = "KernelDied"
NOT_RUN = "NotRun"
NOTEBOOK_TIMEOUT = "NotebookTimeoutError"
CELL_TIMEOUT = "CellTimeoutError"        # nbgrader's own (Execute.error_on_timeout)
HIDDEN_TESTS_FAILED = "HiddenTestsFailed"  # what is kept of an error in the hidden part
HIDDEN_STDERR = "(the hidden tests wrote to standard error: not shown)\n"


@dataclass
class ExecutionRecord:
    status: str = "graded"               # graded | timeout | kernel_died | error
    reason: str = ""                     # one sentence for the student
    cell: int | None = None              # index of the cell that timed out / killed the kernel
    grade_id: str | None = None          # its grade_id, if it is an nbgrader cell
    exit: str = ""                       # how the kernel ended, when it died
    restored: list[str] = field(default_factory=list)   # what the guard put back
    cell_seconds: dict[int, float] = field(default_factory=dict)
    cell_cpu_seconds: dict[int, float] = field(default_factory=dict)   # measured outside the kernel (a budget)
    unmeasured: list[str] = field(default_factory=list)  # grade ids whose CPU budget could not be measured
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    comms_dropped: int = 0               # comm messages over the bounds, not handled
    comms_malformed: int = 0             # comm messages nbclient could not handle, dropped


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"\x1b[0;31m{ename}\x1b[0m: {evalue}"])


def split_hidden(source: str) -> tuple[str, str] | None:
    """(visible part, hidden part) of a grade cell with a hidden-test region, else None.
    The visible part is the cell's first lines, so its line numbers are the cell's."""
    from ..regions import split_at_region

    return split_at_region(source, "hidden")


def hidden_part_outputs(outputs, noise_pattern: str | None, shown=()) -> list:
    """What is kept of the outputs of a grade cell's hidden part: exactly what nbgrader
    needs to score it (an error, a stderr write, a partial-credit value) and nothing that
    student code could have written (no message, no traceback, no printed text).

    stderr is judged as nbgrader judges a cell run in one piece, where it is one output
    (nbclient coalesces streams) that ``IgnorePattern`` drops whole when it matches: the
    hidden part's stderr is joined to the visible part's (in ``shown``, which is changed
    in place) when the two together are log noise.  A line of noise can arrive late, in
    the hidden part, from a child process the visible part started."""
    import re

    from nbgrader.utils import get_partial_grade

    kept = []
    errors = "".join(o.get("text", "") for o in outputs
                     if o.get("output_type") == "stream" and o.get("name") == "stderr")
    earlier = [o for o in shown if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    stderr_done = False
    for out in outputs:
        kind = out.get("output_type")
        if kind == "error":
            ename = CELL_TIMEOUT if out.get("ename") == CELL_TIMEOUT else HIDDEN_TESTS_FAILED
            if not any(o.get("output_type") == "error" for o in kept):
                kept.append(error_output(ename, ""))
        elif kind == "stream" and out.get("name") == "stderr" and not stderr_done:
            stderr_done = True
            before = earlier[-1].get("text", "") if earlier else ""
            if noise_pattern and re.search(noise_pattern, before + errors):
                if earlier:                # log noise: nbgrader's IgnorePattern drops it next
                    earlier[-1]["text"] = before + errors
                else:
                    kept.append(NotebookNode(output_type="stream", name="stderr", text=errors))
            else:
                kept.append(NotebookNode(output_type="stream", name="stderr", text=HIDDEN_STDERR))
        elif kind == "execute_result":
            try:
                value = float(get_partial_grade(out, 1.0))
            except Exception:
                continue
            kept.append(NotebookNode(output_type="execute_result", execution_count=None, metadata={},
                                     data={"text/plain": repr(value)}))
    return kept


def comm_size(msg: dict) -> int:
    """Bytes of a comm message's data and binary buffers (as JSON: what the kernel sent)."""
    import json

    data = (msg.get("content") or {}).get("data")
    try:
        text = len(json.dumps(data, default=str))
    except (TypeError, ValueError, RecursionError):
        text = len(repr(data))
    return text + sum(len(b) for b in msg.get("buffers") or [])


def describe_exit(returncode: int | None) -> str:
    if returncode is None:
        return "unknown"
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exit code {returncode}"


class GuardedExecute(Execute):
    notebook_timeout = Integer(0, help="Seconds for the whole notebook (0: no limit).").tag(config=True)
    recorder = Instance(Recorder, allow_none=True,
                        help="The worker's record of this submission: gets the ExecutionRecord.").tag(config=True)
    guard = Bool(True, help="Snapshot and restore what tests rely on before each grade cell.").tag(config=True)
    aux_timeout = Integer(30, help="Seconds for the guard's own silent executions.").tag(config=True)
    unresponsive_timeout = Integer(20, help="Seconds a timed-out kernel gets to answer again.").tag(config=True)
    watchdog = Any(None, allow_none=True,
                   help="The worker's supervise.MemoryWatchdog on this kernel, if any (peak memory, OOM kills).").tag(config=True)
    noise_pattern = Unicode("", help="stderr that is log noise (nbgrader's IgnorePattern.pattern).").tag(config=True)
    max_comms = Integer(1000, help="Comm messages handled per notebook; the rest are dropped.").tag(config=True)
    max_comm_mb = Integer(10, help="MB of comm messages handled per notebook; the rest are dropped.").tag(config=True)
    store_widget_state = Bool(False, help="nbclient's: widget state is not kept in the graded notebook.").tag(config=True)
    judged_dir = Unicode("", help="The template's recorded hidden checks (judge.SPEC_DIR): those grade "
                                  "cells are decided by the grader, not in the kernel.").tag(config=True)

    # -- comm and widget traffic ---------------------------------------------------------
    def handle_comm_msg(self, outs, msg, cell_index):
        """nbclient's handling (its Output widget emulation), within the bounds, and never
        fatal: a message it cannot handle is dropped and counted."""
        budget = self.max_comm_mb * 1024 * 1024 - self._comm_bytes
        size = comm_size(msg) if self._comm_count < self.max_comms and budget > 0 else None
        if size is None or size > budget:        # past a bound: dropped at once, not even measured
            self.rec.comms_dropped += 1
            return
        self._comm_count += 1
        self._comm_bytes += size
        try:
            super().handle_comm_msg(outs, msg, cell_index)
        except Exception:
            self.rec.comms_malformed += 1

    # -- time limits -------------------------------------------------------------------
    def _get_timeout(self, cell):
        if cell is None:
            return self._aux or super()._get_timeout(None)
        timeout = super()._get_timeout(cell)
        if self._cell_deadline is not None:      # a grade cell run in two parts: one limit
            remaining = max(1, int(self._cell_deadline - monotonic() + 0.999))
            timeout = min(timeout, remaining) if timeout else remaining
        if self._deadline is not None:
            remaining = max(1, int(self._deadline - monotonic() + 0.999))
            timeout = min(timeout, remaining) if timeout else remaining
        return timeout

    # -- the run -----------------------------------------------------------------------
    def preprocess(self, nb, resources=None, km=None):
        self.rec = ExecutionRecord()
        self._aux = None
        self._cell_deadline = None
        self._halt: tuple[str, str] | None = None
        self._ready = False
        self._comm_count = self._comm_bytes = 0
        self._deadline = monotonic() + self.notebook_timeout if self.notebook_timeout else None
        self._judged = judge.load(self.judged_dir)
        self._cwd = (resources or {}).get("metadata", {}).get("path") or "."
        self._deferred: list[tuple] = []
        self._deferred_launch: tuple | None = None
        t0 = monotonic()
        try:
            try:
                return super().preprocess(nb, resources, km)
            finally:
                self._decide_deferred()
        except DeadKernelError:          # died outside any cell (start-up, the guard)
            self._died(None, None)
            for cell in nb.cells:
                if cell.cell_type == "code" and not cell.get("outputs"):
                    cell.outputs = [error_output(NOT_RUN, "not run: the kernel had died")]
            return nb, self.resources
        finally:
            self.rec.seconds = monotonic() - t0
            if self.watchdog is not None:
                self.rec.peak_memory_mb = round(self.watchdog.peak_mb, 1)
            if self.recorder is not None:
                self.recorder.execution = self.rec

    def _kernel_ready(self) -> None:
        """Once, before the first cell (the kernel has answered kernel_info): the runtime
        folder is sealed and the guard takes its snapshot."""
        self._ready = True
        seal = getattr(getattr(self.km, "provisioner", None), "seal_runtime", None)
        if seal is not None:
            seal()
        if self.guard:
            self._silent(tamper.GUARD_SETUP)

    def preprocess_cell(self, cell, resources, index):
        if not self._ready:
            self._kernel_ready()
        if cell.cell_type != "code" or not cell.source.strip():
            return cell, resources
        if self._halt is None and self._deadline is not None and monotonic() >= self._deadline:
            self._timed_out(index, cell, notebook=True)
            self._halt = (NOTEBOOK_TIMEOUT, "not run: the notebook's time limit was used up")
        if self._halt is not None:
            cell.outputs = [error_output(*self._halt)]
            cell.execution_count = None
            return cell, resources
        try:
            if self.guard and utils.is_grade(cell):
                changed = self._silent(tamper.GUARD_RESTORE_CODE, expr=tamper.GUARD_RESULT_EXPR)
                for item in (changed or "").split(";"):
                    if item and item not in self.rec.restored:
                        self.rec.restored.append(item)
            t0 = monotonic()
            parts = split_hidden(cell.source) if utils.is_grade(cell) else None
            if parts is None:
                cell = self.execute_cell(cell, index, store_history=True)
            else:
                cell = self._execute_in_two(cell, index, *parts)
            self.rec.cell_seconds[index] = round(monotonic() - t0, 3)
        except DeadKernelError:
            self._died(index, cell)
            cell.outputs.append(error_output(KERNEL_DIED, self.rec.reason))
            self._halt = (NOT_RUN, "not run: the kernel had died")
            return cell, resources
        except CellTimeoutError as exc:   # no output for too long (iopub), nbclient gave up
            cell.outputs.append(error_output(CELL_TIMEOUT, str(exc).splitlines()[0]))
        if any(o.get("output_type") == "error" and o.get("ename") == CELL_TIMEOUT for o in cell.outputs):
            self._timed_out(index, cell)
            if not self._responsive():
                self._halt = (NOT_RUN, "not run: the kernel stopped responding after a time limit")
        return cell, resources

    def _execute_in_two(self, cell, index, visible: str, hidden: str):
        """A grade cell with hidden tests: the visible part first, then (if it passed) the
        hidden part, as a second request.  While the visible part runs, the kernel does not
        hold the hidden tests at all, so student code it calls cannot read them (IPython
        registers a cell's whole source in ``linecache`` before running it).  The hidden
        part leaves no history, its source and names are forgotten after it, and only what
        scores it is kept of its outputs (``hidden_part_outputs``)."""
        full = cell.source
        self._cell_deadline = monotonic() + self.timeout if self.timeout else None
        try:
            checks = self._judged.get(grade_id(cell))
            budgeted = any(c.get("cpu_seconds") is not None for c in checks or ())
            cell.source = visible
            cpu0 = supervise.descendants_cpu_seconds() if budgeted else None
            if visible.strip():
                self.execute_cell(cell, index, store_history=True)
            cpu = supervise.descendants_cpu_seconds() if cpu0 is not None else None
            if cpu is not None:
                self.rec.cell_cpu_seconds[index] = round(cpu - cpu0, 2)
            shown, count = list(cell.get("outputs", [])), cell.get("execution_count")
            if any(o.get("output_type") == "error" for o in shown):
                return cell          # the visible tests failed: nbgrader scores 0 either way
            if checks is not None:
                return self._judge(cell, index, checks, shown, count)
            cell.source = hidden
            if self.guard:
                self._silent(tamper.GUARD_MARK_CODE)
            try:
                self.execute_cell(cell, index, store_history=False)
            finally:
                cell.outputs = shown + hidden_part_outputs(cell.get("outputs", []), self.noise_pattern, shown)
                cell.execution_count = count
            if self.guard:
                self._silent(tamper.GUARD_FORGET_CODE)
            return cell
        finally:
            cell.source = full
            self._cell_deadline = None

    def _judge(self, cell, index, checks: list[dict], shown: list, count):
        """A judged grade cell's hidden part (``judge``): the kernel only produces (its checks
        that are not numpy only), the restricted interpreter produces the numpy-only ones, the
        grader decides.  A failure is the cell's error output, for nbgrader to score 0."""
        for check in checks:
            if check.get("cpu_seconds") is None:
                continue
            used = self.rec.cell_cpu_seconds.get(index)
            if used is None:
                self.rec.unmeasured.append(grade_id(cell))
            elif (problem := judge.cpu_problem(check["cpu_seconds"], used)):
                cell.outputs.append(error_output(HIDDEN_TESTS_FAILED, problem))
                return cell
        in_kernel = [c for c in checks if not c.get("numpy_only")]
        outcomes: dict[int, object] = {}
        kept: list = []
        if in_kernel:
            cell.source = judge.kernel_code(in_kernel)
            if self.guard:
                self._silent(tamper.GUARD_MARK_CODE)
            try:
                self.execute_cell(cell, index, store_history=False)
            finally:
                produced = list(cell.get("outputs", []))
                kept = [o for o in hidden_part_outputs(produced, self.noise_pattern, shown)
                        if o.get("output_type") != "execute_result"]
                cell.outputs = shown + kept
                cell.execution_count = count
            if self.guard:
                self._silent(tamper.GUARD_FORGET_CODE)
            results, why = judge.kernel_results(produced)
            if results is None or len(results) != len(in_kernel):
                problem = why or "the hidden tests' results could not be read"
                if not any(o.get("output_type") == "error" for o in kept):
                    cell.outputs.append(error_output(HIDDEN_TESTS_FAILED, problem))
                return cell
            outcomes.update({id(c): r for c, r in zip(in_kernel, results)})
        if any(o.get("output_type") == "error" for o in kept):
            return cell
        for check in checks:
            if check.get("numpy_only"):
                source = judge.solution_cell(self.nb, check["function"], index)
                remaining = (self._cell_deadline - monotonic()) if self._cell_deadline else 600.0
                spec, env = self._launch()
                outcomes[id(check)] = ({"cell": "missing"} if source is None else
                                       judge.run_restricted(check, source, spec, self._cwd, remaining, env=env))
            items = judge.keras_items(check, outcomes[id(check)])
            if items:      # decided at the end of the notebook, with every other one, in one checker
                self._deferred.append((cell, check, outcomes[id(check)], items))
                self._deferred_launch = self._deferred_launch or self._launch()
                continue
            problem = judge.decide(check, outcomes[id(check)])
            if problem:
                cell.outputs.append(error_output(HIDDEN_TESTS_FAILED, problem))
                return cell
        return cell

    def _decide_deferred(self) -> None:
        """The checks that need Keras (a model rebuilt from what the kernel exported), of every
        cell, in ONE clean checker process after the last cell: TensorFlow starts once per
        notebook, not once per cell.  A failure becomes its cell's error output, as in
        ``_judge``, unless the cell already failed."""
        if not self._deferred:
            return
        flat = [item for *_, items in self._deferred for _, item in items]
        budget = (self.timeout or 600) * len(self._deferred)
        spec, env = self._deferred_launch or (None, None)
        done = iter(judge.evaluate_keras(flat, spec, self._cwd, budget, env=env))
        for cell, check, outcome, items in self._deferred:
            verdicts = {k: next(done) for k, _ in items}
            problem = judge.decide(check, outcome, verdicts)
            if problem and not any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                cell.outputs.append(error_output(HIDDEN_TESTS_FAILED, problem))
        self._deferred = []

    def _launch(self) -> tuple:
        """(sandbox spec, environment) of this kernel, for the checks that run beside it:
        the provisioner's (``provisioner.SandboxProvisioner``), or (None, None)."""
        prov = getattr(self.km, "provisioner", None)
        if not hasattr(prov, "kernel_env"):
            return None, None
        return prov.spec, prov.kernel_env(os.environ)

    # -- helpers -----------------------------------------------------------------------
    def _silent(self, code: str, expr: str | None = None) -> str | None:
        """Run ``code`` in the kernel without output or history; return ``expr``'s text."""
        assert self.kc
        self._aux = self.aux_timeout
        try:
            msg_id = self.kc.execute(code, silent=True, store_history=False,
                                     user_expressions={"r": expr} if expr else None)
            reply = self.wait_for_reply(msg_id)
        finally:
            self._aux = None
        if not reply or not expr:
            return None
        value = reply["content"].get("user_expressions", {}).get("r", {})
        text = value.get("data", {}).get("text/plain", "") if value.get("status") == "ok" else ""
        return text.strip("'\"")

    def _responsive(self) -> bool:
        """After a timeout: does the kernel answer again?  If not, kill it."""
        self._aux = self.unresponsive_timeout
        try:
            msg_id = self.kc.execute("pass", silent=True, store_history=False)
            reply = self.wait_for_reply(msg_id)
        except DeadKernelError:
            reply = None
        finally:
            self._aux = None
        if reply is not None:
            return True
        self.rec.reason += " The kernel did not respond to the interrupt and was stopped."
        supervise.kill_tree(self._kernel_pid())
        return False

    def _kernel_pid(self) -> int | None:
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        return getattr(proc, "pid", None)

    def _exit_code(self) -> int | None:
        prov = getattr(self.km, "provisioner", None)
        proc = getattr(prov, "process", None)
        if proc is None:
            return None
        try:
            proc.wait(timeout=5)
        except Exception:
            pass
        return proc.returncode

    def _where(self, index, cell) -> str:
        if index is None:
            return "before the first cell"
        gid = grade_id(cell) if cell is not None else None
        return f"cell {index}" + (f" ({gid})" if gid else "")

    def _timed_out(self, index, cell, notebook: bool = False) -> None:
        if self.rec.status in ("kernel_died", "timeout"):
            return
        self.rec.status = "timeout"
        self.rec.cell = index
        self.rec.grade_id = grade_id(cell)
        if notebook or (self._deadline is not None and monotonic() >= self._deadline - 1):
            self.rec.reason = (f"The notebook used up its time limit of {self.notebook_timeout} s; "
                               f"it was stopped at {self._where(index, cell)} and the cells after it were not run.")
        else:
            self.rec.reason = (f"{self._where(index, cell).capitalize()} ran longer than the {self.timeout} s "
                               f"limit per cell and was interrupted (an infinite loop?).")

    def _died(self, index, cell) -> None:
        code = self._exit_code()
        exit_text = describe_exit(code)
        oom = self.watchdog.killed_at_mb if self.watchdog is not None else None
        where = self._where(index, cell)
        self.rec.cell, self.rec.exit = index, exit_text
        self.rec.grade_id = grade_id(cell) if cell is not None else None
        if code is not None and code < 0 and -code in (signal.SIGXCPU,):
            self.rec.status = "timeout"
            self.rec.reason = (f"The kernel used up its CPU-time limit at {where} and was stopped; "
                               "points earned before it are kept, the cells after it were not run.")
            return
        self.rec.status = "kernel_died"
        if oom:
            why = f"it used more than the memory limit of {self.watchdog.limit_mb} MB and was stopped"
        elif code is not None and code < 0 and -code == signal.SIGSEGV:
            why = "it crashed (segmentation fault)"
        elif code is not None and code >= 0:
            why = f"it exited ({exit_text}: os._exit, sys.exit in a thread, or a crash)"
        else:
            why = exit_text
        self.rec.reason = (f"The kernel died at {where}: {why}. Points earned before that cell are kept; "
                           "the cells after it were not run.")
