"""Pinyin search keys for Chinese personal names.

A name is found by its full pinyin (``shenjianmin``) or its initials (``sjm``). Surnames often
read differently from the character's everyday reading (单 shan, 曾 zeng, 解 xie …), and people
type both, so the surname contributes its surname reading(s) and pypinyin's readings; the given
name uses its most common reading only, to keep the number of keys small.
"""

from __future__ import annotations

import functools
import re

from pypinyin import Style, lazy_pinyin, pinyin

from talentpool.rules.text import normalise_text

__all__ = [
    "COMMON_SURNAMES",
    "COMPOUND_SURNAMES",
    "MAX_KEYS",
    "MIDDLE_DOT",
    "SURNAME_READINGS",
    "normalise_name",
    "phrase_keys",
    "pinyin_sort_key",
    "search_keys",
    "search_text",
    "split_surname",
]

MAX_KEYS = 8

#: Surname readings of characters whose surname reading differs from (or adds to) the common one.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "单": ("shan",),
    "曾": ("zeng",),
    "解": ("xie",),
    "仇": ("qiu",),
    "区": ("ou",),
    "朴": ("piao",),
    "查": ("zha",),
    "秘": ("bi",),
    "尉": ("yu", "wei"),
    "盖": ("ge",),
    "乐": ("yue", "le"),
    "覃": ("qin",),
    "缪": ("miao",),
    "翟": ("zhai",),
    "种": ("chong",),
    "万": ("wan",),
    "宁": ("ning",),
    "车": ("che",),
    "任": ("ren",),
    "华": ("hua",),
    "员": ("yun",),
    "繁": ("po",),
    "召": ("shao",),
    "柏": ("bai",),
    "薄": ("bo",),
    "卜": ("bu",),
    "都": ("du",),
    "长": ("chang",),
    "重": ("chong",),
    "藏": ("zang",),
    "冼": ("xian",),
    "洗": ("xian",),
    "过": ("guo",),
    "相": ("xiang",),
    "祭": ("zhai",),
    "曲": ("qu",),
    "牟": ("mou",),
    "句": ("gou",),
    "谌": ("chen",),
    "折": ("she",),
    "隗": ("wei",),
    "殷": ("yin",),
    "阚": ("kan",),
    "蔚": ("yu", "wei"),
    "沈": ("shen",),
    "石": ("shi",),
    "黑": ("he",),
    "贾": ("jia",),
    "燕": ("yan",),
    "纪": ("ji",),
    "费": ("fei",),
    "应": ("ying",),
    "晟": ("cheng",),
    "阿": ("a",),
    "能": ("nai", "neng"),
    "乜": ("nie", "mie"),
    "宓": ("mi", "fu"),
}

#: Single-character surnames of the Hundred Family Surnames (百家姓). Most characters have several
#: dictionary readings (王 wang/yu, 方 fang/pang/wang/feng); for these surnames the reading is
#: the common one, plus any in :data:`SURNAME_READINGS`, so typing ``ww`` finds 王伟 but not 方伟.
#: Surnames not listed here may be read any way the dictionary allows.
COMMON_SURNAMES: frozenset[str] = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎"
    "鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄"
    "和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭"
    "梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣贲邓郁单杭洪包诸左石崔吉钮龚"
    "程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫"
    "宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴鬱胥能苍双"
    "闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍卻璩桑桂濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容"
    "向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空"
    "曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公闫肖覃"
)

