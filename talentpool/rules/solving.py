"""What the optimisers in ``rules`` (reviewer assignment, tier allocation) share.

Pure: no Django, no database."""

from __future__ import annotations

__all__ = ["Infeasible"]


class Infeasible(ValueError):
    """No solution satisfies every constraint. The message (Chinese first, for the admin's screen)
    names the items, experts or constraints that make it so and, where one exists, the relaxation
    that would restore feasibility."""
