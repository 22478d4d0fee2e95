"""Step: tampering.  Restore what a student may not change, and detect what cannot be restored.

Three layers:

1. **Locked cells** (``sanitize``, steps of nbgrader's own sanitize pass): nbgrader's
   ``OverwriteCells`` puts the master's locked cells back (checksums for edited cells,
   ``add_missing_cells`` for deleted ones), and what it reports is recorded: an edited cell
   is flagged ``tests_modified``, a deleted one ``cells_deleted``.
2. **Static scan** (``scan_notebook``): the student's cells are parsed (IPython syntax
   included) and searched for code that changes what the tests rely on: assigning to an
   attribute of a module (``np.allclose = ...``, ``numpy.testing.assert_allclose = ...``),
   ``setattr`` on one, builtins (``builtins.len = ...``, a module-level ``isinstance = ...``
   shadowing a builtin a test uses), a test helper redefined, IPython's machinery
   (``set_custom_exc``, input/AST transformers, event hooks), ``sys.settrace``, ``ctypes``,
   ``unittest.mock`` and code hidden in ``exec``/``eval`` strings.  Any hit is flagged
   ``tampering_suspected`` (and the score ``needs_review``).
3. **Runtime guard** (``GUARD_SETUP`` / ``GUARD_RESTORE``, run by ``execution.GuardedExecute``
   in the kernel, invisibly): before the first cell it snapshots builtins, numpy,
   numpy.testing, math and the IPython shell's hooks; before every grade cell it puts back
   anything that changed, so a patched ``np.allclose`` cannot make a test pass, and reports
   what it had to restore (also flagged ``tampering_suspected``).
"""
from __future__ import annotations

import ast
import builtins
from dataclasses import dataclass
from pathlib import Path

from .cells import grade_id, locked_test


# ----------------------------------------------------------------------------------------
# the static scan of the student's cells
# ----------------------------------------------------------------------------------------

# Names that are modules in every course notebook, even when the student cell that
# imported them is not the one doing the patching.
KNOWN_MODULES = {"np", "numpy", "tf", "tensorflow", "keras", "math", "builtins", "sys", "os", "random",
                 "rnnkit", "scipy", "plt", "matplotlib", "unittest", "operator", "functools", "IPython",
                 "__builtins__", "ipykernel", "inspect", "types", "importlib", "gc", "warnings", "nbgrader"}
IPYTHON_HOOKS = {"set_custom_exc", "CustomTB", "custom_exceptions", "input_transformers_post",
                 "input_transformers_cleanup", "input_transformer_manager", "ast_transformers", "events",
                 "showtraceback", "showsyntaxerror", "run_cell", "run_cell_async", "run_ast_nodes", "run_code",
                 "transform_cell", "displayhook", "display_pub", "kernel", "register_magic_function",
                 "set_hook", "excepthook", "ex", "ev"}
SUSPECT_CALLS = {("sys", "settrace"), ("sys", "setprofile"), ("threading", "settrace"), ("threading", "setprofile"),
                 ("gc", "get_referrers"), ("gc", "get_referents"), ("gc", "get_objects"), ("sys", "_getframe"),
                 ("inspect", "currentframe"), ("importlib", "reload"),
                 # ways to read the cell a test runs in, or every later one (the hidden tests)
                 ("sys", "addaudithook"), ("sys", "_current_frames"), ("inspect", "stack"), ("inspect", "trace"),
                 ("inspect", "getouterframes"), ("inspect", "getframeinfo"), ("linecache", "getlines"),
                 ("linecache", "getline"), ("traceback", "extract_stack"), ("traceback", "walk_stack")}
SUSPECT_IMPORTS = {"ctypes", "unittest.mock", "mock", "cffi", "_ctypes", "linecache"}
BUILTIN_NAMES = set(dir(builtins))
# attribute chains that are settings, not behaviour the tests rely on
SETTINGS = {"environ", "rcParams", "options"}


@dataclass(frozen=True)
class Finding:
    cell: int          # index of the code cell in the submitted notebook
    line: int
    what: str

    def __str__(self) -> str:
        return f"cell {self.cell}, line {self.line}: {self.what}"


