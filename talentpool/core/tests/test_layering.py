"""The layers of the code base, checked on every module's imports (parsed with ``ast``, nothing is
imported): ``rules`` imports neither Django nor any app; ``core`` imports no domain app; an app
imports only the apps below it:

    rules ← core ← registry ← cultivation, titles ← selection ← portal, insights

Apps on one layer do not import each other. A new app declares its layer in ``LAYERS`` (an app
the checker does not know is itself a violation). Tests are exempt: they may build any app's data.
The project's wiring (settings, urls, wsgi, conftest) and the test-only packages import what they
wire. See docs/adding-an-app.md."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "talentpool"
ROOT = Path(__file__).resolve().parents[2]  # talentpool/

#: Bottom to top; an app may import the apps of lower layers only.
LAYERS: list[set[str]] = [
    {"rules"},
    {"core"},
    {"registry"},
    {"cultivation", "titles"},
    {"selection"},
    {"portal", "insights"},
]
#: Not apps: the project's wiring and test suites, which may import any app (nobody imports them).
WIRING = {"settings", "urls", "wsgi", "conftest", "api_fuzz", "browser_tests"}
#: Data packages any layer may use (Django's format modules, by dotted path from settings).
DATA = {"formats"}
FORBIDDEN_IN_RULES = ("django", "rest_framework", "django_filters", "django_tables2")


@dataclass(frozen=True, order=True)
class Violation:
    module: str
    line: int
    imported: str
    why: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.imported}: {self.why}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, *, is_package: bool) -> list[tuple[int, str]]:
    """``(line, dotted name)`` of every import in ``source``, relative ones resolved against ``module``."""
    found: list[tuple[int, str]] = []
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # ``from talentpool import registry`` imports the app itself
            names = [f"{target}.{alias.name}" for alias in node.names] if target == PACKAGE else [target]
            found += [(node.lineno, name) for name in names]
    return found


def layer_of(app: str) -> int | None:
    return next((i for i, layer in enumerate(LAYERS) if app in layer), None)


def is_test_module(module: str) -> bool:
    parts = module.split(".")
    return "tests" in parts or parts[-1].startswith(("test_", "conftest"))


def check(root: Path) -> list[Violation]:
    """Every layering violation of the package at ``root`` (a directory named like the package)."""
    violations: list[Violation] = []
    unknown: set[str] = set()
    package = root.name
    for path in sorted(root.rglob("*.py")):
        module = module_name(path, root)
        parts = module.split(".")
        if len(parts) < 2 or is_test_module(module):
            continue
        app = parts[1]
        if app in WIRING or "migrations" in parts:
            continue
        own = layer_of(app)
        if own is None and app not in DATA:
            if app not in unknown:  # once per app
                unknown.add(app)
                violations.append(Violation(module, 1, module, f"{app!r} is in no layer: declare it in LAYERS"))
            continue
        source = path.read_text(encoding="utf-8")
        for line, name in imports_of(source, module, is_package=path.name == "__init__.py"):
            top = name.split(".")
            if app == "rules" and top[0] in FORBIDDEN_IN_RULES:
                violations.append(Violation(module, line, name, "rules/ is pure Python: no Django"))
                continue
            if top[0] != package or len(top) < 2 or top[1] == app:
                continue
            other = top[1]
            if other in DATA:
                continue
            theirs = layer_of(other)
            if app == "rules":
                why = "rules/ imports no app"
            elif other in WIRING:
                why = f"{other!r} is the project's wiring, which no app imports"
            elif theirs is None:
                why = f"{other!r} is in no layer"
            elif own is not None and theirs >= own:
                why = (f"{app!r} and {other!r} are on one layer" if theirs == own
                       else f"{app!r} is below {other!r}: {other!r} may import {app!r}, not the reverse")
            else:
                continue
            violations.append(Violation(module, line, name, why))
    return sorted(violations)


def test_the_code_base_keeps_its_layers():
    violations = check(ROOT)
    assert [str(v) for v in violations] == []


def test_every_app_of_the_project_has_a_layer():
    from django.apps import apps

    ours = {config.name.split(".")[1] for config in apps.get_app_configs() if config.name.startswith(f"{PACKAGE}.")}
    assert ours <= set().union(*LAYERS), ours - set().union(*LAYERS)


# The checker itself, on a synthetic package ----------------------------------------------------


def write(root: Path, files: dict[str, str]) -> Path:
    package = root / PACKAGE
    for name, source in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    for directory in [package, *[p for p in package.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    return package


def test_rules_may_not_import_django_or_an_app(tmp_path):
    package = write(tmp_path, {
        "rules/text.py": "import re\nfrom . import names\nfrom .names import x\n",
        "rules/names.py": "x = 1\n",
        "rules/bad.py": "from django.utils import timezone\nimport django.db\nfrom talentpool.core import audit\n"
                        "from ..registry import models\n",
    })
    assert [(v.module, v.line, v.imported, v.why) for v in check(package)] == [
        ("talentpool.rules.bad", 1, "django.utils", "rules/ is pure Python: no Django"),
        ("talentpool.rules.bad", 2, "django.db", "rules/ is pure Python: no Django"),
        ("talentpool.rules.bad", 3, "talentpool.core", "rules/ imports no app"),
        ("talentpool.rules.bad", 4, "talentpool.registry", "rules/ imports no app"),
    ]


def test_core_may_not_import_a_domain_app(tmp_path):
    package = write(tmp_path, {
        "core/views.py": "from talentpool.rules import text\nfrom .models import User\nimport django\n",
        "core/lists.py": "from talentpool.registry.models import Worker\n",
        "core/sub/deep.py": "from ...registry import search\nfrom ...selection.models import Round\n",
        "core/tests/test_x.py": "from talentpool.registry.tests.factories import WorkerFactory\n",
        "registry/models.py": "from talentpool.core.models import User\nfrom talentpool.rules import idnumber\n",
    })
    assert [str(v) for v in check(package)] == [
        "talentpool.core.lists:1 imports talentpool.registry.models: "
        "'core' is below 'registry': 'registry' may import 'core', not the reverse",
        "talentpool.core.sub.deep:1 imports talentpool.registry: "
        "'core' is below 'registry': 'registry' may import 'core', not the reverse",
        "talentpool.core.sub.deep:2 imports talentpool.selection.models: "
        "'core' is below 'selection': 'selection' may import 'core', not the reverse",
    ]


def test_an_app_imports_only_apps_below_it(tmp_path):
    package = write(tmp_path, {
        "registry/services.py": "from talentpool.cultivation import models\n",
        "cultivation/models.py": "from talentpool.registry.models import Worker\nfrom talentpool import titles\n",
        "titles/models.py": "from talentpool.registry.models import Worker\n",
        "selection/services.py": "from talentpool.titles.models import Title\nfrom talentpool.cultivation import x\n"
                                 "from talentpool.portal import views\n",
        "portal/views.py": "from talentpool.selection import services\nfrom talentpool import settings\n",
        "noticeboard/views.py": "from talentpool.core import registry\n",
    })
    assert [(v.module, v.imported, v.why) for v in check(package)] == [
        ("talentpool.cultivation.models", "talentpool.titles", "'cultivation' and 'titles' are on one layer"),
        ("talentpool.noticeboard", "talentpool.noticeboard", "'noticeboard' is in no layer: declare it in LAYERS"),
        ("talentpool.portal.views", "talentpool.settings", "'settings' is the project's wiring, which no app imports"),
        ("talentpool.registry.services", "talentpool.cultivation",
         "'registry' is below 'cultivation': 'cultivation' may import 'registry', not the reverse"),
        ("talentpool.selection.services", "talentpool.portal",
         "'selection' is below 'portal': 'portal' may import 'selection', not the reverse"),
    ]


def test_relative_imports_resolve_from_their_package(tmp_path):
    package = write(tmp_path, {
        # ``..registry`` from core.imports is core's own registry module; ``...registry`` is the app
        "core/imports/__init__.py": "from ..registry import register_menu\nfrom ...registry import kinds\n",
        "core/imports/spec.py": "from .. import audit\nfrom ... import registry\nfrom . import cells\n",
    })
    assert [(v.module, v.line, v.imported) for v in check(package)] == [
        ("talentpool.core.imports", 2, "talentpool.registry"),
        ("talentpool.core.imports.spec", 2, "talentpool.registry"),
    ]


@pytest.mark.parametrize(("module", "expected"), [
    ("talentpool.core.tests.test_a", True), ("talentpool.registry.tests.factories", True),
    ("talentpool.conftest", True), ("talentpool.core.testing", False), ("talentpool.core.views", False)])
def test_tests_are_exempt(module, expected):
    assert is_test_module(module) is expected
