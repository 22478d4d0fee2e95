"""The figures in assets/ are what autograder.authoring.figures draws now, they say what the course says
(the LSTM's gates in Keras' order, the GRU's two biases, the per-step factor of BPTT), and every image a
notebook shows is a local file that resolves in source/, in notebooks/ and in the student bundle."""
from __future__ import annotations

import contextlib
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import numpy as np
import pytest

from autograder.authoring import bundle, figures
from autograder.authoring.figures import FIGURES
from rnnkit.plots import GATE_COLORS

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
SOURCE = ROOT / "source"
RELEASE = ROOT / "notebooks"

# ![alt](target "title"), <img ... src="target">, and [ref]: target definitions
MD_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
REMOTE_IMAGE = re.compile(r"(?:https?:)?//[^\s\"')>]+\.(?:png|jpe?g|gif|svg|webp|bmp)\b", re.I)
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"}


# --------------------------------------------------------------------------- the scanner
def image_links(nb) -> list[str]:
    """Every image target a notebook names: markdown and HTML images, image reference
    definitions, and remote image addresses anywhere (code cells included)."""
    links: list[str] = []
    for cell in nb.cells:
        src = cell.source
        if cell.cell_type == "markdown":
            links += MD_IMAGE.findall(src) + HTML_IMAGE.findall(src)
            links += [t for t in REF_DEF.findall(src) if Path(urlsplit(t).path).suffix.lower() in IMAGE_SUFFIXES]
        else:
            links += HTML_IMAGE.findall(src)
        links += [m.group(0) for m in REMOTE_IMAGE.finditer(src)]
    return list(dict.fromkeys(links))


def is_remote(link: str) -> bool:
    parts = urlsplit(link)
    return bool(parts.scheme and parts.scheme not in ("attachment", "data")) or link.startswith("//")


def local_target(link: str) -> str | None:
    """The relative file path of a local link (None for attachments and data URIs)."""
    if link.startswith(("attachment:", "data:")):
        return None
    return unquote(urlsplit(link).path)


def problems_of(nb_path: Path, repo: Path = ROOT, bundled: set[str] | None = None) -> list[str]:
    """What is wrong with the images of one notebook (empty when nothing is)."""
    nb = nbformat.read(nb_path, as_version=4)
    rel_nb = nb_path.resolve().relative_to(repo.resolve())
    # The header (source/header.ipynb) is pasted on top of every student notebook, so its
    # links must work from an assignment folder: resolve them from source/<any_assignment>/.
    folder = rel_nb.parent.as_posix()
    if folder == "source":
        folder = "source/_header_"
    out = []
    for link in image_links(nb):
        if is_remote(link):
            out.append(f"{rel_nb}: remote image {link} (draw it into assets/ with autograder.authoring.figures)")
            continue
        target = local_target(link)
        if target is None:
            continue
        if target.startswith("/"):
            out.append(f"{rel_nb}: absolute image path {link}: use a relative path such as ../../assets/<name>.png")
            continue
        in_repo = posixpath.normpath(posixpath.join(folder, target))
        if in_repo.startswith("../") or not (repo / in_repo).is_file():
            out.append(f"{rel_nb}: image {link} does not resolve (looked for {in_repo})")
            continue
        # the same relative path from notebooks/<aid>/ inside the student bundle
        aid = Path(folder).name
        in_bundle = posixpath.normpath(posixpath.join("notebooks", aid, target))
        if bundled is not None and in_bundle not in bundled:
            out.append(f"{rel_nb}: image {link} is {in_bundle} in the student bundle, which does not ship it")
        if (in_repo.startswith("assets/") or "/assets/" in in_repo) and Path(in_repo).stem not in FIGURES:
            out.append(f"{rel_nb}: {in_repo} is not drawn by autograder.authoring.figures (add it to FIGURES)")
    return out


def notebooks() -> list[Path]:
    return sorted(SOURCE.rglob("*.ipynb")) + sorted(RELEASE.rglob("*.ipynb"))


