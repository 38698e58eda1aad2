"""A synthetic district for demos and benchmarks, modelled on Nanxun (南浔区, SPEC §1).

Three demo steps (core.demo, declared in RegistryConfig.ready()): ``registry.enterprises``,
``registry.workers`` (with their employments, certificates and honours) and ``registry.users``
(one demo login per role). Each step draws from its own seeded ``random.Random``
(``context.random``), so the same seed gives the same enterprises, names, ID numbers and
histories, whatever other apps add. Rows are built in Python and written with
``bulk_create`` in batches inside one transaction: no per-row services, no audit records (the
load itself is a single administrative act). The derived and encrypted worker fields are set by
``services._apply_fields``, the same code the services use.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from django.contrib.auth import password_validation
from django.utils import timezone

from talentpool.core.demo import DEFAULT_ENTERPRISES, DEFAULT_SEED, DEMO_PASSWORD, SCALES, DemoContext, DemoLogin
from talentpool.core.demo import load as load_steps
from talentpool.core.models import Job, User
from talentpool.core.roles import Role
from talentpool.rules.idnumber import compute_check_char
from talentpool.rules.retirement import RetirementCategory as RuleCategory
from talentpool.rules.retirement import retirement_date
from talentpool.rules.skills import SkillLevel
from talentpool.rules.uscc import ALPHABET, compute_uscc_check

from .choices import Education, HonourLevel, Ownership, RetirementCategory
from .models import Certificate, Employment, Enterprise, Honour, Industry, Occupation, Worker
from .services import _apply_fields

T = TypeVar("T")

__all__ = ["DEFAULT_ENTERPRISES", "DEFAULT_SEED", "DEMO_PASSWORD", "SCALES", "DemoLogin"]  # re-exported
BATCH = 2_000

EXAMPLE_NAME = "慎建民"
EXAMPLE_ENTERPRISE = "浙江久立特材科技股份有限公司"

TOWNS = ["南浔镇", "双林镇", "练市镇", "善琏镇", "旧馆镇", "菱湖镇", "和孚镇", "千金镇", "石淙镇", "东迁街道",
         "南浔开发区"]
ROADS = ["南浔大道", "向阳路", "兴业路", "东升路", "人瑞路", "适园路", "工业大道", "振兴路", "朝阳路", "富民路",
         "科技路", "横街路", "金象路", "双林大道", "练溪路", "湖笔路", "菱湖大道", "千金大道"]

# --- enterprises -----------------------------------------------------------------------------

#: industry → (share of enterprises, workforce factor, towns it clusters in, trade words)
INDUSTRY_PROFILES: dict[str, tuple[float, float, list[str], list[str]]] = {
    "电梯": (0.10, 1.3, ["南浔开发区", "练市镇", "南浔镇"], ["电梯", "电梯部件", "电梯导轨", "扶梯", "升降机"]),
    "电机": (0.13, 1.1, ["南浔开发区", "双林镇", "练市镇", "和孚镇"], ["电机", "微电机", "电器", "机电"]),
    "电线电缆": (0.09, 1.1, ["练市镇", "千金镇", "善琏镇", "石淙镇"], ["电缆", "线缆", "电线电缆", "电工材料",
                                                                      "漆包线"]),
    "木地板": (0.21, 0.9, ["南浔镇", "旧馆镇", "和孚镇", "东迁街道", "练市镇"], ["木业", "地板", "木地板", "家居",
                                                                                "装饰材料"]),
    "钢材": (0.08, 1.6, ["南浔开发区", "东迁街道", "练市镇"], ["特钢", "钢管", "不锈钢", "金属材料", "钢业"]),
    "湖笔": (0.04, 0.25, ["善琏镇"], ["湖笔", "笔庄", "湖笔文化"]),
    "绫绢": (0.025, 0.3, ["双林镇"], ["绫绢", "丝绢", "绫绢工艺"]),
    "丝绸": (0.055, 0.6, ["菱湖镇", "双林镇"], ["丝绸", "丝织", "绸业", "真丝"]),
    "其他": (0.17, 0.8, TOWNS, ["机械", "新材料", "纺织", "化工", "包装", "五金", "汽车配件", "塑业", "印染",
                                "服饰", "食品"]),
}
TRADE_NAMES = (  # noqa: SIM905 (a block of names reads better than a list literal)
    "恒达 鑫源 永盛 华丰 金鹰 宏达 新海 盛泰 东方 天盛 振兴 佳伟 荣昌 富达 中天 通力 瑞丰 立新 三鑫 汇丰 嘉诚 祥和 "
    "恒丰 华顺 德盛 金马 飞宇 联盛 明辉 世纪 大东 江南 太湖 丝源 锦绣 凯瑞 宏远 优耐 森诺 安达 旭辉 盛世 广源 顺昌 "
    "协力 博诚 亚达 天虹 星光 银河 宝鼎 九龙 创业 鸿运 润达 兴旺 万泰 华宇 诚信 荣华 晨光 金诚 卓越 腾飞 久盛 "
    "升华 力源 永兴 浔达 浔丰 頔塘 嘉业 天宇 春晖 巨龙 海天 同力 金桥 新亚 裕丰 开元 正泰 长虹 先锋 精工 宏丰 "
    "美欣 大自然 世友 久立 菱湖 双狮 含山 善琏 双林 练溪 东迁 千金 旧馆 和孚 南林 浔溪 民丰 合力 远东 国盛 "
    "恒远 新星 宝丽 金利 通达 永昌 华盛 泰和 万事达 福康 丰源 益民"
).split()
PREFIXES = [("湖州南浔", 40), ("浙江", 25), ("湖州", 15), ("南浔", 10), ("湖州{town}", 10)]

# --- people ----------------------------------------------------------------------------------

#: Common surnames with rough weights; Huzhou favours 沈 钱 费 姚 陆 闵; a few polyphonic ones.
SURNAMES = [
    ("王", 70), ("李", 60), ("张", 60), ("刘", 40), ("陈", 50), ("杨", 30), ("黄", 22), ("赵", 20), ("吴", 35),
    ("周", 28), ("徐", 30), ("孙", 18), ("马", 12), ("朱", 22), ("胡", 16), ("郭", 10), ("何", 10), ("高", 10),
    ("林", 10), ("罗", 8), ("郑", 10), ("梁", 6), ("谢", 8), ("宋", 6), ("唐", 8), ("许", 8), ("韩", 5), ("冯", 6),
    ("邓", 5), ("曹", 6), ("彭", 5), ("曾", 4), ("肖", 5), ("田", 4), ("董", 5), ("袁", 5), ("潘", 7), ("于", 3),
    ("蒋", 7), ("蔡", 5), ("余", 5), ("杜", 4), ("叶", 6), ("程", 5), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 5),
    ("任", 3), ("沈", 30), ("姚", 10), ("卢", 4), ("姜", 4), ("钟", 3), ("陆", 15), ("汪", 4), ("范", 5), ("金", 8),
    ("石", 3), ("夏", 4), ("方", 5), ("邹", 3), ("钱", 14), ("费", 8), ("闵", 5), ("严", 5), ("顾", 6), ("施", 6),
    ("褚", 3), ("邱", 3), ("俞", 6), ("莫", 3), ("章", 4), ("倪", 3), ("凌", 3), ("宣", 2), ("慎", 1),
    ("单", 2), ("解", 1), ("仇", 1), ("区", 1), ("查", 1), ("朴", 1),
]
MALE_CHARS = list("伟强军杰磊勇涛斌超明辉华建国平刚林峰波鹏飞龙浩宇俊健新忠东海亮兵民志春荣彬锋祥德明成良永")
FEMALE_CHARS = list("芳娟敏静丽艳霞燕玲红梅英琴萍华慧颖洁婷雪琳晶兰凤云倩秀玉美佳月丹霞蓉莉莹雯")
COMMON_CHARS = list("文晓小雨子思佳嘉金志海少春秋伟宏")

HUZHOU_REGIONS = [("330503", 62), ("330502", 12), ("330521", 7), ("330522", 7), ("330523", 4)]
MIGRANT_REGIONS = [  # 安徽 河南 四川 贵州 江西, the usual home provinces of Huzhou's migrant workers
    ("341222", 5), ("340321", 4), ("341621", 3), ("342422", 3),
    ("411521", 4), ("412726", 3), ("411325", 2), ("411422", 2),
    ("511025", 3), ("510922", 2), ("511321", 2), ("513022", 2),
    ("522121", 2), ("522427", 2), ("522225", 1),
    ("362330", 2), ("360426", 1), ("362329", 1),
]
MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
                   "153", "155", "156", "157", "158", "159", "177", "180", "181", "182", "183", "185", "186",
                   "187", "188", "189", "198", "199"]

#: industry → [(occupation code, post, weight)] for front-line posts: the occupation of the 2022
#: classification (registry/data/occupations_2022.py) the post is, or the group's "其他" entry for the
#: crafts it has no occupation of their own for (湖笔, 裱褙).
POSTS: dict[str, list[tuple[str, str, int]]] = {
    "电梯": [("6-20-04-02", "电梯装配工", 4), ("6-20-01-01", "装配钳工", 3), ("6-29-03-03", "电梯安装维修工", 3),
           ("6-18-02-04", "焊工", 2), ("6-18-01-01", "数控车工", 1), ("6-31-01-03", "维修电工", 1)],
    "电机": [("6-24-01-01", "电机装配工", 5), ("6-24-01-01", "绕线工", 3), ("6-26-01-01", "电工仪器仪表装配工", 1),
           ("6-18-01-01", "车工", 1), ("6-31-01-03", "维修电工", 1)],
    "电线电缆": [("6-24-03-01", "电线电缆制造工", 5), ("6-24-03-01", "拉丝工", 2), ("6-24-03-01", "挤塑工", 2),
             ("6-24-03-01", "绞制工", 1), ("6-31-01-03", "维修电工", 1)],
    "木地板": [("6-06-03-02", "木材加工工", 4), ("6-06-03-02", "地板制作工", 4), ("6-06-03-01", "木制品制作工", 2),
            ("6-18-05-02", "油漆工", 1), ("6-31-01-02", "设备维修工", 1)],
    "钢材": [("6-17-08-02", "轧钢工", 4), ("6-17-02-02", "炼钢工", 2), ("6-17-08-08", "金属材丝拉拔工", 2),
           ("6-18-02-05", "热处理工", 1), ("6-18-02-04", "焊工", 1), ("6-31-01-03", "维修电工", 1)],
    "湖笔": [("6-09-99-00", "湖笔制作工（水盆）", 4), ("6-09-99-00", "湖笔制作工（择笔）", 3),
           ("6-09-99-00", "湖笔制作工（结头）", 2), ("6-09-99-00", "笔杆刻字工", 1)],
    "绫绢": [("6-04-03-03", "绫绢织造工", 4), ("6-04-06-02", "练染工", 2), ("6-09-99-00", "绫绢裱褙工", 2),
           ("6-04-03-01", "整经工", 1)],
    "丝绸": [("6-04-02-05", "缫丝工", 4), ("6-04-03-03", "丝织挡车工", 4), ("6-04-06-02", "印染工", 2),
           ("6-05-01-03", "服装缝纫工", 2)],
    "其他": [("6-18-01-01", "车工", 3), ("6-20-01-01", "钳工", 3), ("6-18-02-04", "焊工", 2),
           ("6-18-02-03", "冲压工", 2), ("6-14-02-02", "注塑工", 1), ("6-99-00-00", "操作工", 2),
           ("6-31-01-03", "电工", 1)],
}
OFFICE_POSTS = [("2-02", "技术员", 3), ("2-02", "工艺员", 2), ("6-31-03", "质检员", 3), ("6-99-00-00", "班组长", 2)]

#: Female share of the workforce per industry (manufacturing ~30%, silk crafts mostly women).
FEMALE_SHARE = {"丝绸": 0.68, "绫绢": 0.7, "湖笔": 0.5, "木地板": 0.32, "其他": 0.34}
DEFAULT_FEMALE_SHARE = 0.27

#: Skill level weights by years of experience (upper bound, weights low → high of the ladder).
LEVEL_WEIGHTS: list[tuple[int, list[float]]] = [
    (3, [35, 50, 15, 0, 0, 0, 0, 0]),
    (8, [5, 45, 40, 10, 0, 0, 0, 0]),
    (15, [0, 28, 46, 20, 5, 1, 0, 0]),
    (25, [0, 18, 42, 28, 9, 2.5, 0, 0]),
    (999, [0, 15, 40, 29, 12, 3.5, 0.45, 0.15]),
]
MIN_YEARS_FOR_LEVEL = {0: 0, 1: 0, 2: 2, 3: 5, 4: 8, 5: 12, 6: 16, 7: 18}

#: The share of the workers at a level whose certificate the registry holds (by their level).
#: Enterprises report every worker's level, but only some certificates get recorded, mostly the
#: higher ones that selection and allowances rest on. Seed 000 counts 37,852 people in the district
#: with a certificate, about 27,800 of them through the programme's training (晋级): the training
#: demo's level-ups record those, so the registry's own certificates are the other ~10,000 at
#: ``--scale district`` (the cultivation figure ``certificates_gained`` then lands near the seed's).
CERTIFICATE_RECORDED = {1: 0.02, 2: 0.03, 3: 0.07, 4: 0.35, 5: 0.7, 6: 1.0, 7: 1.0}

#: (name, level, issuer or None for the employer, weight, lowest skill level it goes to)
HONOURS: list[tuple[str, HonourLevel, str | None, float, int]] = [
    ("全国劳动模范", HonourLevel.NATIONAL, "中华人民共和国国务院", 0.3, 4),
    ("全国五一劳动奖章", HonourLevel.NATIONAL, "中华全国总工会", 0.6, 4),
    ("全国技术能手", HonourLevel.NATIONAL, "中华人民共和国人力资源和社会保障部", 0.6, 4),
    ("浙江省劳动模范", HonourLevel.PROVINCIAL, "浙江省人民政府", 2, 3),
    ("浙江省五一劳动奖章", HonourLevel.PROVINCIAL, "浙江省总工会", 3, 3),
    ("浙江省技术能手", HonourLevel.PROVINCIAL, "浙江省人力资源和社会保障厅", 4, 3),
    ("浙江工匠", HonourLevel.PROVINCIAL, "浙江省总工会", 2, 4),
    ("湖州市劳动模范", HonourLevel.CITY, "湖州市人民政府", 6, 2),
    ("湖州市五一劳动奖章", HonourLevel.CITY, "湖州市总工会", 8, 2),
    ("湖州市技术能手", HonourLevel.CITY, "湖州市人力资源和社会保障局", 10, 2),
    ("湖州工匠", HonourLevel.CITY, "湖州市总工会", 5, 3),
    ("南浔区劳动模范", HonourLevel.DISTRICT, "湖州市南浔区人民政府", 8, 2),
    ("南浔区五一劳动奖章", HonourLevel.DISTRICT, "湖州市南浔区总工会", 10, 1),
    ("南浔区技术能手", HonourLevel.DISTRICT, "湖州市南浔区人力资源和社会保障局", 14, 1),
    ("南浔工匠", HonourLevel.DISTRICT, "湖州市南浔区人民政府", 5, 3),
    ("优秀员工", HonourLevel.ENTERPRISE, None, 30, 0),
    ("岗位技术能手", HonourLevel.ENTERPRISE, None, 20, 1),
]
#: Chance of holding any honour, by skill level (≈3% overall).
HONOUR_CHANCE = [0.002, 0.008, 0.015, 0.035, 0.1, 0.3, 0.7, 0.9]

SKILL_ISSUERS = ["湖州市南浔区职业技能等级认定中心", "湖州市职业技能鉴定指导中心", "浙江省机电技师学院",
                 "湖州交通技师学院"]
QUALIFICATION_ISSUERS = ["湖州市职业技能鉴定指导中心", "浙江省职业技能鉴定中心"]
PRINCIPAL_ISSUER = "浙江省人力资源和社会保障厅"
#: 职业技能等级证书 (new format) replaced 国家职业资格证书 for most trades from 2020.
NEW_CERTIFICATES_FROM = date(2020, 1, 1)


@dataclass
class DemoSummary:
    enterprises: int = 0
    workers: int = 0
    employments: int = 0
    certificates: int = 0
    honours: int = 0
    users: int = 0
    seconds: float = 0.0
    created: bool = True
    counts: dict[str, int] = field(default_factory=dict)


def _weighted(rng: random.Random, items: Sequence[tuple[T, float]]) -> T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _random_date(rng: random.Random, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _batches(items: list[T], size: int = BATCH) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class DistrictBuilder:
    """Draws the district: ``build_enterprises`` then ``build_workers`` write it; the helpers are
    deterministic given ``rng``, which each demo step sets to its own stream."""

    def __init__(self, *, workers: int, rng: random.Random, enterprises: int = DEFAULT_ENTERPRISES,
                 today: date | None = None, progress: Callable[[str], None] | None = None) -> None:
        self.rng = rng
        self.n_workers = max(1, workers)
        self.n_enterprises = max(len(INDUSTRY_PROFILES) + 2, enterprises)
        self.today = today or timezone.localdate()
        self.progress = progress or (lambda message: None)
        self.industries = {i.name: i for i in Industry.objects.all()}
        missing = set(INDUSTRY_PROFILES) - set(self.industries)
        if missing:
            raise RuntimeError(f"industries missing (run migrate first): {', '.join(sorted(missing))}")
        self.occupations = {o.code: o for o in Occupation.objects.filter(level__gte=2)}
        self._names_seen: set[str] = set()
        self._uscc_seen: set[str] = set()
        self._id_seen: set[str] = set()
        self._certificate_serial = 0
        self.enterprises: list[Enterprise] = []
        self.by_industry: dict[str, list[Enterprise]] = {}
        self.enterprise_weights: list[float] = []

    # --- names and numbers -------------------------------------------------------------------

    def person_name(self, *, female: bool) -> str:
        rng = self.rng
        surname = _weighted(rng, SURNAMES)
        pool = FEMALE_CHARS if female else MALE_CHARS
        if rng.random() < 0.22:
            given = rng.choice(pool)
        else:
            first = rng.choice(COMMON_CHARS) if rng.random() < 0.3 else rng.choice(pool)
            given = first + rng.choice(pool)
        return surname + given

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def id_number(self, birth: date, *, female: bool, region: str | None = None) -> str:
        rng = self.rng
        if region is None:
            migrant = rng.random() < 0.2
            region = _weighted(rng, MIGRANT_REGIONS if migrant else HUZHOU_REGIONS)
        while True:
            sequence = rng.randrange(500) * 2 + (0 if female else 1)
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            if first17 not in self._id_seen:
                self._id_seen.add(first17)
                return first17 + compute_check_char(first17)

    def uscc(self) -> str:
        rng = self.rng
        while True:
            if rng.random() < 0.55:  # issued since 2015: "MA" organisation codes
                body = "MA" + "".join(rng.choice(ALPHABET) for _ in range(7))
            else:  # converted from the old 9-character organisation code
                body = f"{rng.randrange(10**8):08d}" + rng.choice("0123456789X").replace("X", "0")
            first17 = "91330503" + body
            if first17 not in self._uscc_seen:
                self._uscc_seen.add(first17)
                return first17 + compute_uscc_check(first17)

    def enterprise_name(self, industry: str, town: str) -> str:
        rng = self.rng
        words = INDUSTRY_PROFILES[industry][3]
        for _ in range(1000):
            prefix = _weighted(rng, PREFIXES).format(town=town.removesuffix("镇").removesuffix("街道")[:2])
            if industry == "湖笔" and rng.random() < 0.6:
                prefix = "湖州善琏"
            trade = rng.choice(TRADE_NAMES)
            word = rng.choice(words)
            roll = rng.random()
            if roll < 0.1:
                suffix = "股份有限公司"
            elif roll < 0.2 and industry != "湖笔":
                suffix = "科技有限公司"
            else:
                suffix = "有限公司"
            name = prefix + trade + word + suffix
            if name not in self._names_seen and name != EXAMPLE_ENTERPRISE:
                self._names_seen.add(name)
                return name
        raise RuntimeError("ran out of enterprise names")

    # --- enterprises -------------------------------------------------------------------------

    def make_enterprises(self) -> None:
        rng = self.rng
        plan: list[str] = []
        for name, (share, *_rest) in INDUSTRY_PROFILES.items():
            plan += [name] * max(1, round(share * self.n_enterprises))
        while len(plan) < self.n_enterprises:
            plan.append(_weighted(rng, [(k, v[0]) for k, v in INDUSTRY_PROFILES.items()]))
        plan = plan[: self.n_enterprises - 1]
        example = Enterprise(
            name=EXAMPLE_ENTERPRISE, uscc=self.uscc(), industry=self.industries["钢材"],
            ownership=Ownership.NON_PUBLIC, is_above_scale=True, town="南浔开发区",
            address="湖州市南浔区南浔开发区久立路1号", contact_name="钱晓红", contact_phone="0572-3026888",
        )
        self.enterprises.append(example)
        self.enterprise_weights.append(40.0)
        self._names_seen.add(EXAMPLE_ENTERPRISE)
        for industry in plan:
            _, factor, towns, _words = INDUSTRY_PROFILES[industry]
            town = rng.choice(towns)
            heritage = self.industries[industry].is_heritage
            is_public = rng.random() < 0.10
            enterprise = Enterprise(
                name=self.enterprise_name(industry, town),
                uscc=self.uscc(),
                industry=self.industries[industry],
                ownership=Ownership.PUBLIC if is_public else Ownership.NON_PUBLIC,
                is_above_scale=rng.random() < (0.55 if heritage else 0.95),
                town=town,
                address=f"湖州市南浔区{town}{rng.choice(ROADS)}{rng.randrange(1, 999)}号",
                contact_name=self.person_name(female=rng.random() < 0.6),
                contact_phone=self.mobile() if rng.random() < 0.7 else f"0572-{rng.randrange(2000000, 3999999)}",
            )
            self.enterprises.append(enterprise)
            # Heavy-tailed sizes: a few large employers, many of a few dozen people.
            self.enterprise_weights.append(rng.lognormvariate(0, 0.9) * factor * (1.5 if is_public else 1.0))
        for enterprise in self.enterprises:
            self.by_industry.setdefault(enterprise.industry.name, []).append(enterprise)

    # --- workers -----------------------------------------------------------------------------

    def birth_date(self, category: RuleCategory) -> date:
        rng = self.rng
        latest = _add_years(self.today, -18)
        while True:
            # Concentrated on the 1975–1995 cohorts, with a tail over the whole working age.
            year = round(rng.gauss(1985, 7)) if rng.random() < 0.7 else rng.randint(1966, 2004)
            if not 1966 <= year <= 2004:
                continue
            born = _random_date(rng, date(year, 1, 1), date(year, 12, 31))
            # Working age: not yet at the statutory retirement age within the next half year.
            if born <= latest and retirement_date(born, category) > self.today + timedelta(days=183):
                return born

    def education(self, born: date, *, frontline: bool) -> str:
        weights: list[float]
        if born.year < 1975:
            weights = [55, 35, 8, 2, 0]
        elif born.year < 1990:
            weights = [35, 42, 16, 6.5, 0.5]
        else:
            weights = [15, 45, 28, 11, 1]
        if not frontline:
            weights = [weights[0] * 0.2, weights[1] * 0.6, weights[2] * 1.8, weights[3] * 3, weights[4] * 3]
        values = [Education.JUNIOR_SECONDARY, Education.SENIOR_SECONDARY, Education.COLLEGE, Education.BACHELOR,
                  Education.POSTGRADUATE]
        return str(self.rng.choices(values, weights=weights)[0])

    def work_start(self, born: date, education: str) -> date:
        age = {"junior": (16, 18), "senior": (18, 20), "college": (20, 22), "bachelor": (22, 23),
               "postgraduate": (25, 26)}[education]
        start = _add_years(born, self.rng.randint(*age))
        start = _random_date(self.rng, start, start + timedelta(days=300))
        return min(start, self.today - timedelta(days=60))

    def skill_level(self, years: int) -> int | None:
        if self.rng.random() < 0.04:
            return None
        weights = next(w for bound, w in LEVEL_WEIGHTS if years < bound)
        level = self.rng.choices(range(8), weights=weights)[0]
        while level and MIN_YEARS_FOR_LEVEL[level] > years:
            level -= 1
        return level

    def employments(self, worker: Worker, enterprise: Enterprise, occupation: Occupation | None,
                    post: str) -> list[Employment]:
        """The current employment, preceded for ~20% of workers by 1–3 earlier employers."""
        rng = self.rng
        assert worker.work_start_date is not None
        begin = worker.work_start_date
        span = (self.today - begin).days
        previous = rng.choice([1, 1, 1, 2, 2, 3]) if rng.random() < 0.2 and span > 3 * 365 else 0
        rows: list[Employment] = []
        if previous:
            # Cut the working life into previous + 1 stretches, at least 90 days apart; a gap of
            # 0–90 days between one job's end and the next one's start.
            cuts = sorted(rng.sample(range(180, span - 180, 90), previous))
            starts = [begin] + [begin + timedelta(days=c) for c in cuts]
            same_industry = self.by_industry[enterprise.industry.name]
            used = {enterprise.pk}
            for i in range(previous):
                pool = same_industry if rng.random() < 0.6 and len(same_industry) > previous + 1 else self.enterprises
                other = rng.choice(pool)
                while other.pk in used:
                    other = rng.choice(self.enterprises)
                used.add(other.pk)
                end = max(starts[i], starts[i + 1] - timedelta(days=1 + rng.randrange(0, 91)))
                rows.append(Employment(worker=worker, enterprise=other, start_date=starts[i], end_date=end,
                                       position=post, occupation=occupation))
            current_start = starts[-1]
        else:
            # Records often begin with the present employer; some joined it later in life.
            current_start = begin if rng.random() < 0.6 else _random_date(rng, begin, begin + timedelta(days=span // 2))
        rows.append(Employment(worker=worker, enterprise=enterprise, start_date=current_start, position=post,
                               occupation=occupation))
        return rows

    def certificate_number(self, level: int, issued: date, *, own_evaluation: bool) -> tuple[str, str]:
        """(number, kind) matching ``rules.skills.check_certificate_number`` without warnings."""
        self._certificate_serial += 1
        serial = self._certificate_serial
        skill = SkillLevel(level)
        if skill.grade is None:  # 特级技师, 首席技师: two letters and 20 digits
            return f"ZJ{issued:%Y}330503{serial:010d}", "principal"
        if issued < NEW_CERTIFICATES_FROM:  # 国家职业资格证书: 16 digits
            return f"{issued:%y}3305{skill.grade}{serial:09d}", "qualification"
        letter = "Y" if own_evaluation else "S"
        organisation = f"3305030{self.rng.randrange(10000):04d}"
        # [YS] · evaluation body (11) · year (2) · batch · grade (16th character) · serial (6)
        return f"{letter}{organisation}{issued:%y}0{skill.grade}{serial % 10**6:06d}", "skill_level"

    def certificates(self, worker: Worker, enterprise: Enterprise, post: str) -> list[Certificate]:
        rng = self.rng
        level = worker.skill_level
        if level is None or level < SkillLevel.JUNIOR or rng.random() >= CERTIFICATE_RECORDED[level]:
            return []
        assert worker.work_start_date is not None
        begin = worker.work_start_date
        earliest = max(begin + timedelta(days=int(MIN_YEARS_FOR_LEVEL[level] * 365)), begin + timedelta(days=120))
        latest = self.today - timedelta(days=30)
        issued = _random_date(rng, min(earliest, latest), latest)
        levels = [(level, issued)]
        if level >= SkillLevel.INTERMEDIATE and rng.random() < 0.35:
            # Lower levels earlier in their career.
            for step in range(1, rng.choice([1, 1, 2]) + 1):
                lower = level - step
                if lower < SkillLevel.JUNIOR:
                    break
                before = levels[-1][1] - timedelta(days=rng.randrange(365, 4 * 365))
                if before <= begin:
                    break
                levels.append((lower, before))
        rows = []
        for cert_level, day in levels:
            own = rng.random() < 0.4
            number, kind = self.certificate_number(cert_level, day, own_evaluation=own)
            issuer = (PRINCIPAL_ISSUER if kind == "principal" else rng.choice(QUALIFICATION_ISSUERS)
                      if kind == "qualification" else enterprise.name if own else rng.choice(SKILL_ISSUERS))
            rows.append(Certificate(worker=worker, number=number, level=cert_level, issued_on=day, issuer=issuer,
                                    occupation=worker.occupation, occupation_name=post))
        return rows

    def honours(self, worker: Worker, enterprise: Enterprise) -> list[Honour]:
        rng = self.rng
        level = worker.skill_level or 0
        if rng.random() > HONOUR_CHANCE[level]:
            return []
        assert worker.work_start_date is not None
        # Honours beyond the enterprise go more often to the more skilled.
        candidates = [(h, h[3] * (1 if h[1] == HonourLevel.ENTERPRISE else 1 + level))
                      for h in HONOURS if level >= h[4]]
        count = 1 if rng.random() < 0.8 else 2
        chosen: list[tuple[str, HonourLevel, str | None, float, int]] = []
        while len(chosen) < count and len(chosen) < len(candidates):
            honour = _weighted(rng, candidates)
            if honour not in chosen:
                chosen.append(honour)
        rows = []
        begin = min(worker.work_start_date + timedelta(days=3 * 365), self.today - timedelta(days=60))
        for name, honour_level, issuer, _w, _min in chosen:
            day = _random_date(rng, begin, self.today - timedelta(days=30))
            if ("五一" in name or "劳动模范" in name) and begin <= date(day.year, 4, 28) <= self.today:
                day = date(day.year, 4, 28)  # conferred before Labour Day
            rows.append(Honour(worker=worker, name=name, level=honour_level, awarded_on=day,
                               issuer=issuer or enterprise.name))
        return rows

    def worker(self, enterprise: Enterprise) -> tuple[Worker, list[Employment], list[Certificate], list[Honour]]:
        rng = self.rng
        industry = enterprise.industry.name
        female = rng.random() < FEMALE_SHARE.get(industry, DEFAULT_FEMALE_SHARE)
        frontline = rng.random() < 0.85
        if female:
            category = RuleCategory.WOMAN_55 if rng.random() < (0.12 if frontline else 0.6) else RuleCategory.WOMAN_50
        else:
            category = RuleCategory.MAN
        born = self.birth_date(category)
        name = self.person_name(female=female)
        education = self.education(born, frontline=frontline)
        start = self.work_start(born, education)
        years = (self.today - start).days // 365
        code, post = (_weighted(rng, [((c, p), w) for c, p, w in POSTS[industry]]) if frontline
                      else _weighted(rng, [((c, p), w) for c, p, w in OFFICE_POSTS]))
        occupation = self.occupations.get(code)
        worker = Worker(
            education=education,
            retirement_category=RetirementCategory(category.value), is_frontline=frontline,
            work_start_date=start, skill_level=self.skill_level(years), occupation=occupation,
            current_enterprise=enterprise,
        )
        _apply_fields(worker, {"name": name, "id_number": self.id_number(born, female=female), "phone": self.mobile()})
        return (worker, self.employments(worker, enterprise, occupation, post),
                self.certificates(worker, enterprise, post), self.honours(worker, enterprise))

    def example_worker(self, enterprise: Enterprise) -> tuple[Worker, list[Employment], list[Certificate],
                                                              list[Honour]]:
        """慎建民, the seed's own example: 维修电工、高级技师 at 久立特材."""
        born = date(1972, 3, 16)
        occupation = self.occupations.get("6-31-01-03")  # 电工 (维修电工 before 2015)
        worker = Worker(
            education=Education.SENIOR_SECONDARY,
            retirement_category=RetirementCategory.MAN, is_frontline=True, work_start_date=date(1991, 7, 1),
            skill_level=SkillLevel.SENIOR_TECHNICIAN, occupation=occupation, current_enterprise=enterprise,
        )
        _apply_fields(worker, {"name": EXAMPLE_NAME, "id_number": self.id_number(born, female=False, region="330503"),
                               "phone": "13905721234"})
        employments = [
            Employment(worker=worker, enterprise=self.by_industry["钢材"][1], start_date=date(1991, 7, 1),
                       end_date=date(1998, 2, 28), position="电工", occupation=occupation),
            Employment(worker=worker, enterprise=enterprise, start_date=date(1998, 3, 16), position="维修电工",
                       occupation=occupation),
        ]
        certificates = []
        for level, day in [(SkillLevel.SENIOR, date(2006, 11, 20)), (SkillLevel.TECHNICIAN, date(2012, 12, 10)),
                           (SkillLevel.SENIOR_TECHNICIAN, date(2021, 12, 15))]:
            number, kind = self.certificate_number(level, day, own_evaluation=day >= NEW_CERTIFICATES_FROM)
            issuer = enterprise.name if kind == "skill_level" else "浙江省职业技能鉴定中心"
            certificates.append(Certificate(worker=worker, number=number, level=level, issued_on=day, issuer=issuer,
                                            occupation=occupation, occupation_name="维修电工"))
        honours = [
            Honour(worker=worker, name="湖州市技术能手", level=HonourLevel.CITY, awarded_on=date(2015, 9, 28),
                   issuer="湖州市人力资源和社会保障局"),
            Honour(worker=worker, name="南浔工匠", level=HonourLevel.DISTRICT, awarded_on=date(2018, 12, 26),
                   issuer="湖州市南浔区人民政府"),
        ]
        return worker, employments, certificates, honours

    # --- writing -----------------------------------------------------------------------------

    def build_enterprises(self, summary: DemoSummary) -> None:
        self.make_enterprises()
        for enterprise in self.enterprises:
            enterprise.fill_name_keys()  # pinyin keys (models.PinyinNamed): bulk_create skips save()
        for enterprise_batch in _batches(self.enterprises):
            Enterprise.objects.bulk_create(enterprise_batch)
        summary.enterprises = len(self.enterprises)
        self.progress(f"企业 / enterprises: {summary.enterprises}")

    def build_workers(self, summary: DemoSummary) -> None:
        started = time.monotonic()
        example = self.enterprises[0]
        chunk = 5_000
        done = 0
        while done < self.n_workers:
            size = min(chunk, self.n_workers - done)
            workers: list[Worker] = []
            employments: list[Employment] = []
            certificates: list[Certificate] = []
            honours: list[Honour] = []
            employers = self.rng.choices(self.enterprises, weights=self.enterprise_weights, k=size)
            for i, enterprise in enumerate(employers):
                if done == 0 and i == 0:
                    worker, emp, certs, hons = self.example_worker(example)
                else:
                    worker, emp, certs, hons = self.worker(enterprise)
                workers.append(worker)
                employments += emp
                certificates += certs
                honours += hons
            for worker_batch in _batches(workers):
                Worker.objects.bulk_create(worker_batch)
            # Re-point children at the saved workers (bulk_create set their primary keys).
            for rows in (employments, certificates, honours):
                for row in rows:
                    row.worker_id = row.worker.pk
            for employment_batch in _batches(employments):
                Employment.objects.bulk_create(employment_batch)
            for certificate_batch in _batches(certificates):
                Certificate.objects.bulk_create(certificate_batch)
            for honour_batch in _batches(honours):
                Honour.objects.bulk_create(honour_batch)
            done += size
            summary.workers += len(workers)
            summary.employments += len(employments)
            summary.certificates += len(certificates)
            summary.honours += len(honours)
            self.progress(f"职工 / workers: {done:,}/{self.n_workers:,} ({time.monotonic() - started:.1f} s)")


