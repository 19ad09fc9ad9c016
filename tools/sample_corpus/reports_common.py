"""What the sample reports share: agencies, regions, sites, and the standard section layout."""

from __future__ import annotations

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
