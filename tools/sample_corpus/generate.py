#!/usr/bin/env python3
"""Write the bundled sample corpus and its ground truth.

    python tools/sample_corpus/generate.py

It writes into corpus/ (which holds data only) and tests/fixtures/.

Sixteen short annual reports (政府信息公开工作年度报告) of four agencies at four levels, written by the
team in their own words: real place names (the gazetteer needs them), fictional content. They exist so
that ``textmine stats``, ``validate``, ``recurring`` and the notebooks show something real out of the box,
and so that the parser has a regression corpus whose every number is known.

- 芜湖市人民政府 (city government) 2021–2024; 肥西县农业农村局 (county department; 2018 as 肥西县农业局, in
  the legacy free-form layout; 2020 in the 2019 form) 2018, 2020–2023; 三河镇人民政府 (a town of 肥西县)
  2021–2024; 安徽省生态环境厅 (provincial department) 2022–2024.
- Formats: txt (Word converted to text: one cell per tab-led line, a blank line ends a row), docx (real
  tables with merged cells), html (a government site page with chrome around the body, rowspan/colspan),
  pdf (reportlab, built-in CID font STSong-Light, hard-wrapped lines, page numbers, ruled tables).
- Planted on purpose: problems that recur in consecutive years (the town's staffing, the county
  department's timeliness, the city's policy interpretation), measures promised in year N whose theme
  returns as a problem in N+1, near-verbatim boilerplate measures, and one break each of the
  consistency rules R1, R3, R5 and R6 (standard-form.md). Everything else adds up.

Ground truth goes to tests/fixtures/sample_corpus_truth.json (read by tests/test_sample_corpus.py): per
file the metadata, section keys, every table value, the planted inconsistencies and the statements of
section 5 (role, themes by codebook.md, and the first ten characters of the text).

Output is deterministic: fixed content, no randomness, fixed timestamps inside the docx and pdf files.
reportlab and python-docx are needed (dev dependencies).
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus"  # where the files go; the generator lives apart from the data it writes
TRUTH_PATH = ROOT / "tests" / "fixtures" / "sample_corpus_truth.json"

# ---------------------------------------------------------------------------------------------------------
# Table model (keys of standard-form.md)

APPLICANTS = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
              "legal_service_org", "other_org"]
COLUMNS = APPLICANTS + ["total"]
DENIED = ["denied_state_secret", "denied_prohibited_by_law", "denied_security_stability",
          "denied_third_party_rights", "denied_internal_affairs", "denied_process_info",
          "denied_enforcement_files", "denied_administrative_query"]
UNABLE = ["unable_not_held", "unable_needs_creation", "unable_unclear"]
REJECTED = ["rejected_complaint", "rejected_duplicate", "rejected_publication", "rejected_excessive",
            "rejected_confirmation"]
OTHER3 = ["other_no_correction", "other_unpaid_fee", "other_other"]
RESULT_ROWS = ["granted", "partially_granted", *DENIED, *UNABLE, *REJECTED, *OTHER3]
REQUEST_ROWS = ["new", "carried_over", *RESULT_ROWS, "total_processed", "carried_forward"]
APPEAL_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
APPEAL_COLUMNS = ["upheld", "corrected", "other", "pending", "total"]

Six = tuple[int, int, int, int, int, int]


def requests_table(new: Six, over: Six, results: dict[str, Six], form: str = "2021",
                   printed: dict[tuple[str, str], int] | None = None) -> dict[str, dict[str, int]]:
    """Table 3 as printed: totals and carried_forward computed so that R1–R3 hold, then ``printed``
    overrides single cells (the planted errors). The 2019 form has one （六）其他处理 row: other_other."""
    rows = [r for r in REQUEST_ROWS if form == "2021" or r not in ("other_no_correction", "other_unpaid_fee")]
    zero: Six = (0, 0, 0, 0, 0, 0)
    unknown = set(results) - set(RESULT_ROWS)
    assert not unknown, unknown
    vals: dict[str, list[int]] = {"new": list(new), "carried_over": list(over)}
    for r in RESULT_ROWS:
        if r in rows:
            vals[r] = list(results.get(r, zero))
    vals["total_processed"] = [sum(vals[r][i] for r in RESULT_ROWS if r in vals) for i in range(6)]
    vals["carried_forward"] = [new[i] + over[i] - vals["total_processed"][i] for i in range(6)]
    assert min(vals["carried_forward"]) >= 0, vals["carried_forward"]
    table = {r: {**dict(zip(APPLICANTS, vals[r], strict=True)), "total": sum(vals[r])} for r in rows}
    for (row, col), v in (printed or {}).items():
        table[row][col] = v
    return table


def appeals_table(review: tuple[int, int, int, int], direct: tuple[int, int, int, int],
                  after: tuple[int, int, int, int]) -> dict[str, dict[str, int]]:
    out = {}
    for g, parts in zip(APPEAL_GROUPS, (review, direct, after), strict=True):
        out[g] = {**dict(zip(APPEAL_COLUMNS[:4], parts, strict=True)), "total": sum(parts)}
    return out


def proactive_2021(rules: tuple[int, int, int], normative: tuple[int, int, int], licensing: int, penalty: int,
                   coercion: int, fees: float) -> dict[str, dict]:
    f = ("issued", "repealed", "in_force")
    return {"rules": dict(zip(f, rules, strict=True)), "normative_documents": dict(zip(f, normative, strict=True)),
            "licensing": {"decisions": licensing}, "penalty": {"decisions": penalty},
            "coercion": {"decisions": coercion}, "administrative_fees": {"amount_10k_yuan": float(fees)}}


# ---------------------------------------------------------------------------------------------------------
# Grid tables: one description of each table (cells with rowspan/colspan), rendered into every format


@dataclass
class Cell:
    text: str
    rs: int = 1
    cs: int = 1


Grid = list[list[Cell]]


def _c(text: object, rs: int = 1, cs: int = 1) -> Cell:
    return Cell(str(text), rs, cs)


def _fmt(v: object, style: dict) -> str:
    """A number as the report prints it: zeros may be blank, digits may be full-width or grouped."""
    if isinstance(v, float):
        return f"{v:.2f}" if v else style.get("zero_money", "0")
    if v == 0 and style.get("blank_zero"):
        return ""
    s = f"{v:,}" if style.get("grouped") and abs(v) >= 1000 else str(v)
    if style.get("fullwidth"):
        s = s.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return s


def grid_proactive_2021(t: dict, style: dict) -> Grid:
    n = lambda v: _c(_fmt(v, style))  # noqa: E731
    wide = lambda v: _c(_fmt(v, style), cs=3)  # noqa: E731
    return [
        [_c("第二十条第（一）项", cs=4)],
        [_c("信息内容"), _c("本年制发件数"), _c("本年废止件数"), _c("现行有效件数")],
        [_c("规章"), *(n(t["rules"][k]) for k in ("issued", "repealed", "in_force"))],
        [_c("行政规范性文件"), *(n(t["normative_documents"][k]) for k in ("issued", "repealed", "in_force"))],
        [_c("第二十条第（五）项", cs=4)],
        [_c("信息内容"), _c("本年处理决定数量", cs=3)],
        [_c("行政许可"), wide(t["licensing"]["decisions"])],
        [_c("第二十条第（六）项", cs=4)],
        [_c("信息内容"), _c("本年处理决定数量", cs=3)],
        [_c("行政处罚"), wide(t["penalty"]["decisions"])],
        [_c("行政强制"), wide(t["coercion"]["decisions"])],
        [_c("第二十条第（八）项", cs=4)],
        [_c("信息内容"), _c("本年收费金额（单位：万元）", cs=3)],
        [_c("行政事业性收费"), wide(t["administrative_fees"]["amount_10k_yuan"])],
    ]


def grid_proactive_2019(t: dict, style: dict) -> Grid:
    n = lambda v: _c(_fmt(v, style))  # noqa: E731
    three = ("items_previous_year", "items_change", "decisions")
    return [
        [_c("第二十条第（一）项", cs=4)],
        [_c("信息内容"), _c("本年新制作数量"), _c("本年新公开数量"), _c("对外公开总数量")],
        [_c("规章"), *(n(t["rules"][k]) for k in ("issued", "published", "total_published"))],
        [_c("规范性文件"), *(n(t["normative_documents"][k]) for k in ("issued", "published", "total_published"))],
        [_c("第二十条第（五）项", cs=4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减"), _c("处理决定数量")],
        [_c("行政许可"), *(n(t["licensing"][k]) for k in three)],
        [_c("其他对外管理服务事项"), *(n(t["other_management_services"][k]) for k in three)],
        [_c("第二十条第（六）项", cs=4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减"), _c("处理决定数量")],
        [_c("行政处罚"), *(n(t["penalty"][k]) for k in three)],
        [_c("行政强制"), *(n(t["coercion"][k]) for k in three)],
        [_c("第二十条第（八）项", cs=4)],
        [_c("信息内容"), _c("上一年项目数量"), _c("本年增/减", cs=2)],
        [_c("行政事业性收费"), n(t["administrative_fees"]["items_previous_year"]),
         _c(_fmt(t["administrative_fees"]["items_change"], style), cs=2)],
        [_c("第二十条第（九）项", cs=4)],
        [_c("信息内容"), _c("采购项目数量"), _c("采购总金额（万元）", cs=2)],
        [_c("政府集中采购"), n(t["government_procurement"]["items"]),
         _c(_fmt(t["government_procurement"]["amount_10k_yuan"], style), cs=2)],
    ]


REQUEST_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partially_granted": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied_state_secret": "1.属于国家秘密",
    "denied_prohibited_by_law": "2.其他法律行政法规禁止公开",
    "denied_security_stability": "3.危及“三安全一稳定”",
    "denied_third_party_rights": "4.保护第三方合法权益",
    "denied_internal_affairs": "5.属于三类内部事务信息",
    "denied_process_info": "6.属于四类过程性信息",
    "denied_enforcement_files": "7.属于行政执法案卷",
    "denied_administrative_query": "8.属于行政查询事项",
    "unable_not_held": "1.本机关不掌握相关政府信息",
    "unable_needs_creation": "2.没有现成信息需要另行制作",
    "unable_unclear": "3.补正后申请内容仍不明确",
    "rejected_complaint": "1.信访举报投诉类申请",
    "rejected_duplicate": "2.重复申请",
    "rejected_publication": "3.要求提供公开出版物",
    "rejected_excessive": "4.无正当理由大量反复申请",
    "rejected_confirmation": "5.要求行政机关确认或重新出具已获取信息",
    "other_no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other_unpaid_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other_other": "3.其他",
    "total_processed": "（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}
GROUPS = [("（三）不予公开", DENIED), ("（四）无法提供", UNABLE), ("（五）不予处理", REJECTED),
          ("（六）其他处理", OTHER3)]


def grid_requests(t: dict, style: dict, form: str = "2021") -> Grid:
    """Table 3 in the layout of the form: three label columns, then the seven value columns."""
    def nums(row: str) -> list[Cell]:
        return [_c(_fmt(t[row][c], style)) for c in COLUMNS]

    n_results = len(RESULT_ROWS) + 1 - (2 if form == "2019" else 0)
    grid: Grid = [
        [_c("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rs=3, cs=3),
         _c("申请人情况", cs=7)],
        [_c("自然人", rs=2), _c("法人或其他组织", cs=5), _c("总计", rs=2)],
        [_c("商业企业"), _c("科研机构"), _c("社会公益组织"), _c("法律服务机构"), _c("其他")],
        [_c(REQUEST_LABELS["new"], cs=3), *nums("new")],
        [_c(REQUEST_LABELS["carried_over"], cs=3), *nums("carried_over")],
        [_c("三、本年度办理结果", rs=n_results), _c(REQUEST_LABELS["granted"], cs=2), *nums("granted")],
        [_c(REQUEST_LABELS["partially_granted"], cs=2), *nums("partially_granted")],
    ]
    for head, rows in GROUPS:
        if form == "2019" and head == "（六）其他处理":
            grid.append([_c(head, cs=2), *nums("other_other")])
            continue
        for i, r in enumerate(rows):
            grid.append(([_c(head, rs=len(rows))] if i == 0 else []) + [_c(REQUEST_LABELS[r]), *nums(r)])
    grid.append([_c(REQUEST_LABELS["total_processed"], cs=2), *nums("total_processed")])
    grid.append([_c(REQUEST_LABELS["carried_forward"], cs=3), *nums("carried_forward")])
    return grid


def grid_appeals(t: dict, style: dict) -> Grid:
    # Word exports often leave the zero cells of table 4 empty and type only the 总计 cells.
    blank = {**style, "blank_zero": style.get("blank_zero") or style.get("blank_zero_appeals")}
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        [_c("行政复议", cs=5), _c("行政诉讼", cs=10)],
        [*(_c(h, rs=2) for h in heads), _c("未经复议直接起诉", cs=5), _c("复议后起诉", cs=5)],
        [*(_c(h) for h in heads), *(_c(h) for h in heads)],
        [_c(_fmt(t[g][c], style if c == "total" else blank)) for g in APPEAL_GROUPS for c in APPEAL_COLUMNS],
    ]


def expand(grid: Grid) -> tuple[list[list[tuple[Cell, bool, bool] | None]], int]:
    """Positions of a grid: (cell, is_origin, is_row_origin) per slot; the number of columns."""
    slots: dict[tuple[int, int], tuple[Cell, int, int]] = {}
    for r, row in enumerate(grid):
        c = 0
        for cell in row:
            while (r, c) in slots:
                c += 1
            for dr in range(cell.rs):
                for dc in range(cell.cs):
                    slots[(r + dr, c + dc)] = (cell, r, c)
            c += cell.cs
    n_rows = max(r for r, _ in slots) + 1
    n_cols = max(c for _, c in slots) + 1
    out = []
    for r in range(n_rows):
        line = []
        for c in range(n_cols):
            if (r, c) not in slots:
                line.append(None)
                continue
            cell, r0, c0 = slots[(r, c)]
            line.append((cell, r0 == r and c0 == c, c0 == c))
        out.append(line)
    return out, n_cols


# ---------------------------------------------------------------------------------------------------------
# Section 5: statements with their truth


@dataclass
class Stmt:
    role: str
    themes: list[str]
    text: str  # without the enumeration marker, with its closing punctuation
    marker: str = ""


@dataclass
class Para:
    """One paragraph of section 5: plain strings are context (lead-ins), Stmt pieces are statements."""

    pieces: list[str | Stmt]

    @property
    def text(self) -> str:
        return "".join(p if isinstance(p, str) else p.marker + p.text for p in self.pieces)


_CN_NUM = "一二三四五六七八九十"


def shi(role: str, items: list[tuple[list[str], str]], lead: str = "", tail: str = "") -> Para:
    """一是…；二是…。 in one paragraph (item texts are given without closing punctuation)."""
    pieces: list[str | Stmt] = [lead] if lead else []
    for i, (themes, text) in enumerate(items):
        end = "。" if i == len(items) - 1 else "；"
        pieces.append(Stmt(role, themes, text + end, f"{_CN_NUM[i]}是"))
    if tail:
        pieces.append(tail)
    return Para(pieces)


def di(role: str, items: list[tuple[list[str], str]]) -> Para:
    """第一，… 第二，… in one paragraph (item texts end with their own 。)."""
    return Para([Stmt(role, themes, text, f"第{_CN_NUM[i]}，") for i, (themes, text) in enumerate(items)])


def numbered(role: str, items: list[tuple[list[str], str]], fmt: str = "{n}.") -> list[Para]:
    """1.… 2.… one paragraph each (item texts end with their own 。)."""
    return [Para([Stmt(role, themes, text, fmt.format(n=i + 1))]) for i, (themes, text) in enumerate(items)]


def sentences(*items: tuple[str, list[str], str] | str) -> Para:
    """Plain sentences in one paragraph: (role, themes, text) statements, or context strings."""
    return Para([x if isinstance(x, str) else Stmt(*x) for x in items])


# ---------------------------------------------------------------------------------------------------------
# The report model


@dataclass
class Report:
    slug: str
    fmt: str  # txt | docx | html | pdf
    agency: str
    year: int
    template: str  # 2021 | 2019 | legacy
    published: str  # ISO date
    region: dict
    title: list[str]  # the title line(s)
    preamble: list[str]
    # (key, heading, body); body items: str paragraphs, ("table", name) or Para (section 5)
    sections: list[tuple[str, str, list]]
    signature: str
    date: str
    tables: dict = field(default_factory=dict)
    style: dict = field(default_factory=dict)  # number rendering quirks, per report
    planted: list[dict] = field(default_factory=list)  # deliberate inconsistencies
    form: str = "2021"

    @property
    def filename(self) -> str:
        return f"{self.slug}.{self.fmt}"

    def grid(self, name: str) -> Grid:
        if name == "proactive":
            fn = grid_proactive_2019 if self.form == "2019" else grid_proactive_2021
            return fn(self.tables["proactive"], self.style)
        if name == "requests":
            return grid_requests(self.tables["requests"], self.style, self.form)
        return grid_appeals(self.tables["appeals"], self.style)

    def statements(self) -> list[Stmt]:
        out = []
        for key, _, body in self.sections:
            if key == "problems":
                for item in body:
                    if isinstance(item, Para):
                        out += [p for p in item.pieces if isinstance(p, Stmt)]
        return out

    def truth(self) -> dict:
        return {
            "file": self.filename,
            "format": self.fmt,
            "meta": {"agency": self.agency, "year": self.year, "template": self.template,
                     "published": self.published, "region": self.region},
            "sections": [k for k, _, _ in self.sections],
            "headings": {k: h for k, h, _ in self.sections},
            "tables": self.tables,
            "planted": self.planted,
            "statements": [{"role": s.role, "themes": s.themes, "start": s.text[:10]} for s in self.statements()],
        }


def body_text(item: object) -> str:
    return item.text if isinstance(item, Para) else str(item)


# ---------------------------------------------------------------------------------------------------------
# Renderers


def render_txt(r: Report) -> str:
    """Word saved as plain text: paragraphs one per line, table cells one per tab-led line, a blank line
    after each row (continued vertical merges leave an empty cell, horizontal merges leave none)."""
    lines = list(r.title) + [""] + list(r.preamble)
    for _key, heading, body in r.sections:
        lines.append(heading)
        for item in body:
            if isinstance(item, tuple):
                lines += _txt_table(r.grid(item[1]), r.style)
                lines.append("")
            else:
                lines.append(body_text(item))
    lines += ["", "", " " * 26 + r.signature, " " * 26 + r.date, ""]
    return "\n".join(lines)


def _txt_table(grid: Grid, style: dict) -> list[str]:
    slots, _ = expand(grid)
    out = []
    for row in slots:
        for slot in row:
            if slot is None:
                continue
            cell, origin, col_origin = slot
            if origin:
                text = cell.text
                # Word wraps a long header cell onto a line of its own (as in real exports).
                wrap = style.get("wrap_cells", {}).get(text)
                out.append("\t" + (text if wrap is None else text[:wrap] + "\n" + text[wrap:]))
            elif col_origin:
                out.append("\t")
        out.append("")
    return out


def render_html(r: Report) -> str:
    page_title = "".join(r.title)
    art = [f"<div class='title'><h1>{t}</h1></div>" for t in r.title]
    art += [f"<p style='text-indent:2em'>{p}</p>" for p in r.preamble]
    for _key, heading, body in r.sections:
        art.append(f"<p><strong>{heading}</strong></p>")
        for item in body:
            if isinstance(item, tuple):
                art.append(_html_table(r.grid(item[1])))
            else:
                art.append(f"<p style='text-indent:2em'>{body_text(item)}</p>")
    art.append(f"<p style='text-align:right'>{r.signature}</p>")
    art.append(f"<p style='text-align:right'>{r.date}</p>")
    site = r.style["site"]
    return "\n".join([
        "<!DOCTYPE html>",
        "<html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<meta name='ArticleTitle' content='{page_title}'>",
        f"<meta name='PubDate' content='{r.published} 09:30'>",
        f"<meta name='ContentSource' content='{site['owner']}'>",
        f"<title>{page_title}_{site['name']}</title>",
        "<link rel='stylesheet' href='/css/article.css'>",
        "<script>var _navIndex = 3; function printPage(){window.print();}</script>",
        "</head><body>",
        "<div class='header'><div class='topbar'><a href='/'>无障碍浏览</a> | <a href='/login'>登录</a></div>",
        f"<div class='logo'>{site['name']}</div>",
        "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
        "<li><a href='/zmhd/'>政民互动</a></li><li><a href='/bsfw/'>办事服务</a></li></ul></div>",
        "<div class='breadcrumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; "
        "政府信息公开年报</div>",
        "<div class='main'>",
        "<div class='sidebar'><h3>信息公开目录</h3><ul><li>信息公开指南</li><li>信息公开制度</li>"
        "<li>法定主动公开内容</li><li>政府信息公开年报</li></ul></div>",
        "<div class='content'>",
        "<table class='xxgk-meta'><tr><td>索引号：</td><td>" + site["index"] + "</td><td>信息分类：</td>"
        "<td>政府信息公开年报</td></tr><tr><td>发布机构：</td><td>" + site["owner"] + "</td><td>公开日期：</td>"
        f"<td>{r.published}</td></tr></table>",
        "<div class='article' id='zoom'>",
        *art,
        "</div>",
        "<div class='share'>分享到：微信 微博</div>",
        "<div class='print'><a href='javascript:printPage()'>【打印本页】</a> <a href='javascript:window.close()'>"
        "【关闭窗口】</a></div>",
        "</div></div>",
        f"<div class='footer'><p>主办单位：{site['owner']}</p><p>网站标识码：{site['code']} "
        "皖ICP备00000000号</p></div>",
        "</body></html>",
        "",
    ])


def _html_table(grid: Grid) -> str:
    out = ["<table border='1' cellspacing='0' cellpadding='0' class='MsoNormalTable'>"]
    for row in grid:
        cells = []
        for cell in row:
            span = (f" rowspan='{cell.rs}'" if cell.rs > 1 else "") + (f" colspan='{cell.cs}'" if cell.cs > 1 else "")
            cells.append(f"<td{span}><p>{cell.text}</p></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


FIXED_TIME = _dt.datetime(2024, 2, 1, 9, 0, 0)


def render_docx(r: Report) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.author = r.signature
    d.core_properties.last_modified_by = r.signature
    d.core_properties.created = FIXED_TIME
    d.core_properties.modified = FIXED_TIME
    d.core_properties.revision = 1
    for t in r.title:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(t)
        run.bold = True
        run.font.size = Pt(18)
    for t in r.preamble:
        d.add_paragraph(t)
    for _key, heading, body in r.sections:
        p = d.add_paragraph()
        p.add_run(heading).bold = True
        for item in body:
            if isinstance(item, tuple):
                _docx_table(d, r.grid(item[1]))
            else:
                d.add_paragraph(body_text(item))
    for t in (r.signature, r.date):
        p = d.add_paragraph(t)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return _fix_zip_times(buf.getvalue())


def _docx_table(d, grid: Grid) -> None:
    slots, n_cols = expand(grid)
    t = d.add_table(rows=len(slots), cols=n_cols)
    t.style = "Table Grid"
    for r, row in enumerate(slots):
        for c, slot in enumerate(row):
            if slot is None or not slot[1]:
                continue
            cell = slot[0]
            target = t.cell(r, c)
            if cell.rs > 1 or cell.cs > 1:
                target = target.merge(t.cell(r + cell.rs - 1, c + cell.cs - 1))
            target.text = cell.text


def _fix_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip members with the current time: rewrite them with a fixed one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# PDF geometry (points, A4)
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_L, MARGIN_R, TOP, BOTTOM = 72.0, 72.0, 770.0, 80.0
FONT = "STSong-Light"
CLOSERS = "，。、；：？！）》”’"
OPENERS = "（《“‘"
# Column widths per table (they must add up to the text width, 451 pt).
WIDTHS = {
    "proactive": [150, 100.33, 100.33, 100.34],
    "requests": [22, 70, 149, 30, 30, 30, 30, 30, 30, 30],
    "appeals": [30.06] * 14 + [30.16],
}


def render_pdf(r: Report) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buf = io.BytesIO()
    # invariant=1: no creation date or random file id, so the bytes are reproducible.
    c = canvas.Canvas(buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
    c.setTitle("".join(r.title))
    c.setAuthor(r.signature)
    size, lead = 11.0, 18.0
    text_w = PAGE_W - MARGIN_L - MARGIN_R
    state = {"y": TOP, "page": 1}
    header = r.style.get("pdf_header")

    def start_page() -> None:
        if header:
            c.setFont(FONT, 9)
            c.drawString(MARGIN_L, 805, header)
            c.line(MARGIN_L, 800, PAGE_W - MARGIN_R, 800)
        c.setFont(FONT, size)

    def end_page() -> None:
        c.setFont(FONT, 10.5)
        c.drawCentredString(PAGE_W / 2, 40, f"- {state['page']} -")
        c.showPage()

    def new_page() -> None:
        end_page()
        state["page"] += 1
        state["y"] = TOP
        start_page()

    def take(text: str, avail: float, fs: float) -> str:
        """The longest prefix of ``text`` that fits ``avail`` points (digits are narrower than CJK)."""
        n = 0
        while n < len(text) and pdfmetrics.stringWidth(text[: n + 1], FONT, fs) <= avail:
            n += 1
        n = max(n, 1)
        # Line-breaking rules of Chinese typesetting: closing punctuation hangs at the end of the line,
        # an opening bracket or quote moves to the next one.
        if n < len(text) and text[n] in CLOSERS:
            n += 1
        elif 1 < n < len(text) and text[n - 1] in OPENERS:
            n -= 1
        return text[:n]

    def wrap(text: str, avail: float, fs: float) -> list[str]:
        out = []
        while text:
            chunk = take(text, avail, fs)
            out.append(chunk)
            text = text[len(chunk):]
        return out or [""]

    def line(text: str, x: float, fs: float = size, lh: float = lead) -> None:
        if state["y"] < BOTTOM:
            new_page()
        c.setFont(FONT, fs)
        c.drawString(x, state["y"], text)
        state["y"] -= lh

    def para(text: str, indent: bool = True) -> None:
        ind = 2 * size if indent else 0
        first = take(text, text_w - ind, size)
        line(first, MARGIN_L + ind)
        for chunk in wrap(text[len(first):], text_w, size) if len(first) < len(text) else []:
            line(chunk, MARGIN_L)

    fs, lh, pad = 7.5, 9.5, 3.0

    def row_heights(grid: Grid, widths: list[float]) -> list[float]:
        slots, n_cols = expand(grid)
        assert len(widths) == n_cols, (len(widths), n_cols)
        xs = [MARGIN_L + sum(widths[:i]) for i in range(n_cols + 1)]
        heights = [0.0] * len(slots)
        for ri, row in enumerate(slots):  # row heights from the one-row cells
            for ci, slot in enumerate(row):
                if slot and slot[1] and slot[0].rs == 1:
                    w = xs[ci + slot[0].cs] - xs[ci]
                    heights[ri] = max(heights[ri], len(wrap(slot[0].text, w - 2 * pad, fs)) * lh + 2 * pad)
            heights[ri] = max(heights[ri], 15.0)
        for ri, row in enumerate(slots):  # tall merged cells (vertical labels) stretch their rows
            for ci, slot in enumerate(row):
                if slot and slot[1] and slot[0].rs > 1:
                    w = xs[ci + slot[0].cs] - xs[ci]
                    need = len(wrap(slot[0].text, w - 2 * pad, fs)) * lh + 2 * pad
                    have = sum(heights[ri: ri + slot[0].rs])
                    if need > have:
                        for k in range(ri, ri + slot[0].rs):
                            heights[k] += (need - have) / slot[0].rs
        return heights

    def table(grid: Grid, widths: list[float]) -> None:
        slots, n_cols = expand(grid)
        xs = [MARGIN_L + sum(widths[:i]) for i in range(n_cols + 1)]
        heights = row_heights(grid, widths)
        if state["y"] + size - sum(heights) < BOTTOM and not r.style.get("split_tables"):
            new_page()
        # Rows go onto pages in fragments (one fragment unless the table is allowed to break across pages,
        # as Word does: a merged cell cut by the break continues as an empty box on the next page).
        row = 0
        while row < len(slots):
            top = state["y"] + size
            end = row
            while end < len(slots) and top - sum(heights[row: end + 1]) >= BOTTOM - 20:
                end += 1
            if end == row:
                new_page()
                continue
            fragment(slots, xs, heights, row, end, top)
            state["y"] = top - sum(heights[row:end]) - lead
            row = end
            if row < len(slots):
                new_page()
        c.setFont(FONT, size)

    def fragment(slots: list, xs: list[float], heights: list[float], lo: int, hi: int, top: float) -> None:
        ys = {i: top - sum(heights[lo:i]) for i in range(lo, hi + 1)}
        c.setLineWidth(0.6)
        seen: set[int] = set()
        for ri in range(lo, hi):
            for ci, slot in enumerate(slots[ri]):
                if not slot or id(slot[0]) in seen or not slot[2]:
                    continue
                cell = slot[0]
                # The cell's first row on this page: its origin, or the fragment's first row when it is cut.
                if not slot[1] and ri != lo:
                    continue
                seen.add(id(cell))
                first = next(k for k in range(ri, -1, -1) if k == 0 or slots[k - 1][ci] is None
                             or slots[k - 1][ci][0] is not cell)
                last = first + cell.rs
                y0, y1 = ys[max(first, lo)], ys[min(last, hi)]
                x0, x1 = xs[ci], xs[ci + cell.cs]
                c.rect(x0, y1, x1 - x0, y0 - y1)
                if first < lo:
                    continue  # the text stays with the part on the page before
                lines = wrap(cell.text, x1 - x0 - 2 * pad, fs)
                c.setFont(FONT, fs)
                block = len(lines) * lh
                ty = (y0 + y1) / 2 + block / 2 - lh + 2
                for ln in lines:
                    lw = pdfmetrics.stringWidth(ln, FONT, fs)
                    c.drawString((x0 + x1) / 2 - lw / 2, ty, ln)
                    ty -= lh

    start_page()
    for t in r.title:
        if state["y"] < BOTTOM:
            new_page()
        c.setFont(FONT, 18)
        c.drawCentredString(PAGE_W / 2, state["y"], t)
        state["y"] -= 30
    state["y"] -= 6
    for p in r.preamble:
        para(p)
    for _key, heading, body in r.sections:
        first = body[0] if body else None
        if isinstance(first, tuple) and not r.style.get("split_tables"):  # keep a heading with its table
            need = lead + sum(row_heights(r.grid(first[1]), WIDTHS[first[1]]))
            if state["y"] - need < BOTTOM:
                new_page()
        line(heading, MARGIN_L + (2 * size if r.style.get("indent_headings") else 0))
        for item in body:
            if isinstance(item, tuple):
                table(r.grid(item[1]), WIDTHS[item[1]])
            else:
                text = body_text(item)
                para(text, indent=not text.startswith("（"))
    state["y"] -= lead
    for t in (r.signature, r.date):
        w = pdfmetrics.stringWidth(t, FONT, size)
        line(t, PAGE_W - MARGIN_R - w - 2 * size)
    end_page()
    c.save()
    return buf.getvalue()


RENDERERS = {"txt": render_txt, "html": render_html, "docx": render_docx, "pdf": render_pdf}


# ---------------------------------------------------------------------------------------------------------
# The reports. All wording is the team's own; agencies and places are real, every fact is invented.

WUHU = "芜湖市人民政府"
FEIXI_AG = "肥西县农业农村局"
SANHE = "三河镇人民政府"
AH_ENV = "安徽省生态环境厅"
R_WUHU = {"province": "安徽省", "city": "芜湖市", "county": None}
R_FEIXI = {"province": "安徽省", "city": "合肥市", "county": "肥西县"}
R_ANHUI = {"province": "安徽省", "city": None, "county": None}

H_2021 = {
    "overview": "一、总体情况",
    "proactive": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "appeals": "四、政府信息公开行政复议、行政诉讼情况",
    "problems": "五、存在的主要问题及改进情况",
    "other": "六、其他需要报告的事项",
}

SITE_WUHU = {"name": "芜湖市人民政府网", "owner": "芜湖市人民政府办公室", "code": "3402000001",
             "index": "WH-0000-2022-00017"}
SITE_SANHE = {"name": "肥西县人民政府网", "owner": "肥西县三河镇人民政府", "code": "3401230002",
              "index": "FX-SH-2024-00003"}
SITE_ENV = {"name": "安徽省生态环境厅网站", "owner": "安徽省生态环境厅", "code": "3400000031",
            "index": "AHSTHJT-2024-00008"}


def standard_sections(h: dict[str, str], overview: list, problems: list, other: list) -> list:
    return [
        ("overview", h["overview"], overview),
        ("proactive", h["proactive"], [("table", "proactive")]),
        ("requests", h["requests"], [("table", "requests")]),
        ("appeals", h["appeals"], [("table", "appeals")]),
        ("problems", h["problems"], problems),
        ("other", h["other"], other),
    ]


def request_sentence(t: dict, lead: str = "全年共收到政府信息公开申请") -> str:
    """The narrative counts of requests, as the table has them (rule R5 holds)."""
    return (f"{lead}{t['new']['total']}件，上年结转{t['carried_over']['total']}件；已办结"
            f"{t['total_processed']['total']}件，结转下年度继续办理{t['carried_forward']['total']}件。")


# --- 芜湖市人民政府 (city government) ------------------------------------------------------------------

def wuhu_2021() -> Report:
    req = requests_table(
        new=(86, 12, 1, 0, 3, 2), over=(4, 1, 0, 0, 0, 0),
        results={"granted": (40, 5, 0, 0, 1, 0), "partially_granted": (8, 2, 0, 0, 0, 0),
                 "denied_third_party_rights": (2, 0, 0, 0, 0, 0), "denied_process_info": (3, 1, 0, 0, 0, 0),
                 "unable_not_held": (18, 3, 1, 0, 1, 1), "unable_needs_creation": (2, 0, 0, 0, 0, 0),
                 "unable_unclear": (3, 0, 0, 0, 0, 0), "rejected_complaint": (6, 0, 0, 0, 0, 0),
                 "rejected_duplicate": (2, 0, 0, 0, 0, 0), "other_no_correction": (1, 0, 0, 0, 0, 0)})
    app = appeals_table((3, 1, 0, 1), (2, 0, 1, 1), (1, 0, 0, 0))
    overview = [
        "2021年，市政府把政务公开作为建设法治政府和优化营商环境的重要抓手，围绕“十四五”开局、疫情防控和惠企"
        "政策兑现等重点工作，持续提升公开的质量和实效。",
        "（一）主动公开",
        "全年通过市政府门户网站主动公开各类政府信息2.1万余条，其中市政府及市政府办公室文件86份、政策解读材料74篇。"
        "围绕稳岗就业、惠企政策和疫苗接种等群众关心的事项开设专题9个，集中发布办事指南和常见问答。",
        "（二）依申请公开",
        request_sentence(req) + "申请内容主要涉及征地拆迁、规划许可和房屋安置补偿等方面。",
        "（三）政府信息管理",
        "对市政府现行有效的规范性文件开展集中清理，动态更新规范性文件目录并在门户网站集中发布。公文拟制时同步"
        "确定公开属性，从源头上减少应公开未公开的情况。",
        "（四）政府信息公开平台建设",
        "推进政府网站集约化，全市统一信息公开目录体系；“芜湖发布”政务新媒体矩阵全年推送信息3000余条。",
        "（五）监督保障",
        "将政务公开纳入全市目标管理绩效考核，全年组织全市业务培训2期，对政府网站和政务新媒体开展季度监测。",
    ]
    problems = [
        "（一）2020年度问题整改情况",
        sentences(("rectification", ["timeliness", "platforms"],
                   "针对上年度部分部门公开栏目更新不及时的问题，已建立栏目更新月度提醒和通报机制，全年督促整改空白"
                   "栏目和长期未更新栏目23个。")),
        "（二）存在的主要问题",
        shi("problem", [
            (["interpretation"], "政策解读的形式还比较单一，图表、音视频等解读产品数量偏少"),
            (["standardization"], "部分县区和部门的基层政务公开标准目录还不够细化"),
            (["requests", "standardization"], "依申请公开答复文书的规范性仍需提高"),
        ]),
        "（三）改进措施",
        shi("measure", [
            (["interpretation"], "丰富政策解读形式，推行图解、短视频和负责人访谈等多种解读方式"),
            (["standardization"], "指导县区和部门细化基层政务公开标准目录，推动标准化规范化向村（社区）延伸"),
            (["requests", "standardization"], "统一依申请公开答复文书格式，加强审核把关，定期开展答复案例评查"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）人大代表建议和政协提案办理情况",
        "市政府系统共承办市人大代表建议312件、市政协提案408件，均按期办结，办理结果依法向社会公开。",
    ]
    return Report(
        slug="wuhu-city-gov-2021", fmt="html", agency=WUHU, year=2021, template="2021",
        published="2022-01-25", region=R_WUHU,
        title=["芜湖市人民政府2021年政府信息公开工作年度报告"],
        preamble=["本报告依照《中华人民共和国政府信息公开条例》第四十九条、第五十条的规定，由芜湖市人民政府办公室"
                  "编制，内容包括总体情况、主动公开、依申请公开、行政复议和行政诉讼、存在的问题及改进情况和其他"
                  "事项。所列数据的统计期限为2021年1月1日至2021年12月31日。对本报告如有疑问，请与市政府办公室"
                  "政务公开科联系。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=WUHU, date="2022年1月25日",
        tables={"proactive": proactive_2021((2, 1, 38), (14, 6, 152), 1850, 320, 12, 0), "requests": req,
                "appeals": app},
        style={"site": SITE_WUHU},
    )


def wuhu_2022() -> Report:
    # Planted R1 error: one more natural-person request typed in row 一 (the total recomputed with it).
    true_new = (97, 15, 0, 1, 2, 1)
    req = requests_table(
        new=true_new, over=(5, 2, 0, 0, 1, 1),
        results={"granted": (45, 7, 0, 1, 1, 0), "partially_granted": (10, 3, 0, 0, 0, 0),
                 "denied_state_secret": (1, 0, 0, 0, 0, 0), "denied_process_info": (4, 1, 0, 0, 0, 0),
                 "denied_enforcement_files": (2, 0, 0, 0, 0, 0), "unable_not_held": (20, 2, 0, 0, 1, 1),
                 "unable_needs_creation": (3, 1, 0, 0, 0, 0), "rejected_complaint": (7, 0, 0, 0, 0, 0),
                 "rejected_duplicate": (3, 0, 0, 0, 0, 0), "rejected_excessive": (2, 0, 0, 0, 0, 0),
                 "other_no_correction": (2, 0, 0, 0, 0, 0), "other_other": (1, 0, 0, 0, 0, 0)},
        printed={("new", "natural_person"): 98, ("new", "total"): sum(true_new) + 1})
    app = appeals_table((4, 2, 1, 0), (3, 1, 0, 2), (1, 0, 0, 1))
    overview = [
        "2022年，市政府坚持以人民为中心的发展思想，聚焦稳经济、保民生和重大项目建设，推动决策、执行、管理、服务"
        "和结果全过程公开，政务公开工作在全省综合评估中继续位居前列。",
        "（一）主动公开",
        "全年主动公开政府信息2.3万余条。重大行政决策事项目录全部向社会公布，涉及群众切身利益的12项决策草案"
        "公开征求意见，收到意见建议460余条并逐条研究。",
        "（二）依申请公开",
        request_sentence(req, "2022年共收到政府信息公开申请")
        + "全年因政府信息公开引起行政复议7件、行政诉讼8件。",
        "（三）政府信息管理",
        "严格执行公开属性源头认定和发布前审查制度，对政府信息公开平台中的历史信息进行全面核查，更正错漏信息41条。",
        "（四）政府信息公开平台建设",
        "优化门户网站政府信息公开平台，上线政策文件库，实现按主题、部门和发文时间分类检索。",
        "（五）监督保障",
        "市政务公开领导小组每季度召开调度会，对县区和市直部门政务公开工作进行督查，督查结果纳入年度考核。",
    ]
    problems = [
        "（一）2021年度问题整改情况",
        shi("rectification", [
            (["interpretation"], "编写发布图解、短视频等多形式解读产品46件，主要负责同志带头解读重要政策"),
            (["standardization"], "印发基层政务公开标准目录细化工作方案，26个重点领域目录全部完成修订"),
            (["requests", "standardization"], "统一依申请公开答复文书格式，全年开展答复案例评查2次"),
        ], lead="对照上年度报告提出的问题，主要开展了以下工作："),
        "（二）存在的主要问题",
        *numbered("problem", [
            (["interpretation", "accessibility"], "政策解读的深度和通俗性还有差距，部分解读材料照搬文件原文，"
             "群众看得懂、用得上的解读不多。"),
            (["platforms", "timeliness"], "政务新媒体账号数量多、分布散，部分账号更新频率低。"),
            (["engagement"], "重大行政决策公众参与的渠道还不够畅通，征集意见后的采纳情况反馈不够及时。"),
        ]),
        "（三）改进措施",
        *numbered("measure", [
            (["interpretation"], "提升政策解读质量。坚持解读材料与政策文件同步起草、同步审签、同步发布，多用案例和"
             "问答把政策讲清楚。"),
            (["platforms"], "规范政务新媒体管理。开展政务新媒体清理整合，对长期不更新的账号予以关停。"),
            (["engagement"], "拓宽公众参与渠道。对重大行政决策事项全面实行意见征集结果反馈制度。"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）年度政务公开工作要点落实情况",
        "按照省政务公开工作要点要求，逐项明确责任单位和完成时限，各项任务均已按期完成。",
    ]
    return Report(
        slug="wuhu-city-gov-2022", fmt="html", agency=WUHU, year=2022, template="2021",
        published="2023-01-20", region=R_WUHU,
        title=["芜湖市人民政府2022年政府信息公开工作年度报告"],
        preamble=["本报告依照《中华人民共和国政府信息公开条例》的规定，由芜湖市人民政府办公室编制。报告所列数据的"
                  "统计期限为2022年1月1日至2022年12月31日。本报告可在市政府门户网站政府信息公开平台下载。如对本报告"
                  "有疑问，请与市政府办公室政务公开科联系。"],
        sections=standard_sections({**H_2021, "problems": "五、存在的主要问题和改进情况"}, overview, problems, other),
        signature=WUHU, date="2023年1月20日",
        tables={"proactive": proactive_2021((1, 2, 37), (11, 9, 154), 1720, 295, 9, 0), "requests": req,
                "appeals": app},
        style={"site": {**SITE_WUHU, "index": "WH-0000-2023-00011"}},
        planted=[
            {"rule": "R1", "where": "requests.natural_person",
             "note": "row 一 of table 3 says 98 natural-person requests; the other rows add up to 97"},
            {"rule": "R1", "where": "requests.total",
             "note": "the 总计 cell of row 一 was recomputed from the wrong natural-person cell"},
        ],
    )


def wuhu_2023() -> Report:
    req = requests_table(
        new=(104, 18, 2, 0, 4, 3), over=(2, 3, 0, 0, 1, 1),
        results={"granted": (52, 9, 1, 0, 2, 1), "partially_granted": (12, 3, 0, 0, 0, 0),
                 "denied_third_party_rights": (3, 0, 0, 0, 0, 0), "denied_internal_affairs": (2, 0, 0, 0, 0, 0),
                 "denied_process_info": (3, 1, 0, 0, 0, 0), "denied_administrative_query": (2, 0, 0, 0, 0, 0),
                 "unable_not_held": (18, 4, 1, 0, 1, 1), "unable_unclear": (4, 0, 0, 0, 0, 0),
                 "rejected_complaint": (5, 0, 0, 0, 0, 0), "rejected_duplicate": (2, 0, 0, 0, 0, 0),
                 "rejected_confirmation": (1, 0, 0, 0, 0, 0), "other_no_correction": (1, 1, 0, 0, 0, 0),
                 "other_other": (1, 0, 0, 0, 0, 0)})
    app = appeals_table((5, 1, 0, 1), (2, 0, 1, 0), (2, 1, 0, 0))
    overview = [
        "2023年，市政府围绕长三角一体化发展和省域副中心建设，深化政务公开标准化规范化，以公开促进政策落地见效。",
        "（一）主动公开",
        "全年主动公开政府信息2.4万余条，公开市政府常务会议议定事项和重大项目批准、实施信息共1300余条。",
        "（二）依申请公开",
        request_sentence(req, "全年共收到政府信息公开申请"),
        "（三）政府信息管理",
        "完成市政府规章和规范性文件的年度清理，清理结果及时向社会公布，现行有效文件目录同步更新。",
        "（四）政府信息公开平台建设",
        "推动政府网站与政务新媒体融合发展，在市民中心设立政务公开专区，提供查阅、咨询等服务。",
        "（五）监督保障",
        "组织政务公开专题培训，开展第三方评估，对评估发现的问题建立整改台账，实行销号管理。",
    ]
    problems = [
        # A run-in sub-heading followed by three rectification statements.
        Para(["（一）2022年度问题整改情况。",
              Stmt("rectification", ["interpretation"],
                   "组织全市政策解读专题培训，推出“政策问答”栏目，解读材料平均篇幅压缩三分之一；"),
              Stmt("rectification", ["platforms"], "完成政务新媒体清理整合，关停长期不更新的账号17个；"),
              Stmt("rectification", ["engagement"], "在重大行政决策事项目录中全面公开意见采纳情况。")]),
        "（二）存在的主要问题。",
        sentences(("problem", ["interpretation", "engagement"],
                   "政策解读的针对性仍需加强，部分解读与企业和群众的关切结合不够紧密。"),
                  ("problem", ["coverage", "timeliness"],
                   "公共数据开放的广度和深度不够，部分部门开放的数据集更新慢、可用性差。")),
        "（三）改进措施。",
        sentences(("measure", ["interpretation", "engagement"],
                   "下一步，将建立政策解读需求征集机制，围绕企业和群众反映集中的问题开展精准解读。"),
                  ("measure", ["coverage", "timeliness"],
                   "同时，扩大公共数据开放范围，按季度更新重点领域数据集。")),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）政务公开工作创新情况",
        "在全市推行“政策找人”服务，依托企业服务平台向符合条件的市场主体精准推送惠企政策。",
    ]
    return Report(
        slug="wuhu-city-gov-2023", fmt="pdf", agency=WUHU, year=2023, template="2021",
        published="2024-01-22", region=R_WUHU,
        title=["芜湖市人民政府2023年政府信息公开", "工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》规定，现公布芜湖市人民政府2023年政府信息公开工作年度报告。"
                  "报告中所列数据的统计期限为2023年1月1日至2023年12月31日。如对本报告有疑问，请与市政府办公室"
                  "政务公开科联系。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=WUHU, date="2024年1月22日",
        tables={"proactive": proactive_2021((1, 0, 38), (9, 4, 159), 1905, 301, 14, 12.85), "requests": req,
                "appeals": app},
    )


def wuhu_2024(prev: dict) -> Report:
    req = requests_table(
        new=(91, 14, 1, 1, 3, 2), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (44, 8, 1, 1, 2, 1), "partially_granted": (9, 2, 0, 0, 0, 0),
                 "denied_third_party_rights": (2, 0, 0, 0, 0, 0), "denied_process_info": (2, 1, 0, 0, 0, 0),
                 "unable_not_held": (17, 3, 0, 0, 1, 1), "unable_needs_creation": (2, 0, 0, 0, 0, 0),
                 "unable_unclear": (3, 0, 0, 0, 0, 0), "rejected_complaint": (6, 0, 0, 0, 0, 0),
                 "rejected_duplicate": (2, 0, 0, 0, 0, 0), "other_no_correction": (1, 0, 0, 0, 0, 0)})
    app = appeals_table((3, 0, 1, 0), (1, 1, 0, 1), (0, 0, 0, 0))
    overview = [
        "2024年，市政府深入推进政务公开标准化规范化，围绕扩大有效投资、优化营商环境和保障改善民生，及时准确发布"
        "政府信息。",
        "（一）主动公开",
        "全年主动公开政府信息2.2万余条，发布政策解读材料96篇，其中图解和短视频解读41篇。",
        "（二）依申请公开",
        request_sentence(req),
        "（三）政府信息管理",
        "对2019年以来印发的规范性文件开展合法性和有效性评估，评估结果向社会公开。",
        "（四）政府信息公开平台建设",
        "市政府门户网站政策文件库新增智能问答功能，群众可按关键词查询相关政策条款。",
        "（五）监督保障",
        "将政务公开纳入县区和市直部门年度目标考核，对考核中发现的问题限期整改。",
    ]
    problems = [
        "（一）上年度问题整改情况",
        *numbered("rectification", [
            (["interpretation"], "围绕惠企政策、就业社保等领域开展精准解读，全年发布问答式解读"
             "材料58篇。"),
            (["coverage", "timeliness"], "公共数据开放平台新增数据集120个，重点领域数据集实现按季度更新。"),
        ]),
        "（二）存在的主要问题",
        shi("problem", [
            (["awareness"], "部分部门对主动公开的重视程度不够，信息发布存在等待上级安排的现象"),
            (["platforms", "accessibility"], "政务公开专区在基层的覆盖还不均衡，部分乡镇专区使用率不高"),
        ], lead="对照新形势新要求，我市政务公开工作还存在一些不足："),
        "（三）改进措施",
        shi("measure", [
            (["oversight", "institutions"], "压实各部门主体责任，将主动公开情况纳入年度绩效考核并定期通报"),
            (["platforms", "accessibility"], "推动政务公开专区向乡镇、村（社区）延伸，完善专区查阅和咨询服务功能"),
        ]),
    ]
    other = [
        "本年度未收取信息处理费。市政府系统承办的市人大代表建议和市政协提案均已按期办结。",
    ]
    return Report(
        slug="wuhu-city-gov-2024", fmt="txt", agency=WUHU, year=2024, template="2021",
        published="2025-01-21", region=R_WUHU,
        title=["芜湖市人民政府                2024年政府信息公开工作年度报告"],
        preamble=["本报告根据《中华人民共和国政府信息公开条例》编制，由芜湖市人民政府办公室负责解释。报告中所列数据"
                  "的统计期限为2024年1月1日至2024年12月31日。"],
        sections=standard_sections({**H_2021, "problems": "五、政府信息公开工作存在的主要问题及改进情况"},
                                   overview, problems, other),
        signature=WUHU, date="2025年1月21日",
        tables={"proactive": proactive_2021((0, 1, 37), (10, 5, 164), 1788, 276, 10, 9.6), "requests": req,
                "appeals": app},
        style={"wrap_cells": {"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）": 22}},
    )


# --- 肥西县农业农村局 (county department; 肥西县农业局 before the 2019 reform) -----------------------------

def feixi_2018() -> Report:
    # The free-form layout of the 2008 regulation era: no standard tables, a fees section of its own.
    sections = [
        ("overview", "一、概述", [
            "2018年，我局把政府信息公开作为转变作风、服务“三农”的一项基础工作，明确一名分管负责同志和一名联络员"
            "具体负责，信息公开工作总体运行平稳。",
        ]),
        ("proactive", "二、主动公开政府信息情况", [
            "全年在肥西县政府信息公开网站主动公开信息312条，其中农业补贴资金发放、动物防疫和农产品质量安全等重点"
            "信息96条。耕地地力保护补贴发放名册同时在村级公开栏张贴，接受群众监督。",
        ]),
        ("requests", "三、依申请公开政府信息情况", [
            "全年收到政府信息公开申请3件，均在规定期限内作出答复，其中同意公开2件，告知信息不存在1件。",
        ]),
        ("fees", "四、政府信息公开的收费及减免情况", [
            "本年度未收取任何政府信息公开费用，也未发生减免情况。",
        ]),
        ("appeals", "五、因政府信息公开申请行政复议、提起行政诉讼的情况", [
            "本年度未发生因政府信息公开申请引起的行政复议和行政诉讼。",
        ]),
        ("problems", "六、存在的主要问题及改进措施", [
            shi("problem", [
                (["staffing"], "信息公开工作人员均为兼职，专业水平不高"),
                (["timeliness"], "部分涉农项目信息发布不够及时，往往在项目实施结束后才集中公开"),
            ], lead="我局信息公开工作虽然取得一定成效，但仍存在一些问题："),
            sentences(("measure", ["staffing", "timeliness", "institutions"],
                       "下一步，我局将加强对信息公开人员的业务培训，并建立涉农项目信息随办随公开的工作制度。")),
        ]),
        ("other", "七、其他需要报告的事项", ["无。"]),
    ]
    return Report(
        slug="feixi-agriculture-2018", fmt="txt", agency="肥西县农业局", year=2018, template="legacy",
        published="2019-03-15", region=R_FEIXI,
        title=["肥西县农业局2018年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》和县政务公开办的统一部署，现将我局2018年度政府信息公开工作"
                  "情况报告如下。本报告统计期限为2018年1月1日至2018年12月31日。"],
        sections=sections, signature="肥西县农业局", date="2019年3月15日",
    )


def feixi_2020() -> Report:
    # The 2019 form: table 2 with 本年新制作数量/本年新公开数量/对外公开总数量, one （六）其他处理 row.
    proactive = {
        "rules": {"issued": 0, "published": 0, "total_published": 0},
        "normative_documents": {"issued": 2, "published": 2, "total_published": 9},
        "licensing": {"items_previous_year": 15, "items_change": 2, "decisions": 436},
        "other_management_services": {"items_previous_year": 8, "items_change": 0, "decisions": 57},
        "penalty": {"items_previous_year": 6, "items_change": -1, "decisions": 23},
        "coercion": {"items_previous_year": 3, "items_change": 0, "decisions": 4},
        "administrative_fees": {"items_previous_year": 0, "items_change": 0},
        "government_procurement": {"items": 5, "amount_10k_yuan": 186.4},
    }
    req = requests_table(new=(5, 1, 0, 0, 0, 0), over=(0, 0, 0, 0, 0, 0), form="2019",
                         results={"granted": (3, 0, 0, 0, 0, 0), "partially_granted": (0, 1, 0, 0, 0, 0),
                                  "unable_not_held": (1, 0, 0, 0, 0, 0)})
    overview = [
        "2020年，我局统筹做好疫情防控和农业生产相关信息发布，全面落实新修订的政府信息公开条例，政务公开工作平稳有序。",
        "（一）主动公开",
        "全年主动公开各类信息405条，重点公开春耕备耕、生猪生产扶持和农业保险等政策信息。",
        "（二）依申请公开",
        "全年收到政府信息公开申请6件，办结5件，结转下年度继续办理1件。",
        "（三）政府信息管理",
        "建立信息发布审核登记制度，信息发布前由股室负责人和分管负责同志两级审核。",
        "（四）平台建设",
        "在县政府门户网站部门信息公开专栏下设置农业补贴、项目建设等子栏目。",
        "（五）监督保障",
        "局办公室每季度对各股室信息报送情况进行检查并在局务会上通报。",
    ]
    problems = [
        "（一）存在的主要问题",
        *numbered("problem", [
            (["timeliness"], "信息发布时效性不强，部分农业项目公示在项目批复后较长时间才集中上传。"),
            (["staffing"], "信息公开工作人员为兼职，人员调整较为频繁。"),
        ]),
        "（二）改进措施",
        *numbered("measure", [
            (["timeliness"], "建立信息发布清单，项目批复后5个工作日内完成公开。"),
            (["staffing"], "加强业务培训，提升工作人员业务能力。"),
        ]),
    ]
    other = ["本年度未收取信息处理费。"]
    return Report(
        slug="feixi-agriculture-2020", fmt="docx", agency=FEIXI_AG, year=2020, template="2019", form="2019",
        published="2021-01-28", region=R_FEIXI,
        title=["肥西县农业农村局2020年政府信息公开工作年度报告"],
        preamble=["本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限为2020年1月1日至2020年"
                  "12月31日。如对本报告有疑问，请与肥西县农业农村局办公室联系。"],
        sections=standard_sections({**H_2021, "requests": "三、收到和处理政府信息公开申请情况",
                                    "appeals": "四、政府信息公开行政复议、行政诉讼情况"},
                                   overview, problems, other),
        signature=FEIXI_AG, date="2021年1月28日",
        tables={"proactive": proactive, "requests": req, "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0),
                                                                                  (0, 0, 0, 0))},
    )


def feixi_2021(prev: dict) -> Report:
    req = requests_table(
        new=(6, 2, 0, 0, 1, 0), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (4, 1, 0, 0, 1, 0), "denied_process_info": (0, 1, 0, 0, 0, 0),
                 "unable_not_held": (2, 0, 0, 0, 0, 0), "rejected_duplicate": (1, 0, 0, 0, 0, 0)})
    overview = [
        "2021年，我局围绕乡村振兴和粮食安全等中心工作，扎实推进农业农村领域政务公开。",
        "（一）主动公开",
        "全年主动公开信息438条，其中惠农补贴类信息127条、项目建设类信息64条。",
        "（二）依申请公开",
        "全年收到政府信息公开申请9件，上年结转1件，均已办结。",
        "（三）政府信息管理",
        "对本局历年制发的文件进行梳理，明确每份文件的公开属性并在专栏中集中展示。",
        "（四）政府信息公开平台建设",
        "开通“肥西农业农村”微信公众号，与部门信息公开专栏同步发布政策和通知公告。",
        "（五）监督保障",
        "将信息公开工作纳入局内股室年度考核，考核结果与评先评优挂钩。",
    ]
    problems = [
        "（一）2020年度问题整改情况",
        shi("rectification", [
            (["timeliness", "institutions"], "制定项目信息公开清单，明确各股室报送时限"),
            (["staffing"], "组织全局信息公开业务培训2次"),
        ]),
        "（二）存在的主要问题",
        shi("problem", [
            (["timeliness"], "部分股室报送信息不够及时，惠农补贴信息发布滞后于资金拨付"),
            (["interpretation"], "政策解读以转载文件为主，原创解读较少"),
        ]),
        "（三）改进措施",
        shi("measure", [
            (["oversight", "timeliness"], "加强督促检查，对信息报送滞后的股室进行通报"),
            (["staffing"], "加强业务培训，提升工作人员业务能力"),
            (["interpretation"], "围绕高标准农田建设、种粮补贴等政策制作图解"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）人大代表建议和政协提案办理情况",
        "全年承办县人大代表建议6件、县政协委员提案9件，均已按期办结。",
    ]
    return Report(
        slug="feixi-agriculture-2021", fmt="docx", agency=FEIXI_AG, year=2021, template="2021",
        published="2022-01-24", region=R_FEIXI,
        title=["肥西县农业农村局2021年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》和《肥西县人民政府办公室关于做好政府信息公开工作年度报告"
                  "编制发布工作的通知》要求，编制本报告。所列数据的统计期限为2021年1月1日至2021年12月31日。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=FEIXI_AG, date="2022年1月24日",
        tables={"proactive": proactive_2021((0, 0, 0), (1, 0, 8), 452, 31, 5, 0), "requests": req,
                "appeals": appeals_table((0, 1, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
    )


def feixi_2022(prev: dict) -> Report:
    req = requests_table(
        new=(7, 1, 0, 0, 0, 0), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (4, 1, 0, 0, 0, 0), "partially_granted": (1, 0, 0, 0, 0, 0),
                 "unable_not_held": (1, 0, 0, 0, 0, 0)})
    overview = [
        "2022年，我局坚持以公开促规范、以公开优服务，重点做好惠农政策和涉农资金信息公开。",
        "（一）主动公开",
        "全年主动公开信息466条，发布政策解读图解8篇。",
        "（二）依申请公开",
        # Planted R5 mismatch: the text says 9 requests, table 3 has 8.
        "2022年，我局共收到政府信息公开申请9件，办结7件，另有1件因需征求第三方意见结转至2023年度办理。",
        "（三）政府信息管理",
        "严格执行信息发布审核制度，涉及个人信息的补贴名册一律去标识化处理后公开。",
        "（四）政府信息公开平台建设",
        "在县政务服务中心农业窗口设置政策查阅点，摆放惠农政策汇编供群众取阅。",
        "（五）监督保障",
        "局党组会议两次专题研究政务公开工作，对公开工作落实情况开展专项检查。",
    ]
    problems = [
        sentences(("rectification", ["timeliness"],
                   "2021年度提出的问题已基本整改到位，惠农补贴信息实行资金拨付后3个工作日内公开。")),
        shi("problem", [
            (["timeliness", "platforms"], "信息更新不够及时，“三农”政策栏目部分内容未能随政策调整同步更新"),
            (["requests"], "依申请公开办理中与申请人的沟通还不够充分"),
        ], lead="但对照群众期待，仍存在不足："),
        sentences(("measure", ["timeliness", "platforms"],
                   "下一步，我局将建立栏目内容季度核查制度，确保政策信息动态更新。"),
                  ("measure", ["staffing"], "同时，加强业务培训，提升工作人员的业务能力。"),
                  ("measure", ["requests"], "在依申请公开办理中主动电话联系申请人，准确了解申请需求。")),
    ]
    other = [
        "本年度未收取信息处理费。全年承办县人大代表建议5件、县政协委员提案7件，均已按期办结并公开办理结果。",
    ]
    return Report(
        slug="feixi-agriculture-2022", fmt="txt", agency=FEIXI_AG, year=2022, template="2021",
        published="2023-01-18", region=R_FEIXI,
        title=["肥西县农业农村局2022年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》要求，现公布肥西县农业农村局2022年政府信息公开工作年度报告。"
                  "本报告所列数据的统计期限自2022年1月1日起至2022年12月31日止。"],
        sections=standard_sections({**H_2021, "problems": "五、存在的主要问题和改进情况"},
                                   overview, problems, other),
        signature=FEIXI_AG, date="2023年1月18日",
        tables={"proactive": proactive_2021((0, 0, 0), (0, 1, 7), 470, 27, 3, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
        # Word-to-text exports leave zero cells of table 4 empty; this one also typed full-width digits.
        style={"fullwidth": True, "blank_zero_appeals": True},
        planted=[{"rule": "R5", "where": "narrative.requests.new",
                  "note": "section 1 says 9 requests were received; table 3 row 一 says 8"}],
    )


def feixi_2023(prev: dict) -> Report:
    req = requests_table(
        new=(5, 2, 0, 0, 0, 1), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (3, 1, 0, 0, 0, 1), "partially_granted": (1, 0, 0, 0, 0, 0),
                 "denied_third_party_rights": (0, 1, 0, 0, 0, 0), "unable_not_held": (2, 0, 0, 0, 0, 0)})
    overview = [
        "2023年，我局聚焦粮食生产、高标准农田建设和农村人居环境整治，持续加大农业农村领域信息公开力度。",
        "（一）主动公开",
        "全年主动公开信息481条，公开涉农补贴资金发放信息139条。",
        "（二）依申请公开",
        request_sentence(req, "全年收到政府信息公开申请"),
        "（三）政府信息管理",
        "完成本局行政规范性文件清理，公布现行有效文件目录。",
        "（四）政府信息公开平台建设",
        "优化部门信息公开专栏结构，将涉农补贴信息按年度和补贴类别归集展示。",
        "（五）监督保障",
        "开展政务公开自查2次，对发现的问题逐项整改。",
    ]
    problems = [
        "（一）2022年问题整改情况",
        *numbered("rectification", [
            (["timeliness", "platforms"], "建立“三农”政策栏目季度核查制度，全年核查更新栏目内容4次。"),
            (["requests"], "依申请公开实行办前电话沟通，申请人对答复的认可度明显提高。"),
        ]),
        "（二）存在的主要问题",
        *numbered("problem", [
            (["timeliness"], "信息公开时效性仍有不足，个别项目招投标结果公开不及时。"),
            (["coverage"], "农业农村领域重点信息公开的深度不够，项目资金使用绩效方面公开较少。"),
        ]),
        "（三）改进措施",
        *numbered("measure", [
            (["oversight", "timeliness"], "将信息公开时效纳入股室年度考核。"),
            (["staffing"], "加强业务培训，不断提升工作人员的业务能力。"),
            (["coverage"], "拓展公开深度，逐步公开项目资金绩效评价结果。"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）本行政机关认为需要报告的其他事项",
        "无。",
    ]
    return Report(
        slug="feixi-agriculture-2023", fmt="pdf", agency=FEIXI_AG, year=2023, template="2021",
        published="2024-01-19", region=R_FEIXI,
        title=["肥西县农业农村局", "2023年政府信息公开工作年度报告"],
        preamble=["本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为2023年1月1日至2023年12月31日。"
                  "如对本报告有疑问，请与肥西县农业农村局办公室联系。"],
        sections=standard_sections({**H_2021, "appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"},
                                   overview, problems, other),
        signature=FEIXI_AG, date="2024年1月19日",
        tables={"proactive": proactive_2021((0, 0, 0), (2, 0, 9), 498, 35, 6, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (1, 0, 0, 0), (0, 0, 0, 0))},
        style={"indent_headings": True, "split_tables": True},
    )


# --- 三河镇人民政府 (a town of 肥西县) -------------------------------------------------------------------

def sanhe_2021() -> Report:
    req = requests_table(new=(2, 0, 0, 0, 0, 0), over=(0, 0, 0, 0, 0, 0),
                         results={"granted": (1, 0, 0, 0, 0, 0), "unable_not_held": (1, 0, 0, 0, 0, 0)})
    overview = [
        "2021年，三河镇在肥西县政务公开办的指导下，以群众需求为导向，推进基层政务公开标准化规范化建设。",
        "（一）主动公开",
        "通过肥西县人民政府网站三河镇信息公开专栏主动公开信息186条，在镇便民服务中心和各村（社区）公开栏同步"
        "张贴低保、临时救助等民生信息。",
        "（二）依申请公开",
        "全年收到政府信息公开申请2件，均已按期答复。",
        "（三）政府信息管理",
        "对照县里下发的基层政务公开标准目录，梳理形成镇级公开事项清单。",
        "（四）政府信息公开平台建设",
        "在镇便民服务中心设置政务公开查阅点，配备查阅电脑1台。",
        "（五）监督保障",
        "镇党政办负责政务公开日常工作，镇纪委对公开情况进行监督。",
    ]
    problems = [
        shi("problem", [
            (["staffing"], "政务公开工作人员身兼数职，人员变动频繁，业务不够熟悉"),
            (["timeliness", "platforms", "standardization"], "村级公开栏内容更新不及时，部分公开内容与镇网站不一致"),
        ], lead="本年度我镇政务公开工作仍存在以下问题："),
        sentences(("measure", ["staffing", "oversight"],
                   "针对上述问题，我镇将配齐配强政务公开工作人员，积极参加县级业务培训，并对村级公开栏实行每月检查。")),
    ]
    other = ["本年度未收取信息处理费，无其他需要报告的事项。"]
    return Report(
        slug="sanhe-town-gov-2021", fmt="txt", agency=SANHE, year=2021, template="2021",
        published="2022-01-26", region=R_FEIXI,
        title=["三河镇人民政府2021年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》和肥西县政务公开办的工作要求，编制本报告。报告所列数据的统计"
                  "期限为2021年1月1日至2021年12月31日。如对本报告有疑问，请与三河镇党政办公室联系。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=SANHE, date="2022年1月26日",
        tables={"proactive": proactive_2021((0, 0, 0), (0, 0, 0), 0, 8, 0, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
    )


def sanhe_2022() -> Report:
    req = requests_table(new=(3, 1, 0, 0, 0, 0), over=(0, 0, 0, 0, 0, 0),
                         results={"granted": (2, 0, 0, 0, 0, 0), "unable_not_held": (0, 1, 0, 0, 0, 0)})
    overview = [
        "2022年，我镇围绕乡村振兴和古镇保护利用，扎实做好政务公开各项工作。",
        "（一）主动公开",
        "全年主动公开信息203条，其中财政预决算、惠民资金发放等重点信息58条。",
        "（二）依申请公开",
        "全年收到政府信息公开申请4件，已办结3件，结转下年度继续办理1件。",
        "（三）政府信息管理",
        "建立信息发布“一事一审”制度，涉及群众个人信息的内容发布前逐条核对。",
        "（四）政府信息公开平台建设",
        "各村（社区）公开栏统一更换为标准化公开栏，增设二维码链接镇信息公开专栏。",
        "（五）监督保障",
        "将村级公开情况纳入村（社区）年度考核。",
    ]
    problems = [
        "（一）上年度问题整改情况",
        Para([Stmt("rectification", ["staffing", "institutions"],
                   "明确党政办一名工作人员具体负责政务公开工作，全年参加县级培训3次；"),
              Stmt("rectification", ["oversight"], "村级公开栏实行每月检查，发现问题当即整改。")]),
        "（二）存在的主要问题",
        shi("problem", [
            (["staffing"], "政务公开工作人员仍为兼职，专业能力与工作要求存在差距"),
            (["coverage"], "对群众关心的征地补偿、惠民资金发放等信息公开还不够全面"),
        ]),
        "（三）改进措施",
        shi("measure", [
            (["staffing"], "加强政务公开队伍建设，定期组织业务学习"),
            (["coverage"], "全面梳理镇级公开事项，重点做好征地补偿和惠民资金信息公开"),
        ]),
    ]
    other = ["本年度未收取信息处理费。"]
    return Report(
        slug="sanhe-town-gov-2022", fmt="docx", agency=SANHE, year=2022, template="2021",
        published="2023-01-29", region=R_FEIXI,
        title=["三河镇人民政府2022年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》规定，结合肥西县政务公开工作安排，编制本报告。所列数据的统计"
                  "期限为2022年1月1日至2022年12月31日。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=SANHE, date="2023年1月29日",
        tables={"proactive": proactive_2021((0, 0, 0), (0, 0, 0), 0, 12, 0, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
    )


def sanhe_2023() -> Report:
    # Planted R6 break: the 2022 report carried one request forward; this one carries none over.
    req = requests_table(new=(2, 0, 0, 0, 0, 0), over=(0, 0, 0, 0, 0, 0),
                         results={"granted": (2, 0, 0, 0, 0, 0)})
    overview = [
        "2023年，我镇持续深化基层政务公开，做好惠民政策、重点项目和古镇保护相关信息发布。",
        "（一）主动公开",
        "全年主动公开信息221条，公开财政预决算、惠民资金发放、征地补偿等重点信息73条。",
        "（二）依申请公开",
        "全年收到政府信息公开申请2件，均在法定期限内答复。",
        "（三）政府信息管理",
        "形成镇级政务公开事项清单，按清单明确每项信息的公开时限和责任人。",
        "（四）政府信息公开平台建设",
        "镇政务公开专区新增自助查询设备1台。",
        "（五）监督保障",
        "镇政务公开领导小组每半年听取一次政务公开工作汇报。",
    ]
    problems = [
        "（一）2022年问题整改情况",
        *numbered("rectification", [
            (["staffing"], "组织镇村两级政务公开业务学习4次。"),
            (["coverage"], "梳理形成镇级政务公开事项清单，征地补偿和惠民资金信息按季度公开。"),
        ]),
        "（二）2023年存在的主要问题",
        *numbered("problem", [
            (["staffing"], "政务公开工作力量薄弱，专门从事公开工作的人员仅1名，且缺乏系统培训。"),
            (["interpretation", "accessibility"], "政策解读工作基本空白，群众对涉农政策了解不多。"),
        ]),
        "（三）下一步改进措施",
        *numbered("measure", [
            (["staffing"], "加强政务公开队伍建设，定期组织业务学习。"),
            (["interpretation", "accessibility"], "借助村民微信群、村广播等群众熟悉的方式，用通俗易懂的语言解读惠民政策。"),
        ]),
    ]
    other = ["本年度未收取信息处理费。"]
    return Report(
        slug="sanhe-town-gov-2023", fmt="html", agency=SANHE, year=2023, template="2021",
        published="2024-01-25", region=R_FEIXI,
        title=["三河镇人民政府2023年政府信息公开工作年度报告"],
        preamble=["本报告根据《中华人民共和国政府信息公开条例》和肥西县人民政府办公室有关通知要求编制，所列数据的统计"
                  "期限为2023年1月1日至2023年12月31日。"],
        sections=standard_sections({**H_2021, "problems": "五、存在的主要问题和改进情况"}, overview, problems, other),
        signature=SANHE, date="2024年1月25日",
        tables={"proactive": proactive_2021((0, 0, 0), (0, 0, 0), 0, 15, 0, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
        style={"site": SITE_SANHE},
        planted=[
            {"rule": "R6", "where": "requests.carried_over.natural_person", "previous": "sanhe-town-gov-2022.docx",
             "note": "the 2022 report carries 1 natural-person request forward; this one carries 0 over"},
            {"rule": "R6", "where": "requests.carried_over.total", "previous": "sanhe-town-gov-2022.docx",
             "note": "the same break in the 总计 column"},
        ],
    )


def sanhe_2024(prev: dict) -> Report:
    req = requests_table(new=(4, 0, 0, 0, 0, 1), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
                         results={"granted": (3, 0, 0, 0, 0, 1), "denied_third_party_rights": (1, 0, 0, 0, 0, 0)})
    overview = [
        "2024年，我镇以基层政务公开标准化规范化为主线，推动政务公开向村（社区）延伸。",
        "（一）主动公开",
        "全年主动公开信息236条，在各村微信群同步推送惠民政策解读32期。",
        "（二）依申请公开",
        request_sentence(req, "全年收到政府信息公开申请"),
        "（三）政府信息管理",
        "对镇级公开事项清单进行年度更新，新增乡村建设项目等公开事项5项。",
        "（四）政府信息公开平台建设",
        "镇政务公开专区与便民服务中心综合窗口合并设置，方便群众就近查阅。",
        "（五）监督保障",
        "将政务公开纳入镇对村年度综合考核，考核结果在全镇通报。",
    ]
    problems = [
        "（一）2023年问题整改情况",
        Para([Stmt("rectification", ["staffing"], "我镇新增1名政务公开专职工作人员，并通过以干代训的方式提升业务能力；"),
              Stmt("rectification", ["interpretation", "accessibility"],
                   "在各村微信群开设“政策微讲堂”，全年发布通俗解读32期。")]),
        "（二）存在的问题",
        di("problem", [
            (["platforms", "accessibility"], "镇级政务公开专区设施较为简陋，自助查询设备使用率不高。"),
            (["standardization"], "部分村（社区）公开内容仍存在格式不统一的问题。"),
        ]),
        "（三）改进措施",
        di("measure", [
            (["platforms", "accessibility"], "完善政务公开专区设施，安排专人引导群众查阅。"),
            (["standardization"], "制定村务公开统一模板，规范公开格式。"),
        ]),
    ]
    other = ["本年度未收取信息处理费。"]
    return Report(
        slug="sanhe-town-gov-2024", fmt="pdf", agency=SANHE, year=2024, template="2021",
        published="2025-01-24", region=R_FEIXI,
        title=["三河镇人民政府2024年政府信息公开", "工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》要求，结合肥西县政务公开工作部署，编制本报告。报告所列数据的"
                  "统计期限为2024年1月1日至2024年12月31日。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=SANHE, date="2025年1月24日",
        tables={"proactive": proactive_2021((0, 0, 0), (0, 0, 0), 0, 11, 0, 0), "requests": req,
                "appeals": appeals_table((0, 0, 0, 0), (0, 0, 0, 0), (0, 0, 0, 0))},
    )


# --- 安徽省生态环境厅 (provincial department) -------------------------------------------------------------

def env_2022() -> Report:
    req = requests_table(
        new=(58, 21, 3, 2, 5, 4), over=(3, 2, 0, 0, 1, 0),
        results={"granted": (20, 8, 1, 1, 2, 1), "partially_granted": (6, 3, 0, 0, 1, 0),
                 "denied_third_party_rights": (2, 1, 0, 0, 0, 0), "denied_process_info": (3, 1, 0, 0, 0, 0),
                 "denied_enforcement_files": (1, 0, 0, 0, 0, 0), "unable_not_held": (18, 5, 1, 1, 1, 2),
                 "unable_needs_creation": (3, 1, 0, 0, 0, 0), "unable_unclear": (2, 0, 0, 0, 0, 0),
                 "rejected_complaint": (3, 1, 0, 0, 0, 0), "rejected_duplicate": (1, 0, 0, 0, 0, 0),
                 "other_no_correction": (1, 1, 0, 0, 0, 0)})
    app = appeals_table((2, 1, 0, 0), (1, 0, 1, 0), (0, 0, 0, 1))
    overview = [
        "2022年，我厅围绕深入打好污染防治攻坚战，推进生态环境领域信息公开，以公开促进生态环境治理能力提升。",
        "（一）主动公开",
        "全年通过厅门户网站主动公开信息5600余条，按月发布全省空气质量、地表水水质状况，及时公开建设项目环境影响"
        "评价审批信息和重点排污单位名录。",
        "（二）依申请公开",
        request_sentence(req, "全年共收到政府信息公开申请"),
        "（三）政府信息管理",
        "修订厅政府信息公开工作规程，明确各处室和直属单位的公开职责和办理流程。",
        "（四）政府信息公开平台建设",
        "在厅门户网站开设环评审批信息专栏，统一发布受理、拟批准和批准公告。",
        "（五）监督保障",
        "将政务公开工作纳入厅机关年度绩效考核，全年组织专题培训1次。",
    ]
    problems = [
        "（一）2021年度问题整改情况",
        sentences(("rectification", ["platforms"],
                   "针对上年度环境影响评价信息公开不够集中的问题，已在厅门户网站开设环评审批信息专栏，统一发布"
                   "受理、拟批准和批准信息。")),
        "（二）存在的主要问题",
        shi("problem", [
            (["awareness"], "部分处室和直属单位主动公开意识不强，认为公开只是办公室一家的事"),
            (["oversight"], "政务公开考核评估机制还不完善，考核结果运用不够"),
        ]),
        "（三）改进措施",
        shi("measure", [
            (["awareness"], "通过专题会议和培训，增强各处室主动公开意识"),
            (["oversight"], "完善政务公开考核评估办法，将考核结果与年度评优挂钩"),
            (["platforms", "accessibility"], "升级门户网站检索功能，方便公众查找环境信息"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）建议提案办理情况",
        "全年承办省人大代表建议41件、省政协提案57件，均按时办结，答复全文按规定公开。",
    ]
    return Report(
        slug="anhui-ecology-env-2022", fmt="pdf", agency=AH_ENV, year=2022, template="2021",
        published="2023-01-16", region=R_ANHUI,
        title=["安徽省生态环境厅2022年政府信息公开", "工作年度报告"],
        preamble=["本报告依据《中华人民共和国政府信息公开条例》编制，由安徽省生态环境厅办公室负责汇总。报告所列数据"
                  "的统计期限为2022年1月1日至2022年12月31日。如对本报告有疑问，请与厅办公室联系。"],
        sections=standard_sections({**H_2021, "problems": "五、政府信息公开工作存在的主要问题及改进情况"},
                                   overview, problems, other),
        signature=AH_ENV, date="2023年1月16日",
        tables={"proactive": proactive_2021((0, 0, 0), (5, 2, 41), 2480, 46, 3, 0), "requests": req,
                "appeals": app},
        style={"pdf_header": "安徽省生态环境厅政府信息公开"},
    )


def env_2023(prev: dict) -> Report:
    # Planted R3 error: the 总计 of row （一）予以公开 says 41; its six cells add up to 40.
    req = requests_table(
        new=(66, 25, 2, 3, 6, 3), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (25, 10, 1, 1, 3, 0), "partially_granted": (7, 4, 0, 0, 1, 0),
                 "denied_state_secret": (1, 0, 0, 0, 0, 0), "denied_third_party_rights": (2, 2, 0, 0, 0, 0),
                 "denied_process_info": (2, 1, 0, 0, 0, 0), "unable_not_held": (17, 6, 1, 1, 2, 2),
                 "unable_needs_creation": (2, 1, 0, 0, 0, 0), "unable_unclear": (3, 0, 0, 0, 0, 0),
                 "rejected_complaint": (4, 0, 0, 0, 0, 0), "rejected_duplicate": (1, 1, 0, 0, 0, 0),
                 "rejected_excessive": (1, 0, 0, 0, 0, 0), "other_no_correction": (1, 0, 0, 0, 0, 0)},
        printed={("granted", "total"): 41})
    app = appeals_table((3, 0, 1, 1), (1, 1, 0, 0), (1, 0, 0, 0))
    overview = [
        "2023年，我厅坚持以公开为常态、不公开为例外，围绕美丽安徽建设做好生态环境信息发布和政策解读。",
        "（一）主动公开",
        "全年主动公开信息5900余条，发布生态环境质量月报12期、政策解读材料23篇。",
        "（二）依申请公开",
        request_sentence(req, "全年共收到政府信息公开申请"),
        "（三）政府信息管理",
        "完成厅规范性文件清理，废止和修改不适应生态环境保护工作需要的文件。",
        "（四）政府信息公开平台建设",
        "厅门户网站完成适老化和无障碍改造，开设生态环境数据开放栏目。",
        "（五）监督保障",
        "修订政务公开工作考核办法，对各处室和直属单位公开工作开展年度考核。",
    ]
    problems = [
        "（一）上年度问题整改情况",
        *numbered("rectification", [
            (["awareness"], "召开全厅政务公开专题培训会，各处室和直属单位主动公开的意识明显增强。"),
            (["oversight"], "修订政务公开工作考核办法，考核结果纳入年度综合评价。"),
        ]),
        "（二）存在的主要问题",
        *numbered("problem", [
            (["accessibility", "platforms"], "门户网站信息检索的准确性还不高，公众查找历史环境监测数据仍不方便。"),
            (["security"], "信息发布前的保密审查存在薄弱环节，曾出现附件未隐去个人信息的情况。"),
        ]),
        "（三）改进措施",
        *numbered("measure", [
            (["platforms", "accessibility"], "优化网站搜索功能，建立环境监测数据历史库，提供按地区、按时间检索。"),
            (["security"], "严格落实信息发布“三审三校”制度，重点审查附件中的个人信息。"),
        ]),
    ]
    other = [
        "（一）信息处理费收取情况",
        "本年度未收取信息处理费。",
        "（二）年度工作要点落实情况",
        "按照全省政务公开工作要点，生态环境领域各项公开任务均已完成。",
    ]
    return Report(
        slug="anhui-ecology-env-2023", fmt="html", agency=AH_ENV, year=2023, template="2021",
        published="2024-01-18", region=R_ANHUI,
        title=["安徽省生态环境厅2023年政府信息公开工作年度报告"],
        preamble=["根据《中华人民共和国政府信息公开条例》规定，现公布安徽省生态环境厅2023年政府信息公开工作年度报告。"
                  "报告所列数据统计期限为2023年1月1日至2023年12月31日。"],
        sections=standard_sections({**H_2021, "appeals": "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
                                    "problems": "5、存在的主要问题及改进情况"}, overview, problems, other),
        signature=AH_ENV, date="2024年1月18日",
        tables={"proactive": proactive_2021((0, 0, 0), (4, 3, 42), 2615, 52, 4, 0), "requests": req,
                "appeals": app},
        style={"site": {**SITE_ENV, "index": "AHSTHJT-2024-00002"}, "grouped": True},
        planted=[
            {"rule": "R3", "where": "requests.granted", "note": "row （一）予以公开: 总计 41, the columns add up to 40"},
            {"rule": "R2", "where": "requests.total",
             "note": "follows from the same cell: the 总计 column of the result rows adds up to one more than （七）总计"},
        ],
    )


def env_2024(prev: dict) -> Report:
    req = requests_table(
        new=(55, 19, 2, 1, 4, 2), over=tuple(prev["carried_forward"][c] for c in APPLICANTS),
        results={"granted": (21, 8, 1, 0, 2, 1), "partially_granted": (6, 3, 0, 0, 1, 0),
                 "denied_third_party_rights": (1, 1, 0, 0, 0, 0), "denied_process_info": (2, 0, 0, 0, 0, 0),
                 "unable_not_held": (15, 5, 1, 1, 1, 1), "unable_needs_creation": (2, 1, 0, 0, 0, 0),
                 "unable_unclear": (2, 0, 0, 0, 0, 0), "rejected_complaint": (3, 1, 0, 0, 0, 0),
                 "rejected_duplicate": (2, 0, 0, 0, 0, 0), "other_unpaid_fee": (0, 0, 0, 0, 0, 0),
                 "other_other": (1, 0, 0, 0, 0, 0)})
    app = appeals_table((2, 1, 0, 0), (1, 0, 0, 1), (0, 0, 1, 0))
    overview = [
        "2024年，我厅围绕生态环境保护重点任务，推进生态环境信息全面、准确、及时公开。",
        "（一）主动公开",
        "全年主动公开信息6100余条，新增开放生态环境数据集35个。",
        "（二）依申请公开",
        request_sentence(req, "全年共收到政府信息公开申请"),
        "（三）政府信息管理",
        "对厅门户网站历史信息开展全面检查，对过时信息按规定归档。",
        "（四）政府信息公开平台建设",
        "上线环境监测数据历史查询系统，支持按地区和时间检索。",
        "（五）监督保障",
        "厅政务公开工作领导小组召开专题会议2次，研究部署年度重点任务。",
    ]
    problems = [
        "（一）2023年问题整改情况",
        Para([Stmt("rectification", ["platforms", "accessibility"],
                   "上线环境监测数据历史查询系统，支持按地区和时间检索；"),
              Stmt("rectification", ["security"], "全面执行信息发布“三审三校”制度，全年未发生个人信息泄露问题。")]),
        "（二）存在的问题及改进措施",
        sentences(("problem", ["engagement", "timeliness"],
                   "对照新要求，我厅政务公开工作仍存在不足，主要是回应社会关切的时效性还不够强，互动栏目的答复周期偏长。"),
                  ("measure", ["engagement", "timeliness"],
                   "下一步，我厅将建立热点问题快速回应机制，压缩互动栏目答复时限。"),
                  ("measure", ["standardization"],
                   "同时，持续推进生态环境领域基层政务公开标准化规范化工作，指导市县生态环境部门完善公开目录。")),
    ]
    other = ["本年度未收取信息处理费。"]
    return Report(
        slug="anhui-ecology-env-2024", fmt="docx", agency=AH_ENV, year=2024, template="2021",
        published="2025-01-17", region=R_ANHUI,
        title=["安徽省生态环境厅2024年政府信息公开工作年度报告"],
        preamble=["本报告根据《中华人民共和国政府信息公开条例》编制，所列数据的统计期限为2024年1月1日至2024年12月31日。"
                  "如对本报告有疑问，请与安徽省生态环境厅办公室联系。"],
        sections=standard_sections(H_2021, overview, problems, other),
        signature=AH_ENV, date="2025年1月17日",
        tables={"proactive": proactive_2021((0, 0, 0), (3, 1, 44), 2702, 49, 2, 0), "requests": req,
                "appeals": app},
    )


# ---------------------------------------------------------------------------------------------------------


def build() -> list[Report]:
    w21 = wuhu_2021()
    w22 = wuhu_2022()
    w23 = wuhu_2023()
    w24 = wuhu_2024(w23.tables["requests"])
    f18 = feixi_2018()
    f20 = feixi_2020()
    f21 = feixi_2021(f20.tables["requests"])
    f22 = feixi_2022(f21.tables["requests"])
    f23 = feixi_2023(f22.tables["requests"])
    s21 = sanhe_2021()
    s22 = sanhe_2022()
    s23 = sanhe_2023()
    s24 = sanhe_2024(s23.tables["requests"])
    e22 = env_2022()
    e23 = env_2023(e22.tables["requests"])
    e24 = env_2024(e23.tables["requests"])
    return [w21, w22, w23, w24, f18, f20, f21, f22, f23, s21, s22, s23, s24, e22, e23, e24]


def self_check(reports: list[Report]) -> None:
    """The planted errors are the only ones: R1–R4 by arithmetic, R6 across years; R5 is checked by the test."""
    by_agency: dict[str, dict[int, Report]] = {}
    for r in reports:
        by_agency.setdefault(r.agency, {})[r.year] = r
        req = r.tables.get("requests")
        found = set()
        if req:
            results = [k for k in RESULT_ROWS if k in req]
            for col in COLUMNS:
                if req["new"][col] + req["carried_over"][col] != req["total_processed"][col] + req["carried_forward"][col]:
                    found.add(("R1", f"requests.{col}"))
                if sum(req[k][col] for k in results) != req["total_processed"][col]:
                    found.add(("R2", f"requests.{col}"))
            for row, cols in req.items():
                if sum(cols[c] for c in APPLICANTS) != cols["total"]:
                    found.add(("R3", f"requests.{row}"))
        for g, cols in (r.tables.get("appeals") or {}).items():
            if sum(cols[c] for c in APPEAL_COLUMNS[:4]) != cols["total"]:
                found.add(("R4", f"appeals.{g}"))
        planted = {(p["rule"], p["where"]) for p in r.planted if p["rule"] in ("R1", "R2", "R3", "R4")}
        assert found == planted, (r.slug, found, planted)
        assert len(r.statements()) >= 3, r.slug
    r6 = set()
    for years in by_agency.values():
        for y, r in years.items():
            nxt = years.get(y + 1)
            if nxt and "requests" in r.tables and "requests" in nxt.tables:
                for col in COLUMNS:
                    if r.tables["requests"]["carried_forward"][col] != nxt.tables["requests"]["carried_over"][col]:
                        r6.add((nxt.slug, f"requests.carried_over.{col}"))
    planted6 = {(r.slug, p["where"]) for r in reports for p in r.planted if p["rule"] == "R6"}
    assert r6 == planted6, (r6, planted6)


def render_all(reports: list[Report]) -> dict[str, bytes]:
    """File name → file bytes, for every report."""
    out = {}
    for r in reports:
        data = RENDERERS[r.fmt](r)
        out[r.filename] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def truth_of(reports: list[Report]) -> dict:
    return {
        "description": "Ground truth of the sample corpus, written by tools/sample_corpus/generate.py (do not edit by hand).",
        "corpus_dir": "corpus",
        "files": [r.truth() for r in reports],
    }


def truth_text(reports: list[Report]) -> str:
    return json.dumps(truth_of(reports), ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    reports = build()
    self_check(reports)
    for name, data in render_all(reports).items():
        (CORPUS / name).write_bytes(data)
        print(f"wrote corpus/{name}")
    TRUTH_PATH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH_PATH.write_text(truth_text(reports), encoding="utf-8")
    print(f"wrote {TRUTH_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