def python_source(source: str) -> str:
    """Cell source with IPython syntax (magics, !shell) turned into plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:
        return source


def _root_name(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    if isinstance(node, ast.Call):     # get_ipython().x, vars(np)[...]
        return _root_name(node.func)
    return node.id if isinstance(node, ast.Name) else None


def _dotted(node) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # pragma: no cover
        return "?"


def _module_level_bindings(tree) -> list[tuple[str, int]]:
    """Names a cell binds in the notebook's namespace, with their line."""
    out = []

    def targets(t, line):
        if isinstance(t, ast.Name):
            out.append((t.id, line))
        elif isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                targets(e, line)
        elif isinstance(t, ast.Starred):
            targets(t.value, line)

    def walk(body, top=True):
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                out.append((node.name, node.lineno))
                # `global x` inside a function rebinds the module-level x
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Global):
                        for name in sub.names:
                            out.append((name, sub.lineno))
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    targets(t, node.lineno)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                targets(node.target, node.lineno)
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                targets(node.target, node.lineno)
                walk(node.body), walk(node.orelse)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        targets(item.optional_vars, node.lineno)
                walk(node.body)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    out.append(((alias.asname or alias.name).split(".")[0], node.lineno))
            elif isinstance(node, (ast.If, ast.While)):
                walk(node.body), walk(node.orelse)
            elif isinstance(node, ast.Try):
                walk(node.body), walk(node.orelse), walk(node.finalbody)
                for h in node.handlers:
                    walk(h.body)
        return out

    walk(tree.body)
    for node in ast.walk(tree):   # walrus assignments anywhere at module level count too
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            out.append((node.target.id, node.lineno))
    return out


def _imported_names(tree) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                names.add((alias.asname or alias.name).split(".")[0])
    return names


def scan_source(source: str, cell: int, modules: set[str], protected: dict[str, str], depth: int = 0) -> list[Finding]:
    """Findings in one student cell.  ``modules``: names bound to modules anywhere in the
    student's code; ``protected``: name -> why it must not be rebound (builtins the tests
    use, helpers the locked cells define)."""
    try:
        tree = ast.parse(python_source(source) if depth == 0 else source)
    except SyntaxError:
        return []
    found: list[Finding] = []
    modules = modules | _imported_names(tree) | KNOWN_MODULES

    def hit(node, what):
        found.append(Finding(cell, getattr(node, "lineno", 0), what))

    def check_target(t, node, verb="assigns"):
        if isinstance(t, (ast.Tuple, ast.List)):
            for e in t.elts:
                check_target(e, node, verb)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            root = _root_name(t)
            text = _dotted(t)
            if "__builtins__" in text or "sys.modules" in text or "__dict__" in text or text.startswith("vars("):
                hit(node, f"{verb} {text}: changes a module the tests rely on")
            elif isinstance(t, ast.Subscript):
                return          # np_array[0] = 1, os.environ["X"] = ..., plt.rcParams[...] = ...
            elif any(part in SETTINGS for part in text.split(".")):
                return          # pd.options.display.max_rows = ..., mpl.rcParams.x = ...
            elif root in modules or root == "get_ipython":
                hit(node, f"{verb} {text}: changes a module the tests rely on")

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            for t in node.targets:
                check_target(t, node)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            check_target(node.target, node)
        elif isinstance(node, ast.Delete):
            for t in node.targets:
                check_target(t, node, "deletes")
        elif isinstance(node, ast.Call):
            func = node.func
            fname = func.id if isinstance(func, ast.Name) else None
            if fname in ("setattr", "delattr") and node.args:
                root = _root_name(node.args[0])
                if root in modules or root == "get_ipython" or (isinstance(node.args[0], ast.Call)):
                    hit(node, f"{fname}({_dotted(node.args[0])}, ...): changes a module the tests rely on")
            if fname in ("exec", "eval", "compile") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and depth < 3:
                    found.extend(scan_source(arg.value, cell, modules, protected, depth + 1))
                else:
                    hit(node, f"{fname}() of code built at run time: cannot be checked")
            if fname == "__import__":
                hit(node, "__import__(): dynamic import")
            if isinstance(func, ast.Attribute):
                root = _root_name(func.value)
                if (root, func.attr) in SUSPECT_CALLS or (_dotted(func.value).split(".")[-1], func.attr) in SUSPECT_CALLS:
                    hit(node, f"calls {_dotted(func)}")
                if func.attr in ("patch", "patch.object") and root in ("mock", "unittest"):
                    hit(node, f"calls {_dotted(func)}")
        if isinstance(node, ast.Attribute) and node.attr in IPYTHON_HOOKS:
            # get_ipython().set_custom_exc(...), ip.events.register(...), ...
            chain = _dotted(node)
            if "get_ipython" in chain or _root_name(node) in ("ip", "shell", "_ip", "ipython"):
                hit(node, f"uses IPython's {node.attr}: can change how test cells run")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mod = node.module if isinstance(node, ast.ImportFrom) else None
            for alias in node.names:
                full = f"{mod}.{alias.name}" if mod else alias.name
                if any(full == s or full.startswith(s + ".") or (mod and mod.startswith(s)) for s in SUSPECT_IMPORTS):
                    hit(node, f"imports {full}")
        if isinstance(node, ast.Name) and node.id == "__builtins__":
            hit(node, "uses __builtins__")
    for name, line in _module_level_bindings(tree):
        if name in protected:
            found.append(Finding(cell, line, f"rebinds {name!r}: {protected[name]}"))
    return sorted(set(found), key=lambda f: (f.cell, f.line, f.what))


