"""The report model of the sample corpus: tables (keys of standard-form.md), grid tables with
rowspan/colspan, section-5 statements with their truth, and the Report."""

from __future__ import annotations

from dataclasses import dataclass, field

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

    def printed_tables(self) -> dict:
        """The tables as a reader must record them: a cell printed blank is None (missing, never 0)."""
        out = {}
        for name, rows in self.tables.items():
            out[name] = {}
            for row, cols in rows.items():
                blank = self.style.get("blank_zero") or (
                    name == "appeals" and self.style.get("blank_zero_appeals"))
                out[name][row] = {c: (None if blank and v == 0 and not isinstance(v, float)
                                      and not (name == "appeals" and c == "total") else v)
                                  for c, v in cols.items()}
        return out

    def truth(self) -> dict:
        return {
            "file": self.filename,
            "format": self.fmt,
            "meta": {"agency": self.agency, "year": self.year, "template": self.template,
                     "published": self.published, "region": self.region},
            "sections": [k for k, _, _ in self.sections],
            "headings": {k: h for k, h, _ in self.sections},
            "tables": self.printed_tables(),
            "planted": self.planted,
            "statements": [{"role": s.role, "themes": s.themes, "start": s.text[:10]} for s in self.statements()],
        }


def body_text(item: object) -> str:
    return item.text if isinstance(item, Para) else str(item)
