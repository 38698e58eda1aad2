"""What each registry import kind expects: its columns (Chinese header, key, required, parser)
and the registry's own cell parsers (ID numbers, credit codes, phones, its choices). The generic
parsers and the rules every parser follows are core's (core.imports.cells); the kinds are
registered with core in ``kinds``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Choices
from django.utils import translation

from talentpool.core.imports.cells import (
    DATE_HELP,
    Cell,
    CellError,
    cell_text,
    choice_parser,
    code_parser,
    is_number,
    parse_date_cell,
    parse_yes_no,
    text_parser,
)
from talentpool.core.imports.spec import Column
from talentpool.rules import masking
from talentpool.rules.idnumber import looks_like_excel_mangled, mask_id_number, parse_id_number
from talentpool.rules.names import normalise_name
from talentpool.rules.skills import SkillLevel
from talentpool.rules.uscc import validate_uscc

from ..choices import Education, HonourLevel, Ownership, RetirementCategory
from ..choices import SkillLevel as SkillLevelChoices


class ImportKind(StrEnum):
    ENTERPRISES = "enterprises"
    WORKERS = "workers"
    CERTIFICATES = "certificates"
    HONOURS = "honours"


# Cells --------------------------------------------------------------------------------------


def shown_id_number(value: Cell) -> str:
    """An ID-number cell as it may appear in a message: masked, or Excel's scientific form."""
    if is_number(value):
        return f"{float(value):.5E}"  # type: ignore[arg-type]
    text = cell_text(value)
    if looks_like_excel_mangled(text) and not text.isdigit():
        return text.upper()  # 3.30503E+17 shows six digits only, like a mask
    return mask_id_number(text)


# Parsers ------------------------------------------------------------------------------------

MANGLED_ID = "身份证号被 Excel 存成了数字（{shown}），末几位已丢失；请把该列设置为文本格式后重新填写"


def parse_id_cell(value: Cell, text: str) -> str:
    """An 18-character ID number; numbers and Excel-mangled text are refused with an explanation."""
    # Cheap test first: only text with an exponent, a point or trailing zeros can be mangled.
    if is_number(value) or (("E" in text or "e" in text or "." in text or text.endswith("000"))
                            and looks_like_excel_mangled(text)):
        raise CellError(MANGLED_ID.format(shown=shown_id_number(value)))
    return parse_id_number(text).number


def parse_uscc_cell(value: Cell, text: str) -> str:
    if is_number(value):
        raise CellError(
            f"统一社会信用代码被 Excel 存成了数字（{float(value):.5E}），末几位已丢失；"  # type: ignore[arg-type]
            "请把该列设置为文本格式后重新填写"
        )
    return validate_uscc(text)


def parse_phone_cell(value: Cell, text: str) -> str:
    return masking.validate_phone(text)


def shown_phone(value: Cell, text: str) -> str:
    """A phone cell as it appears on screen and in messages: masked."""
    return masking.mask_phone(text)


def name_parser(max_length: int) -> Callable[[Cell, str], str]:
    """A person's name as every path stores it (rules.names.normalise_name)."""
    check_length = text_parser(max_length)

    def parse(value: Cell, text: str) -> str:
        name = normalise_name(text)
        if not name:
            raise CellError("姓名为空")
        return check_length(value, name)

    return parse


def zh_labels(choices: type[Choices]) -> list[str]:
    """The labels of ``choices`` as the Chinese pages show them (registry/choices.py through the
    zh-hans catalogue): the import's template, its dropdowns, its help and its errors use the
    forms' words, one label per choice; the import accepts them and the aliases below."""
    with translation.override("zh-hans"):
        return [str(label) for label in choices.labels]


def _accepting_labels(labels: list[str], choices: type[Choices], aliases: dict[str, str]) -> dict[str, str]:
    return dict(zip(labels, [str(value) for value in choices.values], strict=True)) | aliases


