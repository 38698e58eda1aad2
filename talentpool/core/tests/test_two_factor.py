"""Two-factor sign-in: who must, enrolment with a QR code and one code, the code step after the
password (counted towards the lockout), recovery codes that work once, and an admin's reset."""

from __future__ import annotations

import re
import time

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentpool.conftest import PASSWORD, client_for
from talentpool.core import twofactor
from talentpool.core.models import AuditAction, AuditLog, User
from talentpool.core.roles import Role

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，该账号已锁定 15 分钟；请稍后再试，或联系管理员。"
WRONG_CODE = "验证码不正确。请输入验证器应用当前显示的验证码。"


def code_for(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the user's app shows (``steps_ahead`` 30-second steps later: a code not yet used)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits that none of the codes the device accepts now (one step either side) is."""
    accepted = {code_for(device, step) for step in (-1, 0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(0, 1_000_000, 137_137)) if c not in accepted)


def enrolled(user: User) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.start_enrolment(user, actor=user)
    codes = twofactor.confirm_enrolment(device, code_for(device), actor=user)
    assert codes is not None
    device.refresh_from_db()
    return device, codes


def password_step(username: str, next_url: str = "") -> Client:
    client = Client()
    response = client.post(
        f"/login/{'?next=' + next_url if next_url else ''}", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def signed_in_with_code(user: User) -> Client:
    """A session through both steps (the user enrolled first if need be)."""
    device = twofactor.confirmed_totp(user) or enrolled(user)[0]
    client = password_step(user.get_username())
    assert client.post("/login/code/", {"token": code_for(device, 1)}).status_code == 302
    return client


def _actions(action: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=action).order_by("id"))


@pytest.fixture
def required(settings):  # type: ignore[no-untyped-def]
    settings.REQUIRE_2FA = True


# --- who -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "extra", "expected"),
    [
        (Role.ADMIN, {}, True),
        (Role.LEADER, {"organisation": "区财政局"}, True),  # the demo's finance login is a leader
        (Role.LEADER, {"organisation": "区人社局"}, True),
        (Role.OPERATOR, {}, False),
        (Role.EXPERT, {}, False),
        (Role.ADMIN, {"is_active": False}, False),
    ],
)
def test_two_factor_is_for_admins_and_leaders(enterprise_a, role, extra, expected):
    if role == Role.OPERATOR:
        extra = {**extra, "enterprise": enterprise_a}
    user = User.objects.create_user(f"u-{role}-{len(extra)}", password=PASSWORD, role=role, **extra)
    assert twofactor.requires_two_factor(user) is expected


def test_a_superuser_needs_it_too(db):
    root = User.objects.create_superuser("root", password=PASSWORD, role=Role.WORKER)
    assert twofactor.requires_two_factor(root) is True


# --- enforcement off (the demo and the tests) --------------------------------------------------------


def test_without_the_requirement_an_admin_without_a_device_signs_in_with_the_password(admin_user):
    client = password_step("admin")
    assert client.get("/registry/workers/").status_code == 200
    assert _actions(AuditAction.LOGIN)[0].changes == {}


def test_with_the_requirement_an_operator_signs_in_with_the_password_only(required, operator_a):
    client = password_step("operator_a")
    assert client.get("/registry/my-enterprise/").status_code == 200
    assert client.get("/login/two-factor-setup/").status_code == 404
    assert not TOTPDevice.objects.exists()


# --- enrolment -----------------------------------------------------------------------------------


def test_with_the_requirement_an_admin_must_enrol_before_any_page(required, admin_user):
    client = Client()
    response = client.post("/login/?next=/registry/enterprises/", {"username": "admin", "password": PASSWORD})
    assert response.url == "/login/two-factor-setup/?next=%2Fregistry%2Fenterprises%2F"
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()  # not signed in yet
    for path in ("/", "/registry/workers/", "/api/workers/", "/core/audit/", "/django-admin/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/login/two-factor-setup/?next="), path
    assert client.post("/logout/").url == "/login/"


def test_the_enrolment_page_shows_a_qr_code_and_the_key_and_is_audited_once(required, admin_user):
    client = password_step("admin")
    body = client.get("/login/two-factor-setup/").content.decode()
    device = TOTPDevice.objects.get(user=admin_user)
    assert device.confirmed is False
    assert '<img src="data:image/svg+xml' in body
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', body).group(1)
    assert secret.replace(" ", "") == twofactor.secret_text(device).replace(" ", "")
    assert "设置两步验证" in body
    client.get("/login/two-factor-setup/")
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1
    [started] = _actions(AuditAction.TWO_FACTOR_ENROLMENT)
    assert (started.actor, started.object_id, started.changes) == (admin_user, str(admin_user.pk), {"device": "totp"})


