"""factory_boy factories of the registry; valid ID numbers and credit codes by construction."""

from __future__ import annotations

import datetime
import random

import factory

from talentpool.core.crypto import lookup_hash
from talentpool.rules import masking
from talentpool.rules.idnumber import compute_check_char
from talentpool.rules.names import pinyin_sort_key, search_text
from talentpool.rules.uscc import compute_uscc_check

from ..models import Certificate, Employment, Enterprise, Honour, Industry, Worker

_rng = random.Random(20261121)


def make_id_number(birth: datetime.date, *, male: bool = True, region: str = "330503", seq: int | None = None) -> str:
    if seq is None:
        seq = _rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + compute_check_char(first17)


_uscc_counter = iter(range(10_000_000, 99_999_999))


def make_uscc() -> str:
    first17 = f"91330503{next(_uscc_counter):08d}0"
    return first17 + compute_uscc_check(first17)


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("name",)

    name = "电梯"


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"南浔测试{n}号制造有限公司")
    uscc = factory.LazyFunction(make_uscc)
    industry = factory.SubFactory(IndustryFactory)
    ownership = "non_public"
    is_above_scale = True
    town = "南浔镇"


_birth_counter = iter(range(0, 1_000_000))


class WorkerFactory(factory.django.DjangoModelFactory):
    """A worker with a current employment at ``enterprise`` (pass ``enterprise=None`` for none)."""

    class Meta:
        model = Worker
        exclude = ("male", "enterprise")
        skip_postgeneration_save = True

    name = "张伟"
    male = True
    birth_date = factory.LazyFunction(
        lambda: datetime.date(1980, 1, 1) + datetime.timedelta(days=next(_birth_counter) % 6000)
    )
    id_number = factory.LazyAttribute(lambda o: make_id_number(o.birth_date, male=o.male))
    id_number_hash = factory.LazyAttribute(lambda o: lookup_hash(o.id_number))
    id_number_masked = factory.LazyAttribute(lambda o: masking.mask_id_number(o.id_number))
    name_search = factory.LazyAttribute(lambda o: search_text(o.name))
    name_sort = factory.LazyAttribute(lambda o: pinyin_sort_key(o.name))
    sex = factory.LazyAttribute(lambda o: "M" if o.male else "F")
    phone = "13812345678"
    phone_masked = "138****5678"
    education = "senior"
    retirement_category = factory.LazyAttribute(lambda o: "man" if o.male else "woman_50")
    is_frontline = True
    work_start_date = datetime.date(2005, 7, 1)
    skill_level = 3
    enterprise = factory.SubFactory(EnterpriseFactory)
    current_enterprise = factory.SelfAttribute("enterprise")

    @factory.post_generation
    def employment(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and self.current_enterprise_id:
            Employment.objects.create(worker=self, enterprise_id=self.current_enterprise_id,
                                      start_date=datetime.date(2010, 3, 1), position="操作工")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    worker = factory.SubFactory(WorkerFactory)
    number = factory.Sequence(lambda n: f"S0000330500{3:1d}{n:010d}"[:22])
    level = 3
    occupation_name = "车工"
    issuer = "湖州市南浔区人力资源和社会保障局"
    issued_on = datetime.date(2020, 6, 1)


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    worker = factory.SubFactory(WorkerFactory)
    name = "市技术能手"
    level = "city"
    awarded_on = datetime.date(2021, 5, 1)
