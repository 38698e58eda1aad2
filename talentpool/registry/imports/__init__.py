"""Excel import of the registry (SPEC §3.1): enterprises, workers with their employment,
certificates and honours, through core's import engine (core.imports). The registry keeps what is
its own: each kind's columns and parsers (``schema``), its checks against the database
(``validate``), its writes (``write``); ``kinds`` registers them."""

from __future__ import annotations

from talentpool.core.imports import ImportKindSpec, import_kind

from .schema import ImportKind

__all__ = ["ImportKind", "spec_for"]


def spec_for(kind: str) -> ImportKindSpec:
    """The registered spec of one of the registry's kinds."""
    return import_kind(ImportKind(kind).value)