def test_a_wrong_enrolment_code_is_refused_counted_and_confirms_nothing(required, admin_user):
    client = password_step("admin")
    client.get("/login/two-factor-setup/")
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post("/login/two-factor-setup/", {"token": wrong_code(device)})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.exists()
    assert AccessAttempt.objects.get().failures_since_start == 1
    assert _actions(AuditAction.LOGIN_FAILED)[0].changes == {"step": "enrolment", "reason": "wrong_code"}
    assert client.get("/registry/workers/").status_code == 302


def test_the_right_enrolment_code_confirms_and_shows_ten_recovery_codes_once(required, admin_user):
    client = password_step("admin", "/registry/enterprises/")
    client.get("/login/two-factor-setup/?next=/registry/enterprises/")
    device = TOTPDevice.objects.get(user=admin_user)
    response = client.post("/login/two-factor-setup/", {"token": code_for(device), "next": "/registry/enterprises/"})
    assert response.status_code == 200
    body = response.content.decode()
    shown = re.findall(r'<li class="col">([a-z2-7]{4}-[a-z2-7]{4})</li>', body)
    stored = sorted(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True))
    assert len(shown) == 10 and sorted(c.replace("-", "") for c in shown) == stored
    assert 'href="/registry/enterprises/"' in body
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/registry/enterprises/").status_code == 200
    assert client.get("/login/two-factor-setup/").url == "/"  # done: the codes are not shown again
    [confirmed] = _actions(AuditAction.TWO_FACTOR_CONFIRMED)
    assert confirmed.changes == {"device": "totp", "recovery_codes": 10}
    assert _actions(AuditAction.LOGIN)[0].changes == {"second_factor": "enrolled"}
    assert not AccessAttempt.objects.exists()


# --- the code step -------------------------------------------------------------------------------


def test_an_enrolled_user_gives_a_code_after_the_password_even_when_not_required(admin_user):
    device, _ = enrolled(admin_user)
    client = Client()
    response = client.post("/login/?next=/registry/enterprises/", {"username": "admin", "password": PASSWORD})
    assert response.url == "/login/code/?next=%2Fregistry%2Fenterprises%2F"
    assert client.get("/registry/enterprises/").url == "/login/code/?next=%2Fregistry%2Fenterprises%2F"
    response = client.post("/login/code/", {"token": code_for(device, 1), "next": "/registry/enterprises/"})
    assert response.status_code == 302 and response.url == "/registry/enterprises/"
    assert client.get("/registry/enterprises/").status_code == 200
    assert _actions(AuditAction.LOGIN)[0].changes == {"second_factor": "totp"}


def test_a_wrong_code_is_refused_counted_and_audited(admin_user):
    device, _ = enrolled(admin_user)
    client = password_step("admin")
    response = client.post("/login/code/", {"token": wrong_code(device)})
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert AccessAttempt.objects.get(username="admin").failures_since_start == 1
    [failed] = _actions(AuditAction.LOGIN_FAILED)
    assert (failed.object_repr, failed.changes) == ("admin", {"step": "code", "reason": "wrong_code"})
    assert client.get("/registry/workers/").status_code == 302
    assert not _actions(AuditAction.LOGIN)


def test_a_code_is_accepted_once(admin_user):
    device, _ = enrolled(admin_user)
    code = code_for(device, 1)
    first = password_step("admin")
    assert first.post("/login/code/", {"token": code}).status_code == 302
    second = password_step("admin")
    response = second.post("/login/code/", {"token": code})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()


def test_five_wrong_codes_lock_the_account_and_end_the_session(admin_user):
    enrolled(admin_user)
    client = password_step("admin")
    for _ in range(4):
        assert WRONG_CODE in client.post("/login/code/", {"token": "abcdef"}).content.decode()
    response = client.post("/login/code/", {"token": "abcdef"})
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _actions(AuditAction.LOCKED)[0].changes == {"by": "account"}
    response = Client().post("/login/", {"username": "admin", "password": PASSWORD})
    assert response.status_code == 200 and LOCKED in response.content.decode()