# --- users ------------------------------------------------------------------------------------

DEMO_USERS: list[tuple[str, str, str, str]] = [
    # username, role, full name, organisation
    ("admin", Role.ADMIN, "周慧敏", "南浔区总工会"),
    ("leader", Role.LEADER, "沈国强", "区人社局"),
    ("finance", Role.LEADER, "钱丽华", "区财政局"),
    ("operator", Role.OPERATOR, "钱晓红", EXAMPLE_ENTERPRISE),
    ("operator2", Role.OPERATOR, "", ""),
    ("expert", Role.EXPERT, "陆建华", "湖州职业技术学院"),
    ("worker", Role.WORKER, EXAMPLE_NAME, EXAMPLE_ENTERPRISE),
]
DEMO_USERNAMES = [row[0] for row in DEMO_USERS]


def second_operator_enterprise() -> Enterprise:
    """A heritage-craft employer (湖笔 if any) for the second operator: small, easy to browse."""
    for industry in ("湖笔", "绫绢", "丝绸"):
        enterprise = (Enterprise.objects.filter(industry__name=industry, workers__isnull=False)
                      .exclude(name=EXAMPLE_ENTERPRISE).order_by("pk").first())
        if enterprise is not None:
            return enterprise
    return Enterprise.objects.exclude(name=EXAMPLE_ENTERPRISE).order_by("pk").first()  # type: ignore[return-value]


