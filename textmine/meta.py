"""Report metadata: agency, year, publication date, template version, region."""

from __future__ import annotations

import re
from collections import Counter

from .document import Document, Paragraph
from .gazetteer import region_of
from .sections import Segmentation, org_suffix
from .textutil import cn_digits, cn_number

_TITLE = re.compile(r"(?:政府信息(?:工作)?公开|政务公开|信息公开)(?:工作)?(?:年度)?(?:工作)?报告")
_YEAR = r"((?:19|20)\d{2})\s*年度?"
_AGENCY_THEN_YEAR = re.compile(r"^(?P<agency>[\u4e00-\u9fff（）()·]{3,40}?)\s*" + _YEAR + r"\s*(?:度)?(?:政府信息(?:工作)?公开|政务公开|信息公开)")
_YEAR_THEN_AGENCY = re.compile("^" + _YEAR + r"\s*(?P<agency>[\u4e00-\u9fff（）()·]{3,40}?)\s*(?:政府信息公开|政务公开|信息公开)")
_PREAMBLE_AGENCY = re.compile(
    r"(?:本报告由|现向社会公布|编制并向社会公布|特向社会公布|现公布)(?P<agency>[\u4e00-\u9fff（）()]{3,30}?)"
    r"(?:根据|依据|按照|\d{4}年|（以下|编制|政府信息公开)"
)
_PERIOD = re.compile(r"(?:统计|数据)[^。]{0,12}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-./]\s*(\d{1,2})\s*[月\-./]\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([元一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")



def parse_date(text: str) -> str | None:
    """The last full date in ``text`` as ISO YYYY-MM-DD (Arabic or Chinese numerals)."""
    out = None
    for m in _DATE.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out = f"{y:04d}-{mo:02d}-{d:02d}"
    for m in _CN_DATE.finditer(text):
        y = cn_digits(m.group(1))
        mo, d = cn_number(m.group(2)), cn_number(m.group(3))
        if 1 <= mo <= 12 and 1 <= d <= 31:
            out = f"{y:04d}-{mo:02d}-{d:02d}"
    return out


def _clean_agency(a: str) -> str:
    a = re.sub(r"^关于|关于$", "", a.strip(" 　:："))
    return a


def _title_lines(seg: Segmentation, doc: Document) -> list[str]:
    """Candidate title strings: the front matter joined line by line, then page-level titles."""
    front = [b.text for b in seg.front if isinstance(b, Paragraph)][:5]
    out = []
    for i in range(len(front)):
        out.append(front[i])
        if i + 1 < len(front):
            out.append(front[i] + front[i + 1])
        if i + 2 < len(front):
            out.append(front[i] + front[i + 1] + front[i + 2])
    for key in ("名称", "标题", "html_title", "articletitle"):
        if doc.extra.get(key):
            out.append(doc.extra[key])
    return out


def find_title(seg: Segmentation, doc: Document) -> tuple[str | None, str | None, int | None]:
    """(title, agency, year) from the title line(s); a title naming the agency wins."""
    year_only = (None, None, None)
    for line in _title_lines(seg, doc):
        line = re.sub(r"^(?:正文|全文|附件\d?)[:：]?", "", re.sub(r"\s+", "", line))
        if not _TITLE.search(line) or len(line) > 80:
            continue
        m = _AGENCY_THEN_YEAR.search(line) or _YEAR_THEN_AGENCY.search(line)
        if m:
            return line, _clean_agency(m.group("agency")), int(m.group(1) if m.re is _YEAR_THEN_AGENCY else m.group(2))
        y = re.search(_YEAR, line)
        if y and year_only[0] is None:
            year_only = (line, None, int(y.group(1)))
    return year_only


def extract_meta(doc: Document, seg: Segmentation) -> dict:
    title, agency, year = find_title(seg, doc)
    front_text = "\n".join(b.text for b in seg.front)
    back_text = "\n".join(b.text for b in seg.back)
    if not agency:
        m = _PREAMBLE_AGENCY.search(front_text)
        if m:
            agency = _clean_agency(m.group("agency"))
    if not agency:
        for key in ("发布机构", "发文机关", "单位"):
            if doc.extra.get(key):
                agency = doc.extra[key]
                break
    if not agency:
        # The signature: a short organisation line at the end.
        for b in reversed(seg.back):
            if re.search(org_suffix() + "$", b.text.strip()) and len(b.text.strip()) <= 30:
                agency = b.text.strip()
                break
    if year is None:
        m = _PERIOD.search(front_text) or _PERIOD.search(doc.text[:3000])
        if m:
            year = int(m.group(1))
    if year is None:
        years = Counter(int(y) for y in re.findall(r"((?:19|20)\d{2})\s*年", doc.text[:5000]))
        if years:
            year = years.most_common(1)[0][0]
    published = parse_date(back_text) if back_text else None
    if published is None:
        for key in ("公开日期", "发布日期", "成文日期", "pubdate", "publishdate", "firstpublishedtime"):
            if doc.extra.get(key):
                published = parse_date(doc.extra[key])
                if published:
                    break
    if published is None:
        m = re.search(r"(?:发布|公开)日期[：:]\s*(.{8,12})", front_text)
        if m:
            published = parse_date(m.group(1))
    return {
        "agency": agency,
        "year": year,
        "published": published,
        "template": detect_template(doc, seg, year),
        "region": region_of(agency, front_text) if agency else None,
        "title": title,
        # Set by the loader (textmine.script); the text above is simplified either way.
        "script": doc.extra.get("script", "simplified"),
    }


def detect_template(doc: Document, seg: Segmentation, year: int | None) -> str:
    """2021 | 2019 | legacy | unknown, from the tables' wording first, then headings and year."""
    tables = "\n".join(t.text for t in doc.tables) + "\n".join(
        s.text for k, s in seg.sections.items() if k == "proactive")
    if re.search(r"制发件数|废止件数|现行有效件数", tables):
        return "2021"
    if re.search(r"新制作数量|新公开数量|对外公开总数量", tables):
        return "2019"
    if "fees" in seg.sections or any(
        re.search(r"概述|依申请公开政府信息", s.title) for s in seg.sections.values()
    ):
        return "legacy"
    if year is not None:
        if year >= 2021:
            return "2021" if seg.sections else "unknown"
        if year >= 2019:
            return "2019" if seg.sections else "unknown"
        return "legacy"
    return "unknown"
