"""芜湖市人民政府 2021–2024 (city government). The team's own wording; every fact is invented."""

from __future__ import annotations

from reports_common import H_2021, R_WUHU, SITE_WUHU, WUHU, request_sentence, standard_sections
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
