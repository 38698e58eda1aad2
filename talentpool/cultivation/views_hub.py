"""The cultivation app's start page (培育): its kinds of record and this year's figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from talentpool.core.pages import require_roles
from talentpool.core.roles import Role


def home(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.LEADER, Role.OPERATOR)
    return render(request, "cultivation/home.html", {})
