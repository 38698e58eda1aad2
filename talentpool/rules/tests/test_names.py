from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from talentpool.rules.names import (
    MAX_KEYS,
    MIDDLE_DOT,
    normalise_name,
    pinyin_sort_key,
    search_keys,
    search_text,
    split_surname,
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("慎建民", ["shenjianmin", "sjm"]),
        ("单田芳", ["shantianfang", "stf", "dantianfang", "dtf"]),
        ("曾志伟", ["zengzhiwei", "zzw", "cengzhiwei", "czw"]),
        ("解晓东", ["xiexiaodong", "xxd", "jiexiaodong", "jxd"]),
        ("乐嘉", ["yuejia", "yj", "lejia", "lj"]),
        ("覃明", ["qinming", "qm", "tanming", "tm"]),
        ("欧阳娜娜", ["ouyangnana", "oynn"]),
        ("尉迟恭", ["yuchigong", "ycg"]),
        ("单于乐", ["chanyule", "cyl", "danyule", "dyl"]),
        ("沈从文", ["shencongwen", "scw"]),
        ("吕布", ["lvbu", "lb"]),
        ("阿不都·热合曼", ["abudoureheman", "abdrhm"]),
    ],
)
def test_search_keys_start_with(name: str, expected: list[str]) -> None:
    keys = search_keys(name)
    assert keys[: len(expected)] == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("沈从文", ["shencongwen", "scw"]),
        ("欧阳娜娜", ["ouyangnana", "oynn"]),
        ("张", ["zhang", "z"]),
        # Common surnames read the common way only (方 is also pang/wang/feng, 王 also yu).
        ("方伟", ["fangwei", "fw"]),
        ("王伟", ["wangwei", "ww"]),
        ("能静", ["naijing", "nj", "nengjing"]),
        # A rare surname may be read any way the dictionary allows.
        ("隰朋", ["xipeng", "xp", "xiepeng"]),
        ("  张　三 ", ["zhangsan", "zs"]),
        ("", []),
        ("   ", []),
    ],
)
def test_search_keys_exact(name: str, expected: list[str]) -> None:
    assert search_keys(name) == expected


def test_search_text() -> None:
    assert search_text("单田芳") == "shantianfang stf dantianfang dtf"
    assert search_text("") == ""


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        ("慎建民", "慎", "建民"),
        ("欧阳娜娜", "欧阳", "娜娜"),
        ("欧阳", "欧", "阳"),
        ("司马光", "司马", "光"),
        ("Tom", "", "tom"),
    ],
)
def test_split_surname(name: str, surname: str, given: str) -> None:
    assert split_surname(name) == (surname, given)


def test_pinyin_sort_key() -> None:
    assert pinyin_sort_key("单田芳") == "shan tian fang"
    assert pinyin_sort_key("曾志伟") == "zeng zhi wei"
    assert pinyin_sort_key("欧阳娜娜") == "ou yang na na"
    names = ["赵六", "曾志伟", "李明", "李", "阿不都·热合曼", "林一"]
    assert sorted(names, key=pinyin_sort_key) == [
        "阿不都·热合曼",
        "李",
        "李明",
        "林一",
        "曾志伟",
        "赵六",
    ]


_han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@given(st.text(_han, min_size=1, max_size=4))
@example("丁甅")  # 甅 has no reading: the initials have one letter fewer than the name has characters
@settings(max_examples=150, deadline=None)
def test_keys_are_distinct_lower_ascii_and_capped(name: str) -> None:
    keys = search_keys(name)
    for key in keys:
        assert key.isascii()
    assume(len(keys) >= 2)  # a name of characters without any reading has no pinyin key
    assert 2 <= len(keys) <= MAX_KEYS or (len(name) == 1 and len(keys) >= 2)
    assert len(keys) == len(set(keys))
    for key in keys:
        assert key.isascii() and key == key.lower() and " " not in key and key
    # the first pair is full pinyin and its initials (one key when they coincide, e.g. 蛾 → "e")
    full = keys[0]
    readable = sum(1 for ch in name if search_keys(ch))
    initials = full if len(full) == readable else keys[1]
    assert len(initials) == readable and full.startswith(initials[0])
    assert search_text(name).split() == keys


def test_a_character_without_a_reading_gives_no_key() -> None:
    assert search_keys("烪") == []
    assert search_keys("烪建民") == ["jianmin", "jm"]