def test_the_password_alone_does_not_reset_the_count_of_wrong_codes(admin_user):
    enrolled(admin_user)
    for _ in range(2):
        client = password_step("admin")
        for _ in range(2):
            client.post("/login/code/", {"token": "abcdef"})
    client = password_step("admin")
    assert AccessAttempt.objects.get(username="admin").failures_since_start == 4
    assert LOCKED in client.post("/login/code/", {"token": "abcdef"}).content.decode()


def test_a_locked_account_is_refused_at_the_code_step_even_with_the_right_code(admin_user):
    device, _ = enrolled(admin_user)
    client = password_step("admin")
    for i in range(5):
        Client().post("/login/", {"username": "admin", "password": f"wrong-password-{i}"})
    response = client.post("/login/code/", {"token": code_for(device, 1)})
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _actions(AuditAction.LOCKED)[-1].changes == {"attempt": "refused while locked", "by": "account"}
    assert not _actions(AuditAction.LOGIN)


def test_a_recovery_code_signs_in_once_and_is_audited(admin_user):
    _, codes = enrolled(admin_user)
    client = password_step("admin")
    response = client.post("/login/code/", {"token": f"{codes[3][:4].upper()}-{codes[3][4:]}"}, follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "还剩 9 个" in response.content.decode()
    [used] = _actions(AuditAction.RECOVERY_CODE_USED)
    assert (used.actor, used.changes) == (admin_user, {"remaining": 9})
    assert _actions(AuditAction.LOGIN)[0].changes == {"second_factor": "recovery code"}
    assert not StaticToken.objects.filter(token=codes[3]).exists()

    again = password_step("admin")
    response = again.post("/login/code/", {"token": codes[3]})
    assert response.status_code == 200 and WRONG_CODE in response.content.decode()
    assert len(_actions(AuditAction.RECOVERY_CODE_USED)) == 1


def test_logging_out_works_before_the_code(admin_user):
    enrolled(admin_user)
    client = password_step("admin")
    response = client.post("/logout/")
    assert response.url == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_django_admin_waits_for_the_code(admin_user):
    enrolled(admin_user)
    client = password_step("admin")
    assert client.get("/django-admin/").url == "/login/code/?next=%2Fdjango-admin%2F"


# --- reset ---------------------------------------------------------------------------------------


def test_an_admin_resets_a_users_two_factor_and_it_is_audited(required, admin_user, leader):
    enrolled(leader)
    client = signed_in_with_code(admin_user)
    page = client.get(f"/core/users/{leader.pk}/reset-2fa/")
    assert page.status_code == 200
    assert "重置两步验证" in page.content.decode()
    response = client.post(f"/core/users/{leader.pk}/reset-2fa/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticDevice.objects.filter(user=leader).exists()
    [reset] = _actions(AuditAction.TWO_FACTOR_RESET)
    assert (reset.actor, reset.object_id, reset.changes) == (admin_user, str(leader.pk), {"devices": 2})


def test_after_a_reset_the_users_session_must_enrol_again(required, admin_user, leader):
    device, _ = enrolled(leader)
    session = password_step("leader")
    assert session.post("/login/code/", {"token": code_for(device, 1)}).status_code == 302
    assert session.get("/registry/workers/").status_code == 200
    assert signed_in_with_code(admin_user).post(f"/core/users/{leader.pk}/reset-2fa/").status_code == 302
    response = session.get("/registry/workers/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/two-factor-setup/?next=%2Fregistry%2Fworkers%2F"


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker_user"])
def test_no_one_but_an_admin_may_reset_and_nothing_changes(request, admin_user, persona):
    enrolled(admin_user)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/core/users/{admin_user.pk}/reset-2fa/").status_code == 404
    assert client.post(f"/core/users/{admin_user.pk}/reset-2fa/").status_code == 404
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).count() == 1
    assert StaticToken.objects.filter(device__user=admin_user).count() == 10
    assert not _actions(AuditAction.TWO_FACTOR_RESET)


def test_resetting_an_unknown_user_is_404(as_admin):
    assert as_admin.post("/core/users/999999/reset-2fa/").status_code == 404
    assert not _actions(AuditAction.TWO_FACTOR_RESET)


def test_the_admin_user_list_links_to_the_reset(db):
    root = User.objects.create_superuser("root", password=PASSWORD, role=Role.ADMIN)
    body = client_for(root).get("/django-admin/core/user/").content.decode()
    assert f'href="/core/users/{root.pk}/reset-2fa/"' in body
