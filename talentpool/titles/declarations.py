"""What the titles app declares into core's and the registry's registration points (called
once, from TitlesConfig.ready())."""

from __future__ import annotations


def declare_all() -> None:
    from talentpool.core.registry import register_audit_events

    from . import events

    register_audit_events(events.EVENTS)
