"""肥西县农业农村局 2018, 2020–2023 (county department). The team's own wording; every fact is invented."""

from __future__ import annotations

from reports_common import FEIXI_AG, H_2021, R_FEIXI, request_sentence, standard_sections
from sample_model import (
    APPLICANTS,
    Report,
    appeals_table,
    numbered,
    proactive_2021,
    requests_table,
    sentences,
    shi,
)


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