# normalise_name: one form of a name on every path -------------------------------------------

@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 李　测二 ", "李测二"),  # full-width spaces inside and around a Han name
        ("李 测 二", "李测二"),
        ("李\u200b测二", "李测二"),  # zero-width space
        ("欧阳\t娜娜", "欧阳娜娜"),
        ("阿不都·热合曼", "阿不都·热合曼"),
        ("阿不都・热合曼", "阿不都·热合曼"),  # katakana middle dot
        ("阿不都･热合曼", "阿不都·热合曼"),  # half-width katakana middle dot
        ("阿不都•热合曼", "阿不都·热合曼"),  # bullet
        ("阿不都‧热合曼", "阿不都·热合曼"),  # hyphenation point
        ("阿不都∙热合曼", "阿不都·热合曼"),  # bullet operator
        ("阿不都⋅热合曼", "阿不都·热合曼"),  # dot operator
        ("阿不都\u0387热合曼", "阿不都·热合曼"),  # Greek ano teleia
        ("阿不都.热合曼", "阿不都·热合曼"),  # a full stop between Han characters
        ("阿不都．热合曼", "阿不都·热合曼"),  # full-width full stop
        ("阿不都 · 热合曼", "阿不都·热合曼"),
        ("阿不都··热合曼", "阿不都·热合曼"),
        ("·阿不都·热合曼·", "阿不都·热合曼"),
        ("爱新觉罗·溥仪", "爱新觉罗·溥仪"),
        ("  Anna   Smith ", "Anna Smith"),  # Latin letters keep one inner space
        ("Ａｎｎａ　Ｓｍｉｔｈ", "Anna Smith"),  # full-width letters and space
        ("J. R. Smith", "J. R. Smith"),  # a full stop between Latin letters stays
        ("慎建民", "慎建民"),
        ("", ""),
        ("　", ""),
    ],
)
def test_normalise_name(raw: str, expected: str) -> None:
    assert normalise_name(raw) == expected


def test_the_middle_dot_is_u00b7() -> None:
    assert MIDDLE_DOT == "\u00b7" == normalise_name("阿不都・热合曼")[3]


_spaces = st.sampled_from([" ", "\u3000", "\t", "\u00a0", "\u200b", ""])
_dots = st.sampled_from(["\u00b7", "\u30fb", "\uff65", "\u2022", "\u2027", "\u2219", "\u22c5", "\u0387"])


@given(st.lists(st.tuples(st.text(_han, min_size=1, max_size=3), _spaces), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_spaces_inside_a_han_name_go(parts: list[tuple[str, str]]) -> None:
    name = "".join(chars for chars, _ in parts)
    spaced = "".join(chars + space for chars, space in parts)
    assert normalise_name(spaced) == name
    assert normalise_name(" " + spaced + "\u3000") == name
    assert search_keys(spaced) == search_keys(name)


@given(st.text(_han, min_size=1, max_size=4), st.text(_han, min_size=1, max_size=4), _dots, _spaces, _spaces)
@settings(max_examples=200, deadline=None)
def test_every_middle_dot_becomes_one(first: str, second: str, dot: str, before: str, after: str) -> None:
    assert normalise_name(first + before + dot + after + second) == first + MIDDLE_DOT + second


@given(st.text(max_size=20))
@settings(max_examples=300, deadline=None)
def test_normalise_name_is_idempotent_and_leaves_no_stray_space_or_dot(raw: str) -> None:
    name = normalise_name(raw)
    assert normalise_name(name) == name
    assert name == name.strip() and "  " not in name
    assert not name.startswith(MIDDLE_DOT) and not name.endswith(MIDDLE_DOT)
    assert not any(dot in name for dot in "\u30fb\uff65\u2022\u2027\u2219\u22c5\u0387")
    for i, char in enumerate(name):
        if char == " ":
            assert not (_is_han_or_dot(name[i - 1]) and _is_han_or_dot(name[i + 1]))


def _is_han_or_dot(char: str) -> bool:
    return char == MIDDLE_DOT or "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


@given(st.lists(st.text("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=6),
                min_size=1, max_size=4), st.sampled_from([" ", "  ", "\u3000", " \t "]))
@settings(max_examples=100, deadline=None)
def test_latin_names_keep_one_space_between_words(words: list[str], space: str) -> None:
    assert normalise_name(space.join(words)) == " ".join(words)