def bundled_files() -> set[str]:
    return {p.relative_to(ROOT).as_posix() for p in bundle.bundle_files(ROOT)}


# --------------------------------------------------------------------------- the figures
def _draw(out: Path) -> dict[str, bytes]:
    subprocess.run([sys.executable, "-m", "autograder", "assets", "--out", str(out)], cwd=ROOT, check=True,
                   capture_output=True, text=True, timeout=300)
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.png"))}


@pytest.fixture(scope="module")
def drawn_twice(tmp_path_factory):
    return _draw(tmp_path_factory.mktemp("figures-a")), _draw(tmp_path_factory.mktemp("figures-b"))


def test_the_script_draws_every_figure_deterministically(drawn_twice):
    first, second = drawn_twice
    assert sorted(first) == sorted(f"{name}.png" for name in FIGURES)
    changed = [name for name in first if first[name] != second.get(name)]
    assert not changed, f"two runs of autograder.authoring.figures drew different bytes: {changed}"


def test_make_assets_writes_into_the_repos_assets_folder():
    """`make assets` runs the module without --out: its default must be assets/, not a folder beside the module."""
    assert figures.ASSETS == ASSETS, f"the figures' default folder is {figures.ASSETS}, not {ASSETS}"


def test_assets_are_what_the_script_draws_now(drawn_twice):
    drawn, _ = drawn_twice
    committed = {p.name: p.read_bytes() for p in sorted(ASSETS.glob("*.png"))}
    missing = sorted(set(drawn) - set(committed))
    stale = sorted(set(committed) - set(drawn))
    differ = sorted(n for n in set(drawn) & set(committed) if drawn[n] != committed[n])
    assert not (missing or differ), (f"assets/ is out of date (missing {missing}, differ {differ}): "
                                     "run `make assets` and commit assets/")
    assert not stale, f"assets/ holds figures no code draws: {stale}: remove them or add them to autograder.authoring.figures"


# --------------------------------------------------------------------------- what the figures say
@contextlib.contextmanager
def _open_figure(name):
    """The matplotlib figure that FIGURES[name] draws (not saved), under the module's fixed state."""
    import matplotlib.pyplot as plt

    with figures._deterministic_matplotlib():
        fig = FIGURES[name](None)
        try:
            yield fig
        finally:
            plt.close(fig)


def _texts(fig, axes=None) -> list[str]:
    """Every string the figure (or the given axes) shows: texts, titles, legend entries."""
    out = [] if axes is not None else [t.get_text() for t in fig.texts]
    for ax in axes if axes is not None else fig.axes:
        out += [t.get_text() for t in ax.texts] + [ax.get_title()]
        if ax.get_legend() is not None:
            out += [t.get_text() for t in ax.get_legend().get_texts()]
    return out


