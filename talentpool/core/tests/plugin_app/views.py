from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from talentpool.core.pages import require_roles
from talentpool.core.roles import Role

from . import notices


def board(request: HttpRequest) -> HttpResponse:
    require_roles(request, Role.EXPERT, Role.LEADER)
    if request.method == "POST" and request.POST.get("title", "").strip():
        notices.post(request.POST["title"].strip(), actor=request.user)
        return redirect("noticeboard:board")
    return render(request, "noticeboard/board.html", {"notices": notices.NOTICES})
