"""What the portal declares into core's registration points (called once, from PortalConfig.ready())."""

from __future__ import annotations


def declare_all() -> None:
    from talentpool.core.registry import register_urls

    # At the site's root: certificates' QR codes link to /verify/<number>/ (titles.verification).
    register_urls("", "talentpool.portal.urls")