def _gate_boxes(ax, gates) -> dict[str, tuple[float, float]]:
    """The centre of the filled box drawn in each gate's colour (one box per gate)."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import FancyBboxPatch

    found: dict[str, list] = {g: [] for g in gates}
    for patch in ax.patches:
        if not isinstance(patch, FancyBboxPatch):
            continue
        for g in gates:
            if np.allclose(patch.get_facecolor(), to_rgba(GATE_COLORS[g])):
                found[g].append((patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2))
    assert all(len(v) == 1 for v in found.values()), f"expected one filled box per gate, found {found}"
    return {g: v[0] for g, v in found.items()}


def _nodes(ax, symbol) -> list[tuple[float, float]]:
    return [t.get_position() for t in ax.texts if t.get_text() == symbol]


def test_lstm_diagram_draws_the_gates_in_keras_order_with_the_right_wiring():
    assert figures.LSTM_GATE_ORDER == ("i", "f", "c", "o"), "Keras' kernel columns are i, f, c, o"
    with _open_figure("lstm_cell") as fig:
        ax = fig.axes[0]
        boxes = _gate_boxes(ax, "ifco")
        drawn = tuple(sorted(boxes, key=lambda g: boxes[g][0]))
        assert drawn == ("i", "f", "c", "o"), f"the gate boxes read {drawn} left to right, not Keras' i, f, c, o"
        crosses, pluses = _nodes(ax, "×"), _nodes(ax, "+")
        top = max(y for _, y in crosses + pluses)
        on_highway = sorted(x for x, y in crosses + pluses if np.isclose(y, top))
        assert len(on_highway) == 2, f"the cell-state line should hold one × and one +, holds {on_highway}"
        (x_times,) = [x for x, y in crosses if np.isclose(y, top)]
        (x_plus,) = [x for x, y in pluses if np.isclose(y, top)]
        assert x_times < x_plus, "c_{t-1} must meet × f_t before + i_t ⊙ c̃_t"
        assert np.isclose(x_times, boxes["f"][0]), "the × on the cell state must sit over the forget gate f"
        # i ⊙ c̃: a × over the candidate, under the +, fed from the left by the blue line of i
        ic = [(x, y) for x, y in crosses if np.isclose(x, boxes["c"][0]) and y < top]
        assert len(ic) == 1 and np.isclose(x_plus, boxes["c"][0]), "i ⊙ c̃ should sit over c̃, under the +"
        blue = [line for line in ax.lines if line.get_color() == GATE_COLORS["i"]]
        assert any(np.isclose(line.get_xdata()[0], boxes["i"][0]) and np.isclose(line.get_ydata()[-1], ic[0][1])
                   for line in blue), "the input gate's line should run from i up to the height of i ⊙ c̃"
        # o multiplies tanh(c_t): the tanh node sits between the cell state and the × that o feeds
        (x_tanh, y_tanh) = _nodes(ax, "tanh")[-1]
        below = [(x, y) for x, y in crosses if np.isclose(x, x_tanh) and y < y_tanh]
        assert len(below) == 1 and boxes["o"][0] < x_tanh, "o_t should multiply tanh(c_t), right of the gates"
        equations = " ".join(_texts(fig, fig.axes[1:]))
        assert equations.index("$i_t =") < equations.index("$f_t =") < equations.index(r"$\tilde{c}_t =") \
            < equations.index("$o_t =")


def test_gru_diagram_shows_both_biases_where_keras_adds_them():
    with _open_figure("gru_cell") as fig:
        diagram = _texts(fig, fig.axes[:1])
        for g in "zr":
            assert any(f"b[0]_{g}" in t and f"b[1]_{g}" in t for t in diagram), \
                f"the diagram should show b[0]_{g} and b[1]_{g} going into the {g} gate"
        # reset_after=True: r multiplies (h_{t-1} U_h + b[1]_h); b[0]_h joins x_t W_h outside the reset
        assert any("U_h" in t and "b[1]_h" in t for t in diagram), "b[1]_h belongs with h_{t-1} U_h, inside the reset"
        assert any("W_h" in t and "b[0]_h" in t for t in diagram), "b[0]_h belongs with x_t W_h, outside the reset"
        assert not any("U_h" in t and "b[0]_h" in t for t in diagram)
        equations = " ".join(_texts(fig, fig.axes[1:])).replace(" ", "")
        for piece in (r"z_t=\sigma(x_tW_z+b[0]_z+h_{t-1}U_z+b[1]_z)", r"r_t=\sigma(x_tW_r+b[0]_r+h_{t-1}U_r+b[1]_r)",
                      r"\tanh(x_tW_h+b[0]_h+r_t\odot(h_{t-1}U_h+b[1]_h))"):
            assert piece in equations, f"the equations should read CONTRIBUTING.md's {piece}"
        assert "b_z" not in equations and "b_r" not in equations


def test_gradient_path_says_what_its_per_step_factor_is():
    symbol = figures.STEP_FACTOR
    assert symbol != r"\gamma", "notebook 01 calls γ = max f' the largest slope: the per-step factor needs its own letter"
    with _open_figure("gradient_path") as fig:
        texts = _texts(fig)
        legend = [e.get_text() for ax in fig.axes if ax.get_legend() is not None for e in ax.get_legend().get_texts()]
        assert legend and all(r"\gamma" not in t for t in legend), f"the curves are labelled with γ: {legend}"
        assert sum(f"${symbol} = " in t for t in legend) >= 4, f"the curves should be labelled with {symbol}: {legend}"
        defined = [t for t in texts if t.startswith(f"${symbol}$: the per-step factor of the backward product")]
        assert defined, "the figure should say what its per-step factor is"
        assert r"\gamma = \max f" in defined[0], "the definition should set the factor apart from γ = max f'"
        assert all(r"\gamma" not in t or r"\gamma = \max f" in t for t in texts), \
            "every γ in the figure should be the largest slope max f'"


# --------------------------------------------------------------------------- the links
def test_no_notebook_links_a_remote_image():
    remote = [p for nb in notebooks() for p in problems_of(nb) if "remote image" in p]
    assert not remote, "\n".join(remote)


def test_every_image_path_resolves_in_the_repo_and_in_the_student_bundle():
    bundled = bundled_files()
    problems = [p for nb in notebooks() for p in problems_of(nb, bundled=bundled) if "remote image" not in p]
    assert not problems, "\n".join(problems)


def test_the_checks_catch_each_kind_of_bad_image(tmp_path):
    """The scanner itself: a notebook with one of each mistake, in a repo-like layout."""
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "lstm_cell.png").write_bytes(b"png")
    (tmp_path / "assets" / "old_photo.png").write_bytes(b"png")
    folder = tmp_path / "source" / "09_demo"
    folder.mkdir(parents=True)
    md = "\n".join([
        "![ok](../../assets/lstm_cell.png)",
        "![remote](https://miro.medium.com/max/700/1*abc.png)",
        '<img src="//ibm.box.com/shared/static/x.png" width="300">',
        "![missing](../../assets/nope.png)",
        "![absolute](/assets/lstm_cell.png)",
        "![outside](../../../elsewhere.png)",
        "![not drawn by code](../../assets/old_photo.png)",
        "![attached](attachment:image.png)",
    ])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(md),
                                         nbformat.v4.new_code_cell('Image(url="http://x.org/a.gif")')])
    path = folder / "09_demo.ipynb"
    nbformat.write(nb, path)
    found = "\n".join(problems_of(path, repo=tmp_path, bundled={"assets/lstm_cell.png"}))
    for expected in ("remote image https://miro.medium.com", "remote image //ibm.box.com", "remote image http://x.org",
                     "assets/nope.png does not resolve", "absolute image path", "elsewhere.png does not resolve",
                     "does not ship it", "assets/old_photo.png is not drawn"):
        assert expected in found, f"missed: {expected}\n{found}"
    assert "lstm_cell.png does not" not in found and "attachment" not in found


def test_released_folders_are_self_contained():
    """A released folder (what nbgrader's exchange hands out) shows figures from its own
    assets/ only, byte-identical to the course's assets/, and holds no figure it does not show."""
    for nb_path in sorted(RELEASE.glob("*/*.ipynb")):
        folder = nb_path.parent
        links = {local_target(l) for l in image_links(nbformat.read(nb_path, as_version=4)) if not is_remote(l)} - {None}
        assert all(l.startswith("assets/") for l in links), f"{nb_path}: links outside its folder: {sorted(links)}"
        shipped = {p.relative_to(folder).as_posix() for p in (folder / "assets").glob("*")} if (folder / "assets").is_dir() else set()
        assert shipped == links, f"{folder.name}: ships {sorted(shipped)} but shows {sorted(links)}"
        for rel in shipped:
            assert (folder / rel).read_bytes() == (ASSETS / Path(rel).name).read_bytes(), f"{folder.name}/{rel} is stale: make release"