#: Two-character surnames with their readings (syllables).
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "诸葛": ("zhu", "ge"),
    "上官": ("shang", "guan"),
    "单于": ("chan", "yu"),
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "令狐": ("ling", "hu"),
    "皇甫": ("huang", "fu"),
    "澹台": ("tan", "tai"),
    "公孙": ("gong", "sun"),
    "慕容": ("mu", "rong"),
    "司徒": ("si", "tu"),
    "司空": ("si", "kong"),
    "夏侯": ("xia", "hou"),
    "东方": ("dong", "fang"),
    "宇文": ("yu", "wen"),
    "万俟": ("mo", "qi"),
    "轩辕": ("xuan", "yuan"),
    "端木": ("duan", "mu"),
    "呼延": ("hu", "yan"),
    "南宫": ("nan", "gong"),
    "百里": ("bai", "li"),
    "东郭": ("dong", "guo"),
    "西门": ("xi", "men"),
    "独孤": ("du", "gu"),
    "申屠": ("shen", "tu"),
    "太史": ("tai", "shi"),
    "闻人": ("wen", "ren"),
    "钟离": ("zhong", "li"),
    "宗政": ("zong", "zheng"),
    "濮阳": ("pu", "yang"),
    "淳于": ("chun", "yu"),
    "赫连": ("he", "lian"),
    "拓跋": ("tuo", "ba"),
    "羊舌": ("yang", "she"),
    "第五": ("di", "wu"),
    "乐正": ("yue", "zheng"),
    "公冶": ("gong", "ye"),
    "子车": ("zi", "ju"),
}

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]|[a-z0-9]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")  # a character pypinyin cannot read yields no syllable


_HAN_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")  # unified ideographs: NFKC leaves them as they are


#: The separator of transcribed minority and foreign names (阿不都·热合曼), as the 公安 ID card
#: prints it: U+00B7 MIDDLE DOT.
MIDDLE_DOT = "\u00b7"

_HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# What people type for the middle dot: katakana (・, half-width ･ becomes it under NFKC), bullet •,
# hyphenation point ‧, bullet and dot operators ∙ ⋅, Greek ano teleia (NFKC: ·), and · itself.
_DOT_CLASS = "\u00b7\u2022\u2027\u2219\u22c5\u30fb\uff65"
_DOTS = re.compile(rf"\s*[{_DOT_CLASS}](?:\s*[{_DOT_CLASS}])*\s*")
# A full stop between Han characters (阿不都.热合曼, or the full-width ． that NFKC turns into it).
_HAN_STOP = re.compile(rf"(?<=[{_HAN_CLASS}])\s*\.\s*(?=[{_HAN_CLASS}])")
# A space with a Han character or the middle dot on both sides.
_HAN_SPACE = re.compile(rf"(?<=[{_HAN_CLASS}\u00b7]) (?=[{_HAN_CLASS}\u00b7])")


def normalise_name(name: str) -> str:
    """A person's name as stored and searched, whichever path it came by (form, API, import).

    NFKC (full-width letters and spaces become ASCII), zero-width characters dropped, white space
    collapsed and stripped; no space inside a Han name (`` 李　测二 `` → ``李测二``); the
    variants of the middle dot (・ • ‧ ･ ∙ ⋅, a full stop between Han characters) become one
    :data:`MIDDLE_DOT` without spaces around it, none at either end (``阿不都 ・ 热合曼`` →
    ``阿不都·热合曼``). Latin-letter names keep single inner spaces (``Anna Smith``).
    """
    if _HAN_NAME.fullmatch(name):  # most names: nothing to normalise
        return name
    text = normalise_text(name)
    text = _HAN_STOP.sub(MIDDLE_DOT, text)
    text = _DOTS.sub(MIDDLE_DOT, text).strip(MIDDLE_DOT)
    return _HAN_SPACE.sub("", text)


def _clean(name: str) -> str:
    """Lower-cased name without spaces and separators such as the middle dot in 阿不都·热合曼."""
    if _HAN_NAME.fullmatch(name):  # most names: nothing to normalise or remove
        return name
    return "".join(_TOKEN.findall(normalise_text(name).lower()))


def split_surname(name: str) -> tuple[str, str]:
    """Split a Han name into (surname, given name); compound surnames need ≥ 3 characters."""
    cleaned = _clean(name)
    if not cleaned or not _HAN.match(cleaned):
        return "", cleaned
    if len(cleaned) >= 3 and cleaned[:2] in COMPOUND_SURNAMES:
        return cleaned[:2], cleaned[2:]
    return cleaned[:1], cleaned[1:]


def _syllables(text: str) -> list[str]:
    """Most common reading of each Han character; runs of letters/digits are kept as words."""
    return list(_cached_syllables(text))