def create_demo_users(password: str = DEMO_PASSWORD) -> list[User]:
    """The seven demo logins, one per role (two operators, two leaders)."""
    example_enterprise = Enterprise.objects.get(name=EXAMPLE_ENTERPRISE)
    example_worker = Worker.objects.filter(name=EXAMPLE_NAME, current_enterprise=example_enterprise).order_by("pk")[0]
    other = second_operator_enterprise()
    users = []
    for username, role, full_name, organisation in DEMO_USERS:
        user = User(username=username, role=role, full_name=full_name, organisation=organisation)
        if username == "admin":
            user.is_staff = True
        elif username == "operator":
            user.enterprise = example_enterprise
        elif username == "operator2":
            user.enterprise = other
            user.full_name = "施雅琴"
            user.organisation = other.name
        elif username == "worker":
            user.worker = example_worker
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
        users.append(user)
    return users


def demo_logins() -> list[DemoLogin]:
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)
             .select_related("enterprise", "worker__current_enterprise")}
    rows = []
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        if user.worker is not None:
            bound = f"{user.worker.name}（{user.worker.current_enterprise}）"
        else:
            bound = user.enterprise.name if user.enterprise else ""
        rows.append(DemoLogin(username, user.get_role_display(), user.full_name, user.organisation, bound))
    return rows


