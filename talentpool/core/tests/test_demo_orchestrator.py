"""The demo orchestrator (core.demo): every app's steps in dependency order, each drawing from its
own random stream, so that another app's step leaves the registry's demo data byte-identical."""

from __future__ import annotations

import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from talentpool.core import demo
from talentpool.core.demo import DemoContext, DemoStep, in_order, registered_steps, step_seed
from talentpool.core.models import User
from talentpool.registry.models import Certificate, Employment, Enterprise, Honour, Worker

TODAY = date(2026, 11, 21)
SIZES = {"workers": 150, "enterprises": 20, "seed": 5, "today": TODAY}


def registry_digest() -> str:
    """Every registry row the demo writes, by its drawn values (names, ID hashes, dates, codes)."""
    rows = [
        list(Enterprise.objects.order_by("uscc").values_list("name", "uscc", "town", "address", "contact_name")),
        list(Worker.objects.order_by("id_number_hash").values_list(
            "name", "id_number_hash", "phone_masked", "birth_date", "skill_level", "education",
            "current_enterprise__uscc")),
        list(Employment.objects.order_by("worker__id_number_hash", "start_date").values_list(
            "worker__id_number_hash", "enterprise__uscc", "start_date", "end_date", "position")),
        list(Certificate.objects.order_by("number").values_list("number", "level", "issued_on", "issuer")),
        list(Honour.objects.order_by("worker__id_number_hash", "name").values_list(
            "worker__id_number_hash", "name", "awarded_on")),
        list(User.objects.order_by("username").values_list("username", "role", "enterprise__uscc",
                                                            "worker__id_number_hash")),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_registry_declares_its_steps_in_order():
    names = [step.name for step in in_order(registered_steps())]
    assert [n for n in names if n.startswith("registry.")] == [
        "registry.enterprises", "registry.workers", "registry.users"]


def test_each_step_gets_its_own_stream_from_the_seed_and_its_name():
    context = DemoContext(seed=5)
    assert context.rng("a.b").random() == context.rng("a.b").random()
    assert context.rng("a.b").random() != context.rng("a.c").random()
    assert DemoContext(seed=6).rng("a.b").random() != context.rng("a.b").random()
    assert step_seed(5, "registry.workers") == step_seed(5, "registry.workers") != step_seed(5, "registry.users")


def test_the_same_seed_gives_the_same_data(db):
    demo.load(**SIZES)
    first = registry_digest()
    demo.load(**SIZES, force=True)
    assert registry_digest() == first
    demo.load(**{**SIZES, "seed": 6}, force=True)
    assert registry_digest() != first


def test_another_apps_step_leaves_the_registry_data_identical(db):
    demo.load(**SIZES)
    before = registry_digest()
    drawn: list[float] = []

    def noticeboard(context: DemoContext) -> None:  # draws a lot, between the registry's steps
        drawn.extend(context.random.random() for _ in range(10_000))
        context.count("notices", 3)

    extra = DemoStep("noticeboard.notices", noticeboard, order=15, after=("registry.enterprises",))
    report = demo.load(**SIZES, force=True, steps=[*registered_steps(), extra])
    assert registry_digest() == before
    assert report.ran.index("noticeboard.notices") == report.ran.index("registry.enterprises") + 1
    assert report.counts["notices"] == 3 and len(drawn) == 10_000
    assert drawn[0] == DemoContext(seed=5).rng("noticeboard.notices").random()  # its own stream


def test_steps_run_after_the_steps_they_name_whatever_their_order():
    ran: list[str] = []

    def step(name: str, order: int, after: tuple[str, ...] = ()) -> DemoStep:
        return DemoStep(name, lambda context: ran.append(context.step), order=order, after=after)

    steps = [step("c.late", 1, after=("b.middle",)), step("b.middle", 5, after=("a.first",)), step("a.first", 9),
             step("d.free", 2)]
    assert [s.name for s in in_order(steps)] == ["d.free", "a.first", "b.middle", "c.late"]
    with pytest.raises(ValueError, match=r"runs after x\.missing, which is not declared"):
        in_order([step("a.one", 1, after=("x.missing",))])
    with pytest.raises(ValueError, match="wait for each other"):
        in_order([step("a.one", 1, after=("b.two",)), step("b.two", 2, after=("a.one",))])


def test_a_loaded_step_is_skipped_and_force_wipes_in_reverse_order(db):
    events: list[str] = []
    state = {"a": False, "b": False}

    def make(name: str) -> DemoStep:
        def run(context: DemoContext) -> None:
            events.append(f"run {name}")
            state[name] = True

        def wipe() -> None:
            events.append(f"wipe {name}")
            state[name] = False

        return DemoStep(f"t.{name}", run, order=ord(name), is_loaded=lambda: state[name], wipe=wipe)

    steps = [make("b"), make("a")]
    assert demo.load(steps=steps).ran == ["t.a", "t.b"]
    assert demo.is_loaded(steps) is True
    assert demo.load(steps=steps).created is False
    events.clear()
    assert demo.load(steps=steps, force=True).ran == ["t.a", "t.b"]
    assert events == ["wipe b", "wipe a", "run a", "run b"]


def test_load_demo_runs_the_registered_steps_and_prints_the_logins(db):
    out = StringIO()
    call_command("load_demo", workers=40, enterprises=15, seed=3, stdout=out)
    text = out.getvalue()
    assert "完成 / done: 15 enterprises, 40 workers," in text and ", 7 users" in text
    assert "operator2" in text and "密码 / password (all): Demo-2026-pass" in text
    assert "登录 / log in at http://127.0.0.1:8000/login/" in text
    assert [row.username for row in demo.demo_logins()] == [
        "admin", "leader", "finance", "operator", "operator2", "expert", "worker"]


def test_load_demo_imports_no_domain_app():
    import ast
    from pathlib import Path

    source = Path(demo.__file__).parent / "management" / "commands" / "load_demo.py"
    imported = {node.module for node in ast.walk(ast.parse(source.read_text())) if isinstance(node, ast.ImportFrom)}
    assert not {m for m in imported if m and m.startswith("talentpool.") and not m.startswith("talentpool.core")}