OWNERSHIP_LABELS = zh_labels(Ownership)  # 公有制、非公有制
OWNERSHIP_ALIASES: dict[str, str] = {
    **dict.fromkeys(["公有", "公有制", "国有", "国营", "国有企业", "国有控股", "集体", "集体企业", "事业单位",
                     "国有独资"], Ownership.PUBLIC.value),
    **dict.fromkeys(["非公有", "非公有制", "非公", "民营", "民营企业", "私营", "私营企业", "私企", "个体", "外资",
                     "外资企业", "外商投资", "中外合资", "港澳台", "港澳台投资"], Ownership.NON_PUBLIC.value),
}
parse_ownership = choice_parser(_accepting_labels(OWNERSHIP_LABELS, Ownership, OWNERSHIP_ALIASES), "所有制",
                                OWNERSHIP_LABELS)

EDUCATION_LABELS = zh_labels(Education)  # 初中及以下 … 高中（中专、技校）… 研究生
EDUCATION_ALIASES: dict[str, str] = {
    **dict.fromkeys(["初中及以下", "初中", "小学", "小学及以下", "初中以下"], Education.JUNIOR_SECONDARY.value),
    **dict.fromkeys(["高中(中专、技校)", "高中", "中专", "技校", "职高", "中职", "高中/中专", "高中中专",
                     "高中、中专、技校", "高中/中专/技校"], Education.SENIOR_SECONDARY.value),
    **dict.fromkeys(["大专", "专科", "高职", "大学专科"], Education.COLLEGE.value),
    **dict.fromkeys(["本科", "大学本科", "大学", "学士"], Education.BACHELOR.value),
    **dict.fromkeys(["研究生", "硕士", "博士", "硕士研究生", "博士研究生", "研究生及以上"],
                    Education.POSTGRADUATE.value),
}
parse_education = choice_parser(_accepting_labels(EDUCATION_LABELS, Education, EDUCATION_ALIASES), "学历",
                                EDUCATION_LABELS)

# 男职工（原60岁）、女干部/管理技术岗（原55岁）、女工人（原50岁）; the labels of earlier templates
# (女职工（55岁）…) stay accepted
RETIREMENT_LABELS = zh_labels(RetirementCategory)
WOMEN_CATEGORIES = "或".join(f"“{label}”" for label in RETIREMENT_LABELS[1:])
RETIREMENT_ALIASES: dict[str, str] = {
    **dict.fromkeys(["男职工", "男", "男（60岁）", "男职工（60岁）", "60"], RetirementCategory.MAN.value),
    **dict.fromkeys(["女职工（55岁）", "女职工（原55岁）", "女（55岁）", "女55", "女干部", "女干部（55岁）",
                     "女职工55岁", "55"], RetirementCategory.WOMAN_55.value),
    **dict.fromkeys(["女职工（50岁）", "女职工（原50岁）", "女（50岁）", "女50", "女工人", "女工人（50岁）",
                     "女职工50岁", "50"], RetirementCategory.WOMAN_50.value),
}
parse_retirement = choice_parser(_accepting_labels(RETIREMENT_LABELS, RetirementCategory, RETIREMENT_ALIASES),
                                 "退休类别", RETIREMENT_LABELS)

HONOUR_LEVEL_LABELS = zh_labels(HonourLevel)  # 国家级、省级、市级、区级、企业级
HONOUR_LEVEL_ALIASES: dict[str, str] = {
    **dict.fromkeys(["国家级", "国家", "全国", "全国级", "部级", "省部级"], HonourLevel.NATIONAL.value),
    **dict.fromkeys(["省级", "省", "省部", "浙江省"], HonourLevel.PROVINCIAL.value),
    **dict.fromkeys(["市级", "市", "地市级", "湖州市"], HonourLevel.CITY.value),
    **dict.fromkeys(["区级", "区", "县级", "区县级", "县区级", "区（县）级"], HonourLevel.DISTRICT.value),
    **dict.fromkeys(["企业级", "企业", "公司级", "公司", "厂级", "单位"], HonourLevel.ENTERPRISE.value),
}
parse_honour_level = choice_parser(_accepting_labels(HONOUR_LEVEL_LABELS, HonourLevel, HONOUR_LEVEL_ALIASES),
                                   "荣誉级别", HONOUR_LEVEL_LABELS)

