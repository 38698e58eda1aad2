"""The interface is Chinese first: every message has a translation, and the compiled catalogue
is the one Django loads."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "talentpool" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[tuple[str, str, bool]]:
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if not msgid:
            continue
        text = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', msgid.group(1)))
        if not text:
            continue
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        translated = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', msgstr.group(1))) if msgstr else ""
        entries.append((text, translated, "#, fuzzy" in block))
    return entries


def test_every_message_has_a_chinese_translation():
    entries = _entries()
    assert len(entries) > 200
    missing = [msgid for msgid, msgstr, fuzzy in entries if not msgstr or fuzzy]
    assert missing == []


def test_placeholders_survive_translation():
    broken = [
        msgid
        for msgid, msgstr, _ in entries_with_text()
        if sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(re.findall(r"%\(\w+\)s", msgstr))
    ]
    assert broken == []


def entries_with_text() -> list[tuple[str, str, bool]]:
    return [e for e in _entries() if e[1]]


def test_the_compiled_catalogue_is_loaded():
    with translation.override("zh-hans"):
        assert translation.gettext("Workers") == "职工"
        assert translation.gettext("Log in") == "登录"
    with translation.override("en"):
        assert translation.gettext("Workers") == "Workers"
