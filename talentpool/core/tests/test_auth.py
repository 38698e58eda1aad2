"""Logging in: Chinese by default, role start pages, lockout, password rules, session settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from talentpool.conftest import PASSWORD
from talentpool.core.models import AuditAction, AuditLog, LoginFailure

pytestmark = pytest.mark.django_db


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login/", {"username": username, "password": password})


def test_the_login_page_is_in_chinese_by_default(anonymous):
    response = anonymous.get("/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert settings.PROGRAMME_NAME in body
    assert 'name="username"' in body and 'name="password"' in body


@pytest.mark.parametrize(("persona", "target"), [
    ("admin_user", "/registry/workers/"),
    ("leader", "/registry/workers/"),
    ("operator_a", "/registry/my-enterprise/"),
    ("worker_user", "/registry/me/"),
])
def test_login_leads_each_role_to_its_start_page(request, anonymous, persona, target):
    user = request.getfixturevalue(persona)
    response = _login(anonymous, user.username, PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    response = anonymous.get("/", follow=True)
    assert response.redirect_chain[-1][0] == target
    assert response.status_code == 200
    log = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert log.actor == user


def test_an_expert_lands_on_the_home_page(anonymous, expert):
    assert _login(anonymous, "expert", PASSWORD).url == "/"
    response = anonymous.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "core/home_expert.html"


def test_login_honours_a_safe_next_and_ignores_an_external_one(anonymous, admin_user):
    response = anonymous.post("/login/?next=/registry/enterprises/", {"username": "admin", "password": PASSWORD})
    assert response.url == "/registry/enterprises/"
    other = Client()
    response = other.post("/login/?next=https://evil.example/", {"username": "admin", "password": PASSWORD})
    assert response.url == "/"


def test_a_wrong_password_is_refused_and_recorded(anonymous, operator_a):
    response = _login(anonymous, "operator_a", "wrong-password-1")
    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous.session
    assert LoginFailure.objects.filter(username="operator_a").count() == 1
    assert AuditLog.objects.get().action == AuditAction.LOGIN_FAILED
    assert "wrong-password-1" not in str(list(AuditLog.objects.values()))


def test_it_locks_the_account_after_five_failures_even_for_the_right_password(anonymous, operator_a):
    assert settings.LOGIN_FAILURE_LIMIT == 5
    for _ in range(5):
        _login(anonymous, "operator_a", "wrong-password-1")
    assert LoginFailure.objects.filter(username="operator_a").count() == 5
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    assert AuditLog.objects.filter(action=AuditAction.LOCKED, object_repr="operator_a").count() == 1

    response = _login(anonymous, "operator_a", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous.session
    errors = response.context["form"].non_field_errors().as_data()
    assert [e.code for e in errors] == ["locked"]
    assert str(settings.LOGIN_LOCKOUT_MINUTES) in response.content.decode()
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()


def test_the_lock_is_per_username_and_case_insensitive(anonymous, operator_a, operator_b):
    for _ in range(5):
        _login(anonymous, "OPERATOR_A", "wrong-password-1")
    assert _login(Client(), "operator_a", PASSWORD).status_code == 200  # still locked
    assert _login(Client(), "operator_b", PASSWORD).status_code == 302  # another user is not


def test_the_lock_expires_after_the_window(anonymous, operator_a):
    for _ in range(5):
        _login(anonymous, "operator_a", "wrong-password-1")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    response = _login(anonymous, "operator_a", PASSWORD)
    assert response.status_code == 302
    assert LoginFailure.objects.filter(username="operator_a").count() == 0


def test_a_successful_login_clears_earlier_failures(anonymous, operator_a):
    for _ in range(4):
        _login(anonymous, "operator_a", "wrong-password-1")
    assert _login(anonymous, "operator_a", PASSWORD).status_code == 302
    assert LoginFailure.objects.count() == 0
    other = Client()
    for _ in range(4):
        _login(other, "operator_a", "wrong-password-1")
    assert _login(Client(), "operator_a", PASSWORD).status_code == 302  # 4 new failures: not locked


def test_an_address_is_locked_after_five_times_the_limit(operator_a):
    client = Client(REMOTE_ADDR="10.0.0.9")
    for i in range(25):
        _login(client, f"nobody{i}", "wrong-password-1")
    assert _login(client, "operator_a", PASSWORD).status_code == 200
    assert _login(Client(REMOTE_ADDR="10.0.0.10"), "operator_a", PASSWORD).status_code == 302


@pytest.mark.parametrize("password", ["abcdefghij", "1234567890", "short1", "password123"])
def test_weak_passwords_are_refused(admin_user, password):
    with pytest.raises(ValidationError):
        validate_password(password, admin_user)


def test_a_password_of_letters_and_digits_is_accepted(admin_user):
    assert validate_password("Demo-pass-2026", admin_user) is None


def test_the_letters_and_digits_rule_names_its_code():
    with pytest.raises(ValidationError) as info:
        validate_password("abcdefghijkl")
    assert "password_classes" in [e.code for e in info.value.error_list]


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_logout_is_a_post_and_ends_the_session(as_admin):
    response = as_admin.post("/logout/")
    assert response.status_code == 302 and response.url == "/login/"
    assert as_admin.get("/registry/workers/").status_code == 302


def test_the_language_switch_sets_english(anonymous):
    response = anonymous.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = anonymous.get("/login/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in" in body


def test_a_signed_in_user_switches_language_too(as_operator_a):
    response = as_operator_a.post("/i18n/setlang/", {"language": "en", "next": "/registry/my-enterprise/"})
    assert response.url == "/registry/my-enterprise/"
    assert '<html lang="en">' in as_operator_a.get("/registry/my-enterprise/").content.decode()
