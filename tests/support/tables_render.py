"""Tables 2-4 for tests: expected-value builders, and random consistent tables (hypothesis) rendered in
each layout a report prints them in (text from Word, HTML with spans, PDF text lines, Markdown pipes).

Used by test_tables.py (read back exactly) and test_validate.py (consistent tables pass every rule).
"""

from __future__ import annotations

import html as htmlmod

from hypothesis import strategies as st

from textmine.document import Paragraph
from textmine.tables import APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROWS, RESULT_ROWS
from textmine.textutil import tighten


def nat(n: int) -> list[int]:
    """A row where only natural persons are counted."""
    return [n, 0, 0, 0, 0, 0, n]


def requests_table(rows: dict[str, list[int]], absent: tuple[str, ...] = ()) -> dict:
    """Table 3 from the non-zero rows; every other row of the form is all zeros."""
    return {
        k: dict(zip(REQUEST_COLUMNS, rows.get(k, [0] * 7), strict=True))
        for k in REQUEST_ROWS
        if k not in absent
    }


def appeals_table(*nums: int) -> dict:
    assert len(nums) == 15
    return {
        g: dict(zip(APPEAL_COLUMNS, nums[i * 5 : (i + 1) * 5], strict=True))
        for i, g in enumerate(APPEAL_GROUPS)
    }


def proactive_2021(rules, normative, licensing, penalty, coercion, fees) -> dict:
    keys = ("issued", "repealed", "in_force")
    return {
        "rules": dict(zip(keys, rules, strict=True)),
        "normative_documents": dict(zip(keys, normative, strict=True)),
        "licensing": {"decisions": licensing},
        "penalty": {"decisions": penalty},
        "coercion": {"decisions": coercion},
        "administrative_fees": {"amount_10k_yuan": fees},
    }


REQ_LABELS = {
    "new": ("", "", "一、本年新收政府信息公开申请数量"),
    "carried_over": ("", "", "二、上年结转政府信息公开申请数量"),
    "granted": ("三、本年度办理结果", "", "（一）予以公开"),
    "partially_granted": (
        "三、本年度办理结果",
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    "denied_state_secret": ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    "denied_prohibited_by_law": ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    "denied_security_stability": ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    "denied_third_party_rights": ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    "denied_internal_affairs": ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    "denied_process_info": ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    "denied_enforcement_files": ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    "denied_administrative_query": ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    "unable_not_held": ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unable_needs_creation": ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    "unable_unclear": ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    "rejected_complaint": ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    "rejected_duplicate": ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    "rejected_publication": ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    "rejected_excessive": ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    "rejected_confirmation": (
        "三、本年度办理结果",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    "other_no_correction": (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other_unpaid_fee": (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other_other": ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    "total_processed": ("三、本年度办理结果", "", "（七）总计"),
    "carried_forward": ("", "", "四、结转下年度继续办理"),
}
REQ_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "自然人", "法人或其他组织", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]


counts = st.one_of(st.just(0), st.just(0), st.integers(0, 40), st.integers(1000, 20000))


@st.composite
def consistent_tables(draw) -> dict:
    req: dict[str, list[int]] = {}
    for key in RESULT_ROWS:
        six = [draw(counts) for _ in range(6)]
        req[key] = six + [sum(six)]
    done = [sum(req[k][j] for k in RESULT_ROWS) for j in range(7)]
    over = [draw(st.integers(0, 5)) for _ in range(6)]
    fwd = [draw(st.integers(0, 5)) for _ in range(6)]
    new = [d + f - o for d, f, o in zip(done[:6], fwd, over, strict=True)]
    fwd = [f - min(n, 0) for f, n in zip(fwd, new, strict=True)]  # keep new requests non-negative
    new = [max(n, 0) for n in new]
    req.update(
        new=new + [sum(new)],
        carried_over=over + [sum(over)],
        total_processed=done,
        carried_forward=fwd + [sum(fwd)],
    )
    appeals = []
    for _ in APPEAL_GROUPS:
        parts = [draw(st.integers(0, 30)) for _ in range(4)]
        appeals += parts + [sum(parts)]
    three = [draw(st.integers(0, 120)) for _ in range(6)]
    single = [draw(st.integers(0, 99999)) for _ in range(3)]
    fees = draw(st.integers(0, 10**7)) / 100
    return {
        "requests": requests_table(req),
        "appeals": appeals_table(*appeals),
        "proactive": proactive_2021(tuple(three[:3]), tuple(three[3:]), *single, fees),
    }


def _cell(draw, v: int, empty_ok: bool = True) -> str:
    """A count as a report might print it: a dash for 0, full-width digits, separators, spaces. (A blank
    cell is missing, not 0: tests/test_blanks.py reads those.)"""
    if v == 0 and empty_ok and draw(st.booleans()):
        return draw(st.sampled_from(["/", "—", "-"]))
    s = f"{v:,}" if v >= 1000 and draw(st.booleans()) else str(v)
    if draw(st.integers(0, 4)) == 0:
        s = s.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    return draw(st.sampled_from(["", "　　 ", " "])) + s


def _rows(t: dict, key: str) -> list[int]:
    return list(t["requests"][key].values())


def _fee(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def render_txt(draw, t: dict) -> str:
    """Word converted to text: one tab-led line per cell, a blank line after each row."""
    p = t["proactive"]
    rows2 = [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *[_cell(draw, v) for v in p["rules"].values()]],
        ["行政规范性文件", *[_cell(draw, v) for v in p["normative_documents"].values()]],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", _cell(draw, p["licensing"]["decisions"])],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", _cell(draw, p["penalty"]["decisions"])],
        ["行政强制", _cell(draw, p["coercion"]["decisions"])],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", _fee(p["administrative_fees"]["amount_10k_yuan"])],
    ]
    rows3 = [list(r) for r in REQ_HEADER]
    seen_groups: set[str] = set()
    for key in REQUEST_ROWS:
        top, group, label = REQ_LABELS[key]
        lead = [top if top and top not in seen_groups else ""] if top else []
        seen_groups.add(top)
        if group:
            lead.append(group if group not in seen_groups else "")
            seen_groups.add(group)
        rows3.append([*lead, label, *[_cell(draw, v) for v in _rows(t, key)]])
    a = [v for g in t["appeals"].values() for v in g.values()]
    rows4 = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [_cell(draw, v) for v in a],
    ]

    def flat(rows: list[list[str]]) -> str:
        out = []
        for r in rows:
            for c in r:
                if len(c) > 12 and draw(st.integers(0, 3)) == 0:  # a cell wrapped onto a line of its own
                    cut = len(c) // 2
                    out.append(f"\t{c[:cut]}\n{c[cut:]}")
                else:
                    out.append(f"\t{c}")
            out.append("")
        return "\n".join(out)

    return (
        f"二、主动公开政府信息情况\n{flat(rows2)}\n\n三、收到和处理政府信息公开申请情况\n{flat(rows3)}\n\n"
        f"四、政府信息公开行政复议、行政诉讼情况\n{flat(rows4)}\n\n五、存在的主要问题及改进情况\n一是宣传不够。\n"
    )