def is_loaded() -> bool:
    return User.objects.filter(username="admin").exists() and Worker.objects.exists()


def wipe() -> None:
    """Delete the registry's data and the accounts bound to it (demo databases only)."""
    bound = User.objects.filter(username__in=DEMO_USERNAMES) | User.objects.filter(enterprise__isnull=False) | \
        User.objects.filter(worker__isnull=False)
    Job.objects.filter(created_by__in=bound.values("pk")).delete()
    User.objects.filter(pk__in=list(bound.values_list("pk", flat=True))).delete()
    for model in (Honour, Certificate, Employment, Worker, Enterprise):
        model.objects.all().delete()  # type: ignore[attr-defined]


# --- the demo steps (core.demo) ----------------------------------------------------------------

BUILDER = "registry.builder"  # context.shared: the district being drawn, from one step to the next


def make_enterprises(context: DemoContext) -> None:
    builder = DistrictBuilder(workers=context.workers, enterprises=context.enterprises, today=context.today,
                              progress=context.progress, rng=context.random)
    summary = DemoSummary()
    builder.build_enterprises(summary)
    context.shared[BUILDER] = builder
    context.count("enterprises", summary.enterprises)


def make_workers(context: DemoContext) -> None:
    builder: DistrictBuilder = context.shared[BUILDER]
    builder.rng = context.random  # the workers' own stream: the enterprises' draws are done
    summary = DemoSummary()
    builder.build_workers(summary)
    for label in ("workers", "employments", "certificates", "honours"):
        context.count(label, getattr(summary, label))


