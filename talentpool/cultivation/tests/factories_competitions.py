"""Factories of the competitions records."""

from __future__ import annotations

import datetime

import factory

from talentpool.cultivation.models import Competition, CompetitionEvent, Entry


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"职工技能运动会{n}")
    year = 2025
    level = "national"
    competition_class = "first"
    organiser = "全国总工会"


class CompetitionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitionEvent

    competition = factory.SubFactory(CompetitionFactory)
    code = factory.Sequence(lambda n: f"EV{n:04d}")
    name = "车工"
    held_on = datetime.date(2025, 5, 10)


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    event = factory.SubFactory(CompetitionEventFactory)
    worker = None
    enterprise = factory.LazyAttribute(lambda o: o.worker.current_enterprise)