def render_html(draw, t: dict) -> str:
    """An HTML page whose table 3 and 4 use rowspan/colspan like the web pages of the corpus."""

    def td(text: str, rs: int = 1, cs: int = 1) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        return f"<td{attrs}>{htmlmod.escape(text)}</td>"

    p = t["proactive"]
    t2 = [
        "<tr>" + td("第二十条第（一）项", cs=4) + "</tr>",
        "<tr>"
        + "".join(td(x) for x in ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        + "</tr>",
    ]
    for label, key in (("规章", "rules"), ("行政规范性文件", "normative_documents")):
        t2.append("<tr>" + td(label) + "".join(td(_cell(draw, v)) for v in p[key].values()) + "</tr>")
    for head, items in (
        ("第二十条第（五）项", [("行政许可", "licensing")]),
        ("第二十条第（六）项", [("行政处罚", "penalty"), ("行政强制", "coercion")]),
    ):
        t2 += [
            "<tr>" + td(head, cs=4) + "</tr>",
            "<tr>" + td("信息内容") + td("本年处理决定数量", cs=3) + "</tr>",
        ]
        for label, key in items:
            t2.append("<tr>" + td(label) + td(_cell(draw, p[key]["decisions"]), cs=3) + "</tr>")
    t2 += [
        "<tr>" + td("第二十条第（八）项", cs=4) + "</tr>",
        "<tr>" + td("信息内容") + td("本年收费金额（单位：万元）", cs=3) + "</tr>",
        "<tr>" + td("行政事业性收费") + td(_fee(p["administrative_fees"]["amount_10k_yuan"]), cs=3) + "</tr>",
    ]
    t3 = [
        "<tr>" + td(REQ_HEADER[0][0], rs=3, cs=3) + td("申请人情况", cs=7) + "</tr>",
        "<tr>" + td("自然人", rs=2) + td("法人或其他组织", cs=5) + td("总计", rs=2) + "</tr>",
        "<tr>" + "".join(td(x) for x in REQ_HEADER[2][2:]) + "</tr>",
    ]
    spans = {}
    for key in REQUEST_ROWS:
        top, group, _ = REQ_LABELS[key]
        spans[top] = spans.get(top, 0) + 1
        spans[group] = spans.get(group, 0) + 1
    opened: set[str] = set()
    for key in REQUEST_ROWS:
        top, group, label = REQ_LABELS[key]
        cells = ""
        if not top:
            cells += td(label, cs=3)
        else:
            if top not in opened:
                cells += td(top, rs=spans[top])
                opened.add(top)
            if not group:
                cells += td(label, cs=2)
            else:
                if group not in opened:
                    cells += td(group, rs=spans[group])
                    opened.add(group)
                cells += td(label)
        cells += "".join(td(_cell(draw, v)) for v in _rows(t, key))
        t3.append(f"<tr>{cells}</tr>")
    a = [v for g in t["appeals"].values() for v in g.values()]
    t4 = [
        "<tr>" + td("行政复议", cs=5) + td("行政诉讼", cs=10) + "</tr>",
        "<tr>"
        + "".join(td(x, rs=2) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
        + td("未经复议直接起诉", cs=5)
        + td("复议后起诉", cs=5)
        + "</tr>",
        "<tr>"
        + "".join(td(x) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + "</tr>",
        "<tr>" + "".join(td(_cell(draw, v)) for v in a) + "</tr>",
    ]
    return (
        "<html><body><div><p>二、主动公开政府信息情况</p><table>" + "".join(t2) + "</table>"
        "<p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(t3) + "</table>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>" + "".join(t4) + "</table>"
        "<p>五、存在的主要问题及改进情况</p><p>一是宣传不够。</p></div></body></html>"
    )


VERTICAL = list("三、本年度办理结果")


def render_pdf_lines(draw, t: dict) -> dict[str, list]:
    """PDF text without ruled tables: numbers on the label's line, or on a line of their own between the
    pieces of a wrapped label, and the vertical label 三、本年度办理结果 one character per line."""
    p = t["proactive"]
    two = [
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 " + " ".join(map(str, p["rules"].values())),
        "行政规范性文件 " + " ".join(map(str, p["normative_documents"].values())),
        "第二十条第（五）项",
        "信息内容 本年处理决定数量",
        f"行政许可 {p['licensing']['decisions']}",
        "第二十条第（六）项",
        "信息内容 本年处理决定数量",
        f"行政处罚 {p['penalty']['decisions']}",
        f"行政强制 {p['coercion']['decisions']}",
        "第二十条第（八）项",
        "信息内容 本年收费金额（单位：万元）",
        f"行政事业性收费 {_fee(p['administrative_fees']['amount_10k_yuan'])}",
    ]
    three = [
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，法人或其他组织",
        "等于第三项加第四项之和）",
        "自然人 总计",
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
    ]
    vertical = iter(VERTICAL)
    for key in REQUEST_ROWS:
        label = REQ_LABELS[key][2]
        nums = " ".join(str(v) for v in _rows(t, key))
        style = draw(st.integers(0, 5))
        prefix = next(vertical, "") if REQ_LABELS[key][0] and draw(st.booleans()) else ""
        if style == 0 and len(label) >= 8:  # numbers between the two halves of a wrapped label
            cut = draw(st.integers(len(label) // 3, 2 * len(label) // 3))
            three += [prefix + label[:cut], nums, label[cut:]]
        elif style == 1 and key not in ("new", "total_processed"):  # numbers first, the label below
            three += [nums, prefix + label]
        else:
            three.append(f"{prefix} {label} {nums}".strip())
        if REQ_LABELS[key][0] and draw(st.integers(0, 3)) == 0:
            three.append(next(vertical, "果"))
    a = " ".join(str(v) for g in t["appeals"].values() for v in g.values())
    four = [
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结果 结果 其他 尚未 总计",
        "维持 纠正 结果 审结",
        a,
    ]
    return {
        "proactive": [Paragraph(tighten(x)) for x in two],
        "requests": [Paragraph(tighten(x)) for x in three],
        "appeals": [Paragraph(tighten(x)) for x in four],
    }


def render_markdown(draw, t: dict) -> str:
    """Markdown pipe tables made from a PDF: some rows lose their label to a plain line above them."""
    p = t["proactive"]
    out = [
        "二、主动公开政府信息情况",
        "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        "| 规章 | " + " | ".join(map(str, p["rules"].values())) + " |",
        "| 行政规范性文件 | " + " | ".join(map(str, p["normative_documents"].values())) + " |",
        "",
        "信息内容 本年处理决定数量",
        f"行政许可 {p['licensing']['decisions']}",
        "",
        "信息内容 本年处理决定数量",
        f"行政处罚 {p['penalty']['decisions']}",
        f"行政强制 {p['coercion']['decisions']}",
        "",
        "信息内容 本年收费金额（单位：万元）",
        f"行政事业性收费 {_fee(p['administrative_fees']['amount_10k_yuan'])}",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "| 业 | 构 | 益组织 | 务机构 |  |  |  |  |",
        "|---|---|---|---|---|---|---|---|",
    ]
    detached = False
    for i, key in enumerate(REQUEST_ROWS):
        vals = [_cell(draw, v, empty_ok=False) for v in _rows(t, key)]
        # Detach at most every other row so that labelled rows remain around the detached ones.
        if 0 < i < len(REQUEST_ROWS) - 1 and not detached and draw(st.integers(0, 2)) == 0:
            out += [
                "",
                REQ_LABELS[key][2],
                "",
                "| " + " | ".join(vals) + " |",
                "|---|---|---|---|---|---|---|",
            ]
            detached = True
            continue
        detached = False
        out.append(f"| {REQ_LABELS[key][2]} | " + " | ".join(vals) + " |")
    a = [str(v) for g in t["appeals"].values() for v in g.values()]
    out += [
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼",
        "",
        "| " + " | ".join(a) + " |",
        "|" + "---|" * 15,
        "",
        "五、存在的主要问题及改进情况",
        "一是宣传不够。",
    ]
    return "\n".join(out)