def make_users(context: DemoContext) -> None:
    context.count("users", len(create_demo_users(context.password)))


def declare_demo_steps() -> None:
    """RegistryConfig.ready(): the registry's part of ``load_demo``. The three steps load and wipe
    together (``is_loaded``: the demo admin and workers exist)."""
    from talentpool.core.demo import DemoStep, register_demo_step

    register_demo_step(DemoStep("registry.enterprises", make_enterprises, order=10, is_loaded=is_loaded, wipe=wipe))
    register_demo_step(DemoStep("registry.workers", make_workers, order=20, after=("registry.enterprises",),
                                is_loaded=is_loaded))
    register_demo_step(DemoStep("registry.users", make_users, order=30, after=("registry.workers",),
                                is_loaded=is_loaded, logins=demo_logins))


def load_demo(*, workers: int, seed: int = DEFAULT_SEED, enterprises: int = DEFAULT_ENTERPRISES,
              force: bool = False, today: date | None = None,
              progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Every app's demo steps (core.demo.load), summed up as the registry's counts; a no-op
    (``created=False``) when already loaded."""
    started = time.monotonic()
    report = load_steps(workers=workers, seed=seed, enterprises=enterprises, force=force, today=today,
                        progress=progress)
    counts = report.counts
    return DemoSummary(
        enterprises=counts.get("enterprises", 0), workers=counts.get("workers", 0),
        employments=counts.get("employments", 0), certificates=counts.get("certificates", 0),
        honours=counts.get("honours", 0), users=counts.get("users", 0), seconds=time.monotonic() - started,
        created=report.created, counts=dict(counts),
    )
