"""安徽省生态环境厅 2022–2024 (provincial department). The team's own wording; every fact is invented."""

from __future__ import annotations

from reports_common import AH_ENV, H_2021, R_ANHUI, SITE_ENV, request_sentence, standard_sections
from sample_model import (
    APPLICANTS,
    Para,
    Report,
    Stmt,
    appeals_table,
    numbered,
    proactive_2021,
    requests_table,
    sentences,
    shi,
)


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
