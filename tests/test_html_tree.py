"""The lxml HTML loader against what the BeautifulSoup loader it replaced gave.

The digests below are of the block sequence and page metadata that the BeautifulSoup loader produced
for the same files (recorded when the loader changed); the real pages stay in ../shared, only their
digests are here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from textmine.loaders import load_document
from textmine.loaders.html import parse_html

ROOT = Path(__file__).resolve().parents[1]
SHARED_REAL = ROOT.parent / "shared" / "real"

BS4_DIGESTS = {
    "unknown-repo_shanghai-gov-office_2019.html": "6a9c16f6f0d998b5",
    "zxj6827111-blip_shuyang-county-fgj_2023.html": "58105187c53d5c75",
    "anhui-ecology-env-2023.html": "b58da5db6d8403f2",
    "sanhe-town-gov-2023.html": "6a43780fa7b81ed2",
    "wuhu-city-gov-2021.html": "150e4fd2886d2a99",
    "wuhu-city-gov-2022.html": "df915b66e114d9c7",
}


def _digest(doc) -> str:
    key = json.dumps([[type(b).__name__, b.text] for b in doc.blocks] + [sorted(doc.extra.items())],
                     ensure_ascii=False)
    return hashlib.sha1(key.encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", sorted(BS4_DIGESTS))
def test_blocks_and_metadata_are_those_of_the_beautifulsoup_loader(name: str) -> None:
    path = ROOT / "corpus" / name
    if not path.exists():
        path = SHARED_REAL / name
        if not path.exists():
            pytest.skip("real reports live in ../shared (present in CI, absent on a fresh clone)")
    assert _digest(load_document(path)) == BS4_DIGESTS[name]


def _texts(html: str) -> list[str]:
    return [b.text for b in parse_html(html).blocks]


def test_text_after_dropped_chrome_and_scripts_stays() -> None:
    html = ("<html><body><div class='content'><p>一、总体情况</p>正文<script>var x;</script>续写"
            "<div class='share'>分享到</div>尾句。</div></body></html>")
    # The removed block leaves no break: its neighbours join, as they did in the old tree.
    assert _texts(html) == ["一、总体情况", "正文续写尾句。"]


def test_blank_strings_and_comments_read_as_the_old_tree_did() -> None:
    html = "<body><p>甲<!-- 注 -->乙</p><pre>  \n  </pre>丙<b> </b>丁\n\n<br>戊</body>"
    assert _texts(html) == ["甲乙", "丙丁", "戊"]


def test_a_second_html_element_keeps_the_metadata_of_its_head() -> None:
    one = "<html><head><title>某局2023年报告</title></head><body><p>正文一</p></body></html>"
    doc = parse_html("<p>前文</p>" + one)
    assert doc.extra.get("html_title") == "某局2023年报告"
    assert [b.text for b in doc.blocks] == ["前文", "某局2023年报告", "正文一"]


def test_control_characters_in_a_dropped_elements_neighbourhood_are_kept_as_text() -> None:
    assert _texts("<body><p>甲\x01<script>x</script>乙</p></body>") == ["甲\x01乙"]


def _strings_by_events(el) -> list[str]:
    from textmine.loaders.html import _events

    return [t for kind, s, boring in _events(el) if kind == "text" and not boring and (t := s.strip())]


_WALK_PAGES = [
    "<body><div>总体情况<!-- 主动公开 -->依申请<?pi 改进?>尾<span>年度报告<b>行政复议</b>后</span>主动公开</div></body>",
    "<body><p>依申请<ruby>字<rt>主动公开</rt><rp>(</rp></ruby>改进<template>总体情况</template>尾</p>"
    "<script>var a='年度报告';</script>存在的主要问题<style>p{}</style>勾稽关系</body>",
    "<body><table><tr><td>主动公开<script>x</script>1</td><td><rt>改<rt>进</rt>后</rt>尾</td></tr></table></body>",
    "<body><div><template><p>依申请</p>改进</template>主动公开<div>行政复议</div></div>其他需要报告</body>",
]


@pytest.mark.parametrize("html", _WALK_PAGES)
def test_the_c_level_walks_read_the_strings_and_signals_of_the_event_walk(html: str) -> None:
    # _strings uses lxml's itertext and _signal_counts its document order where no boring container
    # (<rt>, <script>, <template>…) is in the way; the definition is the event walk. Every element, before
    # and after the dropped tags are removed (the loader counts at both points).
    from textmine.loaders.html import (
        _DROP_TAGS,
        _normalise_blanks,
        _parse_tree,
        _remove,
        _signal_counts,
        _signal_counts_by_events,
        _strings,
    )

    root = _parse_tree(html, None)
    _normalise_blanks(root)
    for stage in ("as parsed", "dropped tags removed"):
        if stage != "as parsed":
            for el in list(root.iter(*_DROP_TAGS)):
                _remove(el)
        for el in root.iter():
            if isinstance(el.tag, str):
                assert _strings(el) == _strings_by_events(el), (stage, el.tag)
                assert _signal_counts(el) == _signal_counts_by_events(el), (stage, el.tag)
