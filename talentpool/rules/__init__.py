"""Pure domain rules of talentpool: no Django, no I/O.

Each module holds one rule family (ID numbers, credit codes, retirement, working days,
skill levels, text and date normalisation, pinyin search keys, masking). Every validation
error is a ``ValueError`` subclass whose message is Simplified Chinese, ready to show users.
"""