SKILL_LEVEL_LABELS = zh_labels(SkillLevelChoices)  # 学徒工、初级工（五级）… 首席技师, as rules.skills labels them


def parse_skill_level(value: Cell, text: str) -> int:
    return int(SkillLevel.from_label(text))


# Columns ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindSpec:
    """A registry kind's columns and notes; ``kinds`` registers it with core's import engine."""

    kind: ImportKind
    label: str  # Chinese, shown on the pages and the template
    columns: tuple[Column, ...]
    admin_only: bool = False
    has_mode: bool = False  # whether "update or report existing" applies
    notes: tuple[str, ...] = field(default=())


ID_HELP = "18 位公民身份号码；本列已设为文本格式，请勿改为数字格式（否则末几位会丢失）"
_ID = Column("id_number", "身份证号", parse_id_cell, required=True,
             aliases=("身份证号码", "公民身份号码", "身份证", "证件号码", "身份证件号码"),
             help=ID_HELP, is_text=True, mask=lambda value, text: shown_id_number(value), width=22)

ENTERPRISES = KindSpec(
    ImportKind.ENTERPRISES,
    "企业",
    (
        Column("name", "企业名称", text_parser(100), required=True, aliases=("单位名称", "企业全称", "名称"),
               help="企业全称，与营业执照一致", width=30),
        Column("uscc", "统一社会信用代码", parse_uscc_cell, required=True, aliases=("信用代码", "社会信用代码"),
               help="18 位统一社会信用代码；已登记的代码按“已有记录的处理方式”更新或报错", is_text=True, width=22),
        Column("industry", "行业", text_parser(32), required=True, aliases=("所属行业",),
               help="须与系统中的行业名称一致（见下拉列表）"),
        Column("ownership", "所有制", parse_ownership, required=True, aliases=("所有制性质", "企业性质"),
               help=f"{' 或 '.join(OWNERSHIP_LABELS)}（也可填 国有、集体、民营、私营、外资 等）",
               choices=tuple(OWNERSHIP_LABELS)),
        Column("is_above_scale", "规上企业", parse_yes_no, aliases=("是否规上企业", "规模以上企业"),
               help="是 或 否；不填按“是”", choices=("是", "否")),
        Column("town", "镇街道", text_parser(32), aliases=("镇/街道", "所在镇街道", "镇（街道）", "乡镇街道"),
               help="所在镇或街道"),
        Column("address", "地址", text_parser(200), aliases=("企业地址", "详细地址"), width=30),
        Column("contact_name", "联系人", text_parser(32)),
        Column("contact_phone", "联系电话", parse_phone_cell, aliases=("联系人电话", "电话"),
               help="手机号或带区号的固定电话", is_text=True, mask=shown_phone),
    ),
    admin_only=True,
    has_mode=True,
)