@functools.lru_cache(maxsize=65536)
def _cached_syllables(text: str) -> tuple[str, ...]:
    """Given names repeat a lot (伟, 芳, 建国): an import of 10,000 workers reads each once."""
    result: list[str] = []
    for chunk in lazy_pinyin(text, style=Style.NORMAL, errors="default"):
        result.extend(_ASCII_WORD.findall(chunk.lower()))
    return tuple(s for s in result if s)


@functools.lru_cache(maxsize=4096)
def _cached_surname_readings(surname: str) -> tuple[tuple[str, ...], ...]:
    """A district has a few hundred surnames: an import of 10,000 workers reads each once."""
    readings: list[list[str]] = []

    def add(syllables: list[str]) -> None:
        if syllables and syllables not in readings:
            readings.append(syllables)

    if surname in COMPOUND_SURNAMES:
        add(list(COMPOUND_SURNAMES[surname]))
        add(_syllables(surname))
        add([syllable for char in surname for syllable in _syllables(char)])
        return tuple(tuple(r) for r in readings)
    known = SURNAME_READINGS.get(surname, ())
    for reading in known:
        add([reading])
    add(_syllables(surname))
    if not known and surname not in COMMON_SURNAMES:
        # A rare surname: every dictionary reading of the character may be meant.
        for reading in pinyin(surname, style=Style.NORMAL, heteronym=True)[0]:
            add(_ASCII_WORD.findall(reading.lower()))
    return tuple(tuple(r) for r in readings)


def search_keys(name: str) -> list[str]:
    """Distinct lower-case search keys: full pinyin and initials for each surname reading.

    ``单田芳`` → ``["shantianfang", "stf", "dantianfang", "dtf", …]``; at most :data:`MAX_KEYS`.
    """
    return _keys(*split_surname(name))[0]


def search_text(name: str) -> str:
    """All search keys joined by spaces, for storage in one column."""
    return " ".join(search_keys(name))


def pinyin_sort_key(name: str) -> str:
    """Syllables of the preferred reading separated by spaces (``shan tian fang``), so names
    sort syllable by syllable. Add the name itself as a secondary key to break ties."""
    return _keys(*split_surname(name))[1]


@functools.lru_cache(maxsize=65536)
def name_keys(name: str) -> tuple[str, str]:
    """``(search_text(name), pinyin_sort_key(name))`` in one pass, cached: what a worker record
    stores for a name."""
    keys, sort_key = _keys(*split_surname(name))
    return " ".join(keys), sort_key


def _keys(surname: str, given: str) -> tuple[list[str], str]:
    """The search keys and the sort key of a name split into surname and given name."""
    if not surname and not given:
        return [], ""
    given_syllables = _cached_syllables(given)
    given_full, given_initials = "".join(given_syllables), "".join(s[0] for s in given_syllables)
    readings = (_cached_surname_readings(surname) if surname else ()) or ((),)
    keys: list[str] = []
    for reading in readings:
        for key in ("".join(reading) + given_full, "".join(s[0] for s in reading) + given_initials):
            if key and key not in keys:
                keys.append(key)
        if len(keys) >= MAX_KEYS:
            break
    return keys[:MAX_KEYS], " ".join(readings[0] + given_syllables)


@functools.lru_cache(maxsize=8192)
def phrase_keys(text: str) -> tuple[str, str]:
    """``(search, sort)`` keys of a name that is not a person's (an enterprise, an occupation):
    each character read as pypinyin reads it in its phrase (银行 hang, 重庆 chong), no surname
    readings. ``search`` is the full pinyin and the initials separated by a space, for substring
    matching (``"shukongchegong skcg"``: ``chegong`` and ``cg`` both find 数控车工); ``sort`` the
    syllables separated by spaces, for pinyin order (``"shu kong che gong"``)."""
    syllables = _cached_syllables(normalise_text(text).lower())
    if not syllables:
        return "", ""
    full, initials = "".join(syllables), "".join(s[0] for s in syllables)
    return (full if full == initials else f"{full} {initials}"), " ".join(syllables)
