"""What an import kind declares (``ImportKindSpec``) and where apps register theirs.

An app registers each kind in its ``AppConfig.ready()``::

    register_import_kind(ImportKindSpec(
        key="workers", label="职工（含任职）", columns=(...), match=WorkerValidator, write=write_workers,
        roles=(Role.ADMIN, Role.OPERATOR), order=20, has_mode=True, model=Worker,
        template=ImportTemplate(notes=("…",)),
    ))

The key is any string (core has no list of kinds); the upload page offers the kinds a user may
import (``allowed_kinds``), in ``order``. Dates are the columns declared ``is_date``: their values
are kept as ISO text between the check and the write, never guessed from a column's name or parser.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..registry import user_roles
from .cells import Cell

if TYPE_CHECKING:
    from django.db import models

    from .validate import Validator
    from .write import ImportWriter


class ImportMode(StrEnum):
    """What to do with a record that is already registered."""

    UPDATE = "update"
    REPORT = "report"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Chinese, as the template writes it
    parse: Callable[[Cell, str], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""
    choices: tuple[str, ...] = ()  # offered as a dropdown in the template
    is_text: bool = False  # formatted as text ('@') in the template so Excel keeps it as typed
    is_date: bool = False  # the parsed value is a date (kept as ISO text between the check and the write)
    # How the cell shows on screen and in messages when it is personal data (masked); such a cell's
    # parse is never memoised.
    mask: Callable[[Cell, str], str] | None = None
    width: int = 14

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class ImportTemplate:
    """The downloadable template's extras: the instructions sheet's notes, and dropdowns whose
    options are read when the template is downloaded (``{"industry": industry_names}``)."""

    notes: tuple[str, ...] = ()
    choices: Mapping[str, Callable[[], list[str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportKindSpec:
    key: str  # any string: "workers", "trainings" …
    label: str  # Chinese, shown on the pages and the template
    columns: tuple[Column, ...]
    # The validator class: checks each parsed row against the database and plans it (new, updated,
    # unchanged). It finds the records an update changes through ``Validator.matching``, which
    # locks them (SELECT … FOR UPDATE) while the import is written.
    match: type[Validator]
    write: type[ImportWriter]  # writes the plans of a valid outcome (its ``write``, inside one transaction)
    roles: tuple[str, ...]  # the roles that may import it (core.roles.Role values)
    allowed: Callable[[Any], bool] | None = None  # asked as well, e.g. an operator bound to an enterprise
    order: int = 100
    has_mode: bool = False  # whether "update or report existing" applies
    template: ImportTemplate = field(default_factory=ImportTemplate)
    model: type[models.Model] | None = None  # the records the plans change: labels their fields
    # Records the check makes that must stay even when nothing is written (refusals to audit):
    # called with the actor and ``Outcome.refusals`` after the check, outside its transaction.
    on_refusals: Callable[[Any, list[dict[str, Any]]], None] | None = None

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    @property
    def filename(self) -> str:
        return f"{self.label}导入模板.xlsx"

    @property
    def sheet_name(self) -> str:
        return self.label.split("（")[0]


# Registration -------------------------------------------------------------------------------

_kinds: dict[str, ImportKindSpec] = {}


def register_import_kind(*specs: ImportKindSpec) -> None:
    for spec in specs:
        if spec.key in _kinds and _kinds[spec.key] != spec:
            raise ValueError(f"import kind {spec.key!r} is registered twice")
        _kinds[spec.key] = spec


def unregister_import_kind(key: str) -> None:
    """For tests that register a kind of their own."""
    _kinds.pop(key, None)


def import_kinds() -> list[ImportKindSpec]:
    return sorted(_kinds.values(), key=lambda s: (s.order, s.key))


def import_kind(key: str) -> ImportKindSpec:
    """The registered kind ``key``; KeyError if there is none."""
    return _kinds[key]


def allowed_kinds(user: Any) -> list[ImportKindSpec]:
    """The kinds ``user`` may import, in their order."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    roles = user_roles(user)
    return [s for s in import_kinds() if roles & set(s.roles) and (s.allowed is None or s.allowed(user))]


def may_import(user: Any) -> bool:
    """Whether ``user`` may import any kind (the Import tab)."""
    return bool(allowed_kinds(user))


# Parsed values between the check and the write ------------------------------------------------


def dump_values(spec: ImportKindSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Parsed rows as JSON-ready dicts (the date columns' values as ISO text); see ``load_values``."""
    dates = {c.key for c in spec.columns if c.is_date}
    return [{k: (v.isoformat() if k in dates else v) for k, v in row.items()} for row in rows]


def load_values(spec: ImportKindSpec, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dates = {c.key for c in spec.columns if c.is_date}
    return [{k: (datetime.date.fromisoformat(v) if k in dates else v) for k, v in row.items()} for row in rows]
