"""三河镇人民政府 2021–2024 (a town of 肥西县). The team's own wording; every fact is invented."""

from __future__ import annotations

from reports_common import H_2021, R_FEIXI, SANHE, SITE_SANHE, request_sentence, standard_sections
from sample_model import (
    APPLICANTS,
    Para,
    Report,
    Stmt,
    appeals_table,
    di,
    numbered,
    proactive_2021,
    requests_table,
    sentences,
    shi,
)


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