def _names_used(source: str) -> set[str]:
    try:
        tree = ast.parse(python_source(source))
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def protected_names(master) -> dict[str, str]:
    """Names a student must not rebind at module level: the builtins the grade cells use,
    and the helpers a grade cell uses without defining them itself when a locked cell
    defines them (a name a grade cell binds before use is safe whatever students do)."""
    from nbgrader.utils import is_grade, is_locked

    builtins_used, free, helpers, free_for_students = set(), set(), set(), set()
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(python_source(cell.source))
        except SyntaxError:
            continue
        bound = {n for n, _ in _module_level_bindings(tree)}
        if is_grade(cell) or is_locked(cell):
            helpers |= bound - _imported_names(tree)
            if is_grade(cell):
                used = _names_used(cell.source)
                builtins_used |= used & BUILTIN_NAMES
                free |= used - bound
        else:
            free_for_students |= bound
    out = {n: "a builtin the tests use" for n in builtins_used}
    for n in (helpers & free) - free_for_students - {"_", "__", "___"}:
        out.setdefault(n, "a helper the locked test cells define")
    return out


def student_cells(submitted, release):
    """(index, source) of the code cells a student could have written or changed: every code
    cell except the locked cells that are identical to the released ones."""
    locked = {}
    for cell in release.cells:
        if locked_test(cell):
            locked[grade_id(cell)] = cell.source
    out = []
    for index, cell in enumerate(submitted.cells):
        if cell.get("cell_type") != "code":
            continue
        gid = grade_id(cell)
        if gid in locked and cell.get("source") == locked[gid]:
            continue
        out.append((index, cell.get("source", "")))
    return out


def scan_notebook(submitted, release, master) -> list[Finding]:
    cells = student_cells(submitted, release)
    modules: set[str] = set()
    for _, src in cells:
        try:
            modules |= _imported_names(ast.parse(python_source(src)))
        except SyntaxError:
            pass
    protected = protected_names(master)
    found: list[Finding] = []
    for index, src in cells:
        found += scan_source(src, index, modules, protected)
    return found


# ----------------------------------------------------------------------------------------
# 3. runtime guard (runs inside the kernel; sent as code, never shown in the notebook)
# ----------------------------------------------------------------------------------------

GUARD_MODULE = "_autograder_guard"

def guard_setup_code() -> str:
    """The code that installs ``kernel_guard`` in the kernel as the module GUARD_MODULE."""
    source = (Path(__file__).with_name("kernel_guard.py")).read_text(encoding="utf-8")
    return GUARD_INSTALL % {"name": GUARD_MODULE, "source": source}


GUARD_INSTALL = r'''
def _autograder_guard_install():
    import sys, types
    mod = types.ModuleType("%(name)s")
    exec(compile(%(source)r, "<autograder>", "exec"), mod.__dict__)
    sys.modules["%(name)s"] = mod
    mod.snapshot()
_autograder_guard_install()
del _autograder_guard_install
'''
GUARD_SETUP = guard_setup_code()

GUARD_RESTORE_CODE = f"__import__('sys').modules['{GUARD_MODULE}'].run()"
GUARD_RESULT_EXPR = f"__import__('sys').modules['{GUARD_MODULE}'].LAST"
GUARD_MARK_CODE = f"__import__('sys').modules['{GUARD_MODULE}'].mark()"
GUARD_FORGET_CODE = f"__import__('sys').modules['{GUARD_MODULE}'].forget()"
