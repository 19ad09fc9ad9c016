"""The research notebooks run top to bottom on the bundled corpus and each shows at least one figure."""

from __future__ import annotations

from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=900, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, f"{path.name} shows no figure"


def test_a_notebook_shows_the_progress_bar(tmp_path):
    """Parsing a folder from a notebook shows tqdm's bar by default: the widget with ipywidgets (no
    IProgress warning), else a text bar; the kernel's outputs are where a reader sees it."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    import shutil

    corpus = Path(__file__).resolve().parents[1] / "corpus"
    for name in ("wuhu-city-gov-2024.txt", "sanhe-town-gov-2021.txt"):
        shutil.copy(corpus / name, tmp_path / name)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import textmine\n"
        f"corpus = textmine.Corpus.from_dir({str(tmp_path)!r}, store=False)\n"
        "print(len(corpus.documents), 'reports')")]
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    outputs = nb.cells[0]["outputs"]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "IProgress" not in text
    widgets = [o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        assert "parsing" in text and "2/2" in text  # the text bar, on stderr
    else:
        assert widgets, outputs
        assert "parsing" in widgets[0]["data"]["text/plain"]
    assert "2 reports" in text
