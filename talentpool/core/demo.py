"""The demo orchestrator: each app declares the steps that fill a demo database, and
``manage.py load_demo`` runs them in order (see docs/adding-an-app.md).

An app declares, in its ``AppConfig.ready()``::

    register_demo_step(DemoStep("cultivation.trainings", run=make_trainings, order=40,
                                after=("registry.workers",), is_loaded=trainings_exist))

``run(context)`` writes the step's data. Every random choice it makes comes from
``context.random``, a ``random.Random`` of its own seeded from (the demo's seed, the step's name):
adding a step, or a whole app, leaves the data of every other step byte-identical, and the same
seed gives the same demo. The context also carries the shared sizes (``workers``,
``enterprises``), the day the demo is drawn on (``today``), the one password of every demo login,
``shared`` (what a step leaves for the steps after it), ``count(label, n)`` for the summary line
and ``progress(message)``.

Optional per step: ``is_loaded()`` (the step's data is there: a second ``load_demo`` skips it),
``wipe()`` (``--force`` deletes its data; steps are wiped in reverse order, so a later app's rows
go before the rows they refer to) and ``logins()`` (the demo logins it created, as ``DemoLogin``
rows, printed after a load and by ``load_demo --logins-only``).

Steps run by ``order``, then name; a step runs after the steps named in ``after`` whatever their
order (a missing one, or a cycle, is an error). All steps of a load run in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from random import Random
from typing import Any

from django.db import transaction
from django.utils import timezone

DEFAULT_SEED = 2018
DEMO_PASSWORD = "Demo-2026-pass"
SCALES: dict[str, int] = {"demo": 6_000, "district": 100_000}  # workers
DEFAULT_ENTERPRISES = 430


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    full_name: str
    organisation: str
    bound_to: str


def step_seed(seed: int, name: str) -> int:
    """The seed of a step's own random stream: from the demo's seed and the step's name only."""
    digest = hashlib.sha256(f"talentpool demo\x00{seed}\x00{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass
class DemoContext:
    seed: int = DEFAULT_SEED
    workers: int = SCALES["demo"]
    enterprises: int = DEFAULT_ENTERPRISES
    today: date = field(default_factory=timezone.localdate)
    password: str = DEMO_PASSWORD
    progress: Callable[[str], None] = field(default=lambda message: None)
    shared: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    step: str = ""
    random: Random = field(default_factory=Random)

    def rng(self, name: str) -> Random:
        """A fresh random stream for ``name`` (a step's name, or a part of one)."""
        return Random(step_seed(self.seed, name))

    def count(self, label: str, n: int) -> None:
        """Add ``n`` to the summary's ``label`` (e.g. ``count("workers", 6000)``)."""
        self.counts[label] = self.counts.get(label, 0) + n

    def summary(self) -> str:
        return ", ".join(f"{n:,} {label}" for label, n in self.counts.items())


@dataclass(frozen=True)
class DemoStep:
    name: str
    run: Callable[[DemoContext], None]
    order: int = 100
    after: tuple[str, ...] = ()
    is_loaded: Callable[[], bool] | None = None
    wipe: Callable[[], None] | None = None
    logins: Callable[[], list[DemoLogin]] | None = None


_steps: dict[str, DemoStep] = {}


def register_demo_step(step: DemoStep) -> None:
    if step.name in _steps and _steps[step.name] != step:
        raise ValueError(f"demo step {step.name!r} is declared twice")
    _steps[step.name] = step


def registered_steps() -> list[DemoStep]:
    return list(_steps.values())


def in_order(steps: Iterable[DemoStep]) -> list[DemoStep]:
    """``steps`` by (order, name), each after the steps it names in ``after``."""
    by_name = {step.name: step for step in steps}
    for step in by_name.values():
        missing = [name for name in step.after if name not in by_name]
        if missing:
            raise ValueError(f"demo step {step.name!r} runs after {', '.join(missing)}, which is not declared")
    done: list[DemoStep] = []
    placed: set[str] = set()
    waiting = sorted(by_name.values(), key=lambda s: (s.order, s.name))
    while waiting:
        ready = next((s for s in waiting if set(s.after) <= placed), None)
        if ready is None:
            raise ValueError(f"demo steps wait for each other: {', '.join(s.name for s in waiting)}")
        waiting.remove(ready)
        done.append(ready)
        placed.add(ready.name)
    return done


@dataclass
class DemoReport:
    created: bool
    ran: list[str]
    counts: dict[str, int]
    summary: str


def is_loaded(steps: Iterable[DemoStep] | None = None) -> bool:
    """Every step that can tell says its data is there."""
    checks = [s.is_loaded for s in (registered_steps() if steps is None else steps) if s.is_loaded is not None]
    return bool(checks) and all(check() for check in checks)


@transaction.atomic
def load(
    *, seed: int = DEFAULT_SEED, workers: int = SCALES["demo"], enterprises: int = DEFAULT_ENTERPRISES,
    today: date | None = None, force: bool = False, progress: Callable[[str], None] | None = None,
    password: str = DEMO_PASSWORD, steps: Iterable[DemoStep] | None = None,
) -> DemoReport:
    """Run the demo steps (the registered ones, or ``steps``) in order, in one transaction. With
    ``force`` every step's data is wiped first (in reverse order) and every step runs; without it,
    the steps whose data is loaded are skipped (``created`` False when all were)."""
    ordered = in_order(registered_steps() if steps is None else steps)
    if force:
        for step in reversed(ordered):
            if step.wipe is not None:
                step.wipe()
        todo = ordered
    else:
        todo = [s for s in ordered if s.is_loaded is None or not s.is_loaded()]
    context = DemoContext(seed=seed, workers=max(1, workers), enterprises=enterprises,
                          today=today or timezone.localdate(), password=password,
                          progress=progress or (lambda message: None))
    for step in todo:
        context.step, context.random = step.name, context.rng(step.name)
        step.run(context)
    return DemoReport(created=bool(todo), ran=[s.name for s in todo], counts=context.counts,
                      summary=context.summary())


def demo_logins(steps: Iterable[DemoStep] | None = None) -> list[DemoLogin]:
    """The demo logins every step reports, in step order."""
    rows: list[DemoLogin] = []
    for step in in_order(registered_steps() if steps is None else steps):
        if step.logins is not None:
            rows += step.logins()
    return rows
