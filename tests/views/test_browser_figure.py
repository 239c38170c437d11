"""A standalone figure cell in a real browser: JupyterLab 4 on 127.0.0.1, headless Chromium driven
by Playwright, no `%matplotlib` magic and no pyplot. The cell's last value is
`views.offset_timeline(cluster)` (then `views.protocol_timeline(cluster)`); each must show as an
`<img>` of non-zero size, at the display size the figure was laid out for, and nowhere as
`<Figure size ...>` text.

The harness of tests/widgets/jupyterlab.py: Debian's chromium, throw-away Jupyter config,
data and runtime directories, a token, every process stopped by its id, every wait bounded.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.widgets.jupyterlab import (
    CHROMIUM,
    STEP_MS,
    Lab,
    launch,
    note_kernel_pid,
    open_notebook,
    running_lab,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test extra")
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (./run test installs it)"
)

CELLS = [
    "import os\nprint('kernel pid', os.getpid())",
    "from eoslab import Cluster, views\n"
    "from eoslab.client import Producer\n"
    "cluster = Cluster()\n"
    "cluster.create_topics([('t', 1, 1)])\n"
    "p = Producer({'bootstrap.servers': cluster.bootstrap_servers, 'transactional.id': 'tx'})\n"
    "p.init_transactions()\n"
    "p.begin_transaction()\n"
    "p.produce('t', value='a')\n"
    "p.commit_transaction()",
    "views.offset_timeline(cluster)",
    "views.protocol_timeline(cluster)",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    with running_lab(tmp_path_factory.mktemp("jupyterlab-figure"), CELLS, "figure.ipynb") as server:
        yield server


def test_a_standalone_figure_cell_shows_an_image(lab: Lab) -> None:
    with playwright_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = open_notebook(browser, lab, "figure.ipynb", 1280, 1400)
            note_kernel_pid(page, lab)
            page.wait_for_function(
                "() => { const imgs = [...document.querySelectorAll('.jp-OutputArea-output img')];"
                " return imgs.length >= 2 && imgs.every(i => i.complete && i.naturalWidth > 0); }",
                timeout=STEP_MS,
            )
            images = page.evaluate(
                "() => [...document.querySelectorAll('.jp-OutputArea-output img')].map(i => {"
                " const r = i.getBoundingClientRect();"
                " return [i.naturalWidth, i.naturalHeight, r.width, r.height,"
                " i.getAttribute('width')]; })"
            )
            outputs = page.inner_text(".jp-Notebook")
        finally:
            browser.close()
    assert len(images) == 2
    timeline, protocol = images
    for natural_w, natural_h, shown_w, shown_h, _ in images:
        assert natural_w > 0 and natural_h > 0 and shown_w > 0 and shown_h > 0
    assert timeline[0] == 1760 and timeline[4] == "880"  # drawn at 2x, shown at its 880 px
    assert 0 < timeline[2] <= 880
    assert protocol[0] > 0 and int(protocol[4]) * 2 in (
        protocol[0] - 1,
        protocol[0],
        protocol[0] + 1,
    )
    assert "<Figure size" not in outputs
