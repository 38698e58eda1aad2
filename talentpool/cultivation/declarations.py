"""What the cultivation app declares into core's and the registry's registration points, one
function per kind of record (called once, from CultivationConfig.ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from talentpool.core.roles import Role

EVERYONE_BUT_WORKERS = (Role.ADMIN, Role.LEADER, Role.OPERATOR)


def declare_all() -> None:
    from talentpool.core.registry import register_audit_events, register_urls

    from . import events

    register_urls("cultivation/", "talentpool.cultivation.urls")
    register_audit_events(events.EVENTS)
    declare_hub()
    declare_training()
    declare_competitions()
    declare_innovations()
    declare_mentorship()
    declare_studios()
    declare_profile()
    declare_demo()


def declare_hub() -> None:
    """One tab, 培育, for the whole app: its pages carry a second row of tabs (cultivation/_subnav.html)."""
    from talentpool.core.registry import MenuItem, register_menu

    register_menu(
        MenuItem(
            key="cultivation",
            label=_("Cultivation"),
            url_name="cultivation:home",
            roles=EVERYONE_BUT_WORKERS,
            order=45,
            active_for=("cultivation:",),
        ),
    )


def declare_training() -> None:
    """Training (培训): the course catalogue, classes with their sessions and enrolments, the
    attendance import and the read-only API."""
    from talentpool.core.registry import register_api

    from . import api_training
    from .imports import training as training_imports
    from .subnav import Tab, add_tab

    add_tab(Tab("training", _("Training"), "cultivation:class_list", 10, (Role.LEADER, Role.OPERATOR)))
    add_tab(Tab("catalogue", _("Course catalogue"), "cultivation:course_list", 11,
                (Role.LEADER, Role.OPERATOR, Role.WORKER)))
    add_tab(Tab("participations", _("Participations"), "cultivation:enrolment_list", 12,
                (Role.LEADER, Role.OPERATOR)))
    register_api("courses", api_training.CourseViewSet, basename="course")
    register_api("training-classes", api_training.TrainingClassViewSet, basename="training-class")
    register_api("enrolments", api_training.EnrolmentViewSet, basename="enrolment")
    training_imports.register()


def declare_competitions() -> None:
    """Competitions (岗位练兵, 职工技能运动会): competitions and their events, the entries (exported
    as "competition_entries"), for admins the promotions they propose and the rule table; the
    entries' Excel import and the read-only API."""
    from talentpool.core.imports import register_import_kind
    from talentpool.core.registry import AdminLink, register_admin_link, register_api

    from . import subnav
    from .api_competitions import CompetitionEventViewSet, CompetitionViewSet, EntryViewSet
    from .imports.competitions import ENTRIES

    subnav.add_tab(subnav.Tab("competitions", _("Competitions"), "cultivation:competition_list", 20,
                              (Role.LEADER, Role.OPERATOR)))
    subnav.add_tab(subnav.Tab("competition_entries", _("Competition entries"),
                              "cultivation:competition_entry_list", 21, (Role.LEADER, Role.OPERATOR, Role.WORKER)))
    subnav.add_tab(subnav.Tab("promotions", _("Promotion proposals"), "cultivation:promotion_list", 22, ()))
    subnav.add_tab(subnav.Tab("promotion_rules", _("Promotion rules"), "cultivation:promotion_rule_list", 23, ()))
    register_admin_link(
        AdminLink(key="cultivation.promotion_rules", label=_("Promotion rules"),
                  url_name="cultivation:promotion_rule_list", order=80,
                  description=_("Which competition results propose a skill-level promotion (破格晋升).")),
    )
    register_api("competitions", CompetitionViewSet, basename="competition")
    register_api("competition-events", CompetitionEventViewSet, basename="competition-event")
    register_api("entries", EntryViewSet, basename="competition-entry")
    register_import_kind(ENTRIES)


def declare_innovations() -> None:
    """Innovations ("五小"): the list (exported as "innovations"), the Excel import and the read-only API."""
    from talentpool.core.imports import register_import_kind
    from talentpool.core.registry import register_api

    from . import subnav
    from .api_innovations import InnovationViewSet
    from .imports.innovations import INNOVATIONS

    subnav.add_tab(subnav.Tab("innovations", _("Innovations (五小)"), "cultivation:innovation_list", 30,
                              (Role.LEADER, Role.OPERATOR, Role.WORKER)))
    register_api("innovations", InnovationViewSet, basename="innovation")
    register_import_kind(INNOVATIONS)


def declare_mentorship() -> None:
    from talentpool.core.imports import register_import_kind
    from talentpool.core.registry import register_api

    from . import subnav
    from .api_mentorship import MentorshipViewSet
    from .imports.mentorship import MENTORSHIPS

    subnav.add_tab(subnav.Tab("mentorship", _("Mentorship"), "cultivation:mentorship_list", 40,
                              (Role.LEADER, Role.OPERATOR)))
    register_api("mentorships", MentorshipViewSet, basename="mentorship")
    register_import_kind(MENTORSHIPS)


def declare_studios() -> None:
    """Innovation studios (创新工作室): the list (exported as "studios"), the Excel import and the read-only API."""
    from talentpool.core.imports import register_import_kind
    from talentpool.core.registry import register_api

    from . import subnav
    from .api_studios import StudioViewSet
    from .imports.studios import STUDIOS

    subnav.add_tab(subnav.Tab("studios", _("Innovation studios"), "cultivation:studio_list", 50,
                              (Role.LEADER, Role.OPERATOR)))
    register_api("studios", StudioViewSet, basename="studio")
    register_import_kind(STUDIOS)


def declare_profile() -> None:
    """The worker's profile (the registry's declared hook) shows their trainings, competitions,
    innovations, mentorship and studios."""
    from talentpool.registry.profile import register_profile_section

    from .profile import SECTIONS

    for section in SECTIONS:  # the same section again is a no-op (ready() may run again)
        register_profile_section(section)


def declare_demo() -> None:
    """The demo district's cultivation records (demo.py), after the registry's workers, before its users."""
    from . import demo

    demo.declare_demo_steps()
