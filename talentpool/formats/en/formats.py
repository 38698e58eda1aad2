"""Display formats: the ones both languages share."""

from talentpool.formats.common import *  # noqa: F403