WORKERS = KindSpec(
    ImportKind.WORKERS,
    "职工（含任职）",
    (
        Column("name", "姓名", name_parser(32), required=True, aliases=("职工姓名",)),
        _ID,
        Column("phone", "手机号", parse_phone_cell, aliases=("手机号码", "联系电话", "电话"), is_text=True,
               mask=shown_phone),
        Column("education", "学历", parse_education, aliases=("文化程度", "最高学历"),
               help="、".join(EDUCATION_LABELS), choices=tuple(EDUCATION_LABELS)),
        Column("retirement_category", "退休类别", parse_retirement,
               help=f"男职工可不填；女职工必填：{WOMEN_CATEGORIES}",
               choices=tuple(RETIREMENT_LABELS), width=24),
        Column("is_frontline", "一线职工", parse_yes_no, aliases=("是否一线职工", "一线"),
               help="是 或 否；不填按“是”", choices=("是", "否")),
        Column("work_start_date", "参加工作时间", parse_date_cell, aliases=("参加工作日期", "工作时间"),
               help=DATE_HELP, is_text=True, is_date=True),
        Column("skill_level", "技能等级", parse_skill_level, aliases=("职业技能等级", "等级"),
               help="学徒工、初级工（五级）… 高级技师（一级）、特级技师、首席技师", choices=tuple(SKILL_LEVEL_LABELS)),
        # resolved against the classification with its aliases (registry.occupations) in validate
        Column("occupation", "职业（工种）", text_parser(100),
               aliases=("职业", "工种", "职业工种", "职业名称", "职业编码", "职业代码", "工种编码"),
               help="职业名称、常用名称或职业分类大典（2022）编码，如 车工、维修电工 或 6-18-01-01", is_text=True,
               width=18),
        Column("enterprise", "所在企业", text_parser(100), aliases=("工作单位", "单位", "企业", "企业名称"),
               help="企业名称或统一社会信用代码；企业经办人可不填（即本企业）", width=30),
        Column("employment_start", "入职时间", parse_date_cell, required=True, aliases=("入职日期", "到岗时间"),
               help=DATE_HELP, is_text=True, is_date=True),
        Column("position", "岗位", text_parser(64), aliases=("工作岗位", "职务")),
    ),
    has_mode=True,
    notes=(
        "已登记的职工（身份证号相同）按“已有记录的处理方式”更新或报错，不会重复登记；空白单元格不修改已有内容。",
        "已登记职工的所在企业与文件不同时，原任职在新入职时间前一日结束（仅管理员；企业经办人只能导入未在其他企业任职的职工）。",
    ),
)

CERTIFICATES = KindSpec(
    ImportKind.CERTIFICATES,
    "证书",
    (
        _ID,
        Column("name", "姓名", name_parser(32), aliases=("职工姓名",), help="填写时与系统中该职工的姓名核对"),
        Column("number", "证书编号", code_parser(40), required=True, aliases=("证书号", "证书号码"), is_text=True,
               width=26),
        Column("level", "技能等级", parse_skill_level, required=True, aliases=("证书等级", "等级", "职业技能等级"),
               help="学徒工、初级工（五级）… 高级技师（一级）、特级技师、首席技师", choices=tuple(SKILL_LEVEL_LABELS)),
        Column("occupation_name", "职业（工种）", text_parser(100), aliases=("职业", "工种", "职业(工种)", "职业工种"),
               help="证书上的职业（工种）名称，或职业编码"),
        Column("issuer", "发证机构", text_parser(100), aliases=("发证单位", "评价机构"), width=24),
        Column("issued_on", "发证日期", parse_date_cell, required=True, aliases=("发证时间", "取证时间", "取证日期"),
               help=DATE_HELP, is_text=True, is_date=True),
    ),
    notes=("职工须已登记且在您的管理范围内。", "证书编号已登记且内容相同的行视为不变。"),
)

HONOURS = KindSpec(
    ImportKind.HONOURS,
    "荣誉",
    (
        _ID,
        Column("name", "姓名", name_parser(32), aliases=("职工姓名",), help="填写时与系统中该职工的姓名核对"),
        Column("honour", "荣誉名称", text_parser(100), required=True, aliases=("荣誉", "荣誉称号", "称号"), width=24),
        Column("level", "级别", parse_honour_level, required=True, aliases=("荣誉级别",),
               help="国家级、省级、市级、区级、企业级", choices=tuple(HONOUR_LEVEL_LABELS)),
        Column("awarded_on", "授予日期", parse_date_cell, required=True, aliases=("授予时间", "获得时间", "获奖时间"),
               help=DATE_HELP, is_text=True, is_date=True),
        Column("issuer", "授予单位", text_parser(100), aliases=("授予机关", "颁发单位"), width=24),
    ),
    notes=("职工须已登记且在您的管理范围内。", "同一职工同一天的同名荣誉已登记且内容相同的行视为不变。"),
)
