"""The Excel import engine, for any app's records (see docs/adding-an-app.md).

An app declares its kinds (``register_import_kind(ImportKindSpec(...))``: columns and their
parsers, a validator that matches rows to records, a writer) and core does the rest: the upload
page and the template downloads (``views``), reading a possibly hostile workbook (``reader``),
parsing and checking every row (``validate``), the preview of what each row does and the error
workbook (``preview``, ``workbooks``), and one background job per import that checks, waits for
the confirmation and writes everything in one transaction, or nothing (``jobs``, ``write``).
"""

from __future__ import annotations

from .cells import MAX_ROWS, Cell, CellError, cell_text
from .spec import (
    Column,
    ImportKindSpec,
    ImportMode,
    ImportTemplate,
    allowed_kinds,
    import_kind,
    import_kinds,
    may_import,
    register_import_kind,
    unregister_import_kind,
)

__all__ = [
    "MAX_ROWS", "Cell", "CellError", "Column", "ImportKindSpec", "ImportMode", "ImportTemplate", "allowed_kinds",
    "cell_text", "import_kind", "import_kinds", "may_import", "register_import_kind", "unregister_import_kind",
]
