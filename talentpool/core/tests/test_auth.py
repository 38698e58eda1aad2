"""Logging in: Chinese by default, role start pages, lockout (per account and per address, behind
trusted proxies), the Django admin behind the same login, password rules, session settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from talentpool.conftest import PASSWORD, client_for
from talentpool.core.middleware import client_ip
from talentpool.core.models import AuditAction, AuditLog, CalendarDay, User
from talentpool.core.roles import Role

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


@pytest.mark.parametrize(
    ("persona", "target"),
    [
        ("admin_user", "/registry/workers/"),
        ("leader", "/registry/workers/"),
        ("operator_a", "/registry/my-enterprise/"),
        ("worker_user", "/registry/me/"),
    ],
)
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


def _failures(**filters: object) -> int:
    return sum(AccessAttempt.objects.filter(**filters).values_list("failures_since_start", flat=True))


def _locked(response) -> bool:  # type: ignore[no-untyped-def]
    return "登录失败次数过多，该账号已锁定 15 分钟；请稍后再试，或联系管理员。" in response.content.decode()


def test_a_wrong_password_is_refused_counted_and_recorded_without_the_password(anonymous, operator_a):
    response = _login(anonymous, "operator_a", "wrong-password-1")
    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous.session
    assert _failures(username="operator_a", ip_address="127.0.0.1") == 1
    log = AuditLog.objects.get()
    assert (log.action, log.object_repr, log.changes, log.ip_address) == (
        AuditAction.LOGIN_FAILED,
        "operator_a",
        {"step": "password", "reason": "wrong_password"},
        "127.0.0.1",
    )
    assert "wrong-password-1" not in str(list(AuditLog.objects.values()))
    assert "wrong-password-1" not in str(list(AccessAttempt.objects.values()))


def test_it_locks_the_account_at_the_fifth_failure_even_for_the_right_password(anonymous, operator_a):
    assert settings.LOGIN_FAILURE_LIMIT == 5 and settings.LOGIN_LOCKOUT_MINUTES == 15
    for _ in range(4):
        assert not _locked(_login(anonymous, "operator_a", "wrong-password-1"))
    fifth = _login(anonymous, "operator_a", "wrong-password-1")
    assert fifth.status_code == 200 and _locked(fifth)
    assert AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).count() == 5
    assert list(AuditLog.objects.filter(action=AuditAction.LOCKED).values_list("object_repr", "changes")) == [
        ("operator_a", {"by": "account"})
    ]

    response = _login(anonymous, "operator_a", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in anonymous.session
    assert [e.code for e in response.context["form"].non_field_errors().as_data()] == ["locked"]
    assert _locked(response)
    assert not AuditLog.objects.filter(action=AuditAction.LOGIN).exists()
    refused = AuditLog.objects.filter(action=AuditAction.LOCKED).first()
    assert refused.changes == {"attempt": "refused while locked", "by": "account"}
    assert _failures(username="operator_a") == 5  # attempts refused while locked do not prolong the lock


def test_the_account_lock_holds_from_every_address_and_for_no_other_account(operator_a, operator_b):
    for i in range(5):
        _login(Client(REMOTE_ADDR=f"198.51.100.{i + 1}"), "operator_a", "wrong-password-1")
    assert _locked(_login(Client(REMOTE_ADDR="203.0.113.99"), "operator_a", PASSWORD))
    assert _login(Client(REMOTE_ADDR="198.51.100.1"), "operator_b", PASSWORD).status_code == 302


def test_the_lock_is_per_username_and_case_insensitive(anonymous, operator_a, operator_b):
    for _ in range(5):
        _login(anonymous, "OPERATOR_A", "wrong-password-1")
    assert _login(Client(), "operator_a", PASSWORD).status_code == 200  # still locked
    assert _login(Client(), "operator_b", PASSWORD).status_code == 302  # another user is not


def test_the_lock_expires_after_the_window(anonymous, operator_a):
    for _ in range(5):
        _login(anonymous, "operator_a", "wrong-password-1")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES + 1))
    response = _login(anonymous, "operator_a", PASSWORD)
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_a_successful_login_clears_earlier_failures(anonymous, operator_a):
    for _ in range(4):
        _login(anonymous, "operator_a", "wrong-password-1")
    assert _login(anonymous, "operator_a", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    other = Client()
    for _ in range(4):
        _login(other, "operator_a", "wrong-password-1")
    assert _login(Client(), "operator_a", PASSWORD).status_code == 302  # 4 new failures: not locked


def test_failures_for_many_accounts_lock_only_that_address_at_five_times_the_limit(operator_a, operator_b):
    """A password spray from one address: 24 failures for 24 accounts lock nothing; the 25th locks
    that address (for every account), and no other address."""
    assert settings.LOGIN_ADDRESS_FAILURE_LIMIT == 25
    sprayer = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(24):
        assert not _locked(_login(sprayer, f"nobody{i}", "wrong-password-1"))
    assert not AuditLog.objects.filter(action=AuditAction.LOCKED).exists()
    assert _locked(_login(sprayer, "nobody24", "wrong-password-1"))
    assert AuditLog.objects.get(action=AuditAction.LOCKED).changes == {"by": "address"}

    assert _locked(_login(Client(REMOTE_ADDR="198.51.100.9"), "operator_a", PASSWORD))
    assert _login(Client(REMOTE_ADDR="198.51.100.10"), "operator_a", PASSWORD).status_code == 302
    assert _login(Client(REMOTE_ADDR="198.51.100.10"), "operator_b", PASSWORD).status_code == 302


def _via_proxy(client_address: str, proxy: str = "10.1.0.1") -> Client:
    return Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=client_address)


def test_behind_the_trusted_proxy_a_spraying_client_does_not_lock_the_others(settings, operator_a):
    """Behind nginx every request comes from the proxy's address: the lock and the audit log must
    use the client's address the proxy reports."""
    settings.TRUSTED_PROXIES = ["10.1.0.1"]
    for i in range(25):
        _login(_via_proxy("203.0.113.5"), f"nobody{i}", "wrong-password-1")
    assert set(AuditLog.objects.filter(action=AuditAction.LOGIN_FAILED).values_list("ip_address", flat=True)) == {
        "203.0.113.5"
    }
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    assert _locked(_login(_via_proxy("203.0.113.5"), "operator_a", PASSWORD))

    response = _login(_via_proxy("198.51.100.7"), "operator_a", PASSWORD)
    assert response.status_code == 302
    assert AuditLog.objects.get(action=AuditAction.LOGIN).ip_address == "198.51.100.7"


def test_the_forwarded_address_is_ignored_from_an_address_that_is_not_a_trusted_proxy(settings, operator_a):
    settings.TRUSTED_PROXIES = ["10.1.0.1"]
    _login(_via_proxy("203.0.113.5", proxy="192.0.2.50"), "operator_a", "wrong-password-1")
    assert AuditLog.objects.get().ip_address == "192.0.2.50"
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.50"]


def test_without_trusted_proxies_the_forwarded_header_is_ignored(operator_a):
    assert settings.TRUSTED_PROXIES == []
    _login(_via_proxy("203.0.113.5", proxy="10.1.0.1"), "operator_a", "wrong-password-1")
    assert AuditLog.objects.get().ip_address == "10.1.0.1"


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("10.1.0.1", "203.0.113.5", "203.0.113.5"),
        ("10.1.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client wrote the left hop
        ("10.1.0.1", "203.0.113.5, 10.1.3.4", "203.0.113.5"),  # two proxies of the trusted network
        ("10.1.0.1", "10.1.3.4", "10.1.3.4"),  # every hop trusted: the farthest one
        ("10.1.0.1", "", "10.1.0.1"),
        ("10.1.0.1", "not-an-address", "10.1.0.1"),
        ("10.1.0.1", "203.0.113.5, garbage, 10.1.3.4", "10.1.3.4"),
        ("::ffff:10.1.0.1", "2001:db8::5", "2001:db8::5"),
        ("192.0.2.50", "203.0.113.5", "192.0.2.50"),
        ("", "203.0.113.5", None),
    ],
)
def test_client_ip_believes_only_the_hops_added_by_trusted_proxies(settings, rf, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.1.0.0/16"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- the Django admin --------------------------------------------------------------------------


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    return User.objects.create_superuser("root", password=PASSWORD, role=Role.ADMIN, full_name="root")


def test_the_django_admin_has_no_login_form_of_its_own(anonymous, operator_a):
    response = anonymous.get("/django-admin/login/?next=/django-admin/core/calendarday/")
    assert response.status_code == 302
    assert response.url == "/login/?next=/django-admin/core/calendarday/"
    response = anonymous.post("/django-admin/login/", {"username": "operator_a", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/login/?next=/django-admin/"
    assert "_auth_user_id" not in anonymous.session


def test_the_django_admin_sends_anonymous_users_to_our_login(anonymous):
    response = anonymous.get("/django-admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=/django-admin/"
    assert response.templates[0].name == "core/login.html"


def test_the_django_admin_login_is_locked_like_every_login(anonymous, superuser):
    for _ in range(5):
        anonymous.post("/login/?next=/django-admin/", {"username": "root", "password": "wrong-password-1"})
    response = anonymous.post("/login/?next=/django-admin/", {"username": "root", "password": PASSWORD})
    assert _locked(response) and "_auth_user_id" not in anonymous.session
    assert anonymous.get("/django-admin/").status_code == 302


def test_signing_in_for_the_django_admin_is_audited(anonymous, superuser):
    response = anonymous.post("/login/?next=/django-admin/", {"username": "root", "password": PASSWORD})
    assert response.url == "/django-admin/"
    assert anonymous.get("/django-admin/").status_code == 200
    assert AuditLog.objects.get(action=AuditAction.LOGIN).actor == superuser


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker_user"])
def test_the_django_admin_is_out_of_scope_for_other_roles(request, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/django-admin/", follow=True).status_code == 404
    assert client.get("/django-admin/core/calendarday/", follow=True).status_code == 404


def test_a_programme_admin_who_is_not_staff_cannot_enter_the_django_admin(admin_user):
    admin_user.is_staff = False
    admin_user.save()
    assert client_for(admin_user).get("/django-admin/", follow=True).status_code == 404


def test_changes_made_in_the_django_admin_are_audited(superuser):
    client = client_for(superuser)
    response = client.post("/django-admin/core/calendarday/add/", {"day": "2031-01-01", "note": "元旦"})
    assert response.status_code == 302
    day = CalendarDay.objects.get(day="2031-01-01")
    created = AuditLog.objects.get(action=AuditAction.CREATE)
    assert (created.actor, created.content_type.model, created.object_id) == (superuser, "calendarday", str(day.pk))
    assert created.changes == {"django_admin": [{"added": {}}]}
    assert created.ip_address == "127.0.0.1"

    client.post(
        f"/django-admin/core/calendarday/{day.pk}/change/",
        {"day": "2031-01-01", "note": "元旦假期", "is_workday": "on"},
    )
    changed = AuditLog.objects.get(action=AuditAction.UPDATE)
    assert changed.object_id == str(day.pk)
    assert changed.changes == {"django_admin": [{"changed": {"fields": ["Working day", "Note"]}}]}

    client.post(f"/django-admin/core/calendarday/{day.pk}/delete/", {"post": "yes"})
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    deleted = AuditLog.objects.get(action=AuditAction.DELETE)
    assert (deleted.actor, deleted.object_id, deleted.object_repr) == (superuser, str(day.pk), "2031-01-01 元旦假期")


def test_bulk_deletions_in_the_django_admin_are_audited_one_by_one(superuser):
    days = [CalendarDay.objects.create(day=f"2031-02-0{i}", is_workday=True) for i in (1, 2)]
    client_for(superuser).post(
        "/django-admin/core/calendarday/",
        {
            "action": "delete_selected",
            "_selected_action": [d.pk for d in days],
            "post": "yes",
        },
    )
    assert not CalendarDay.objects.filter(pk__in=[d.pk for d in days]).exists()
    assert sorted(AuditLog.objects.filter(action=AuditAction.DELETE).values_list("object_id", flat=True)) == sorted(
        str(d.pk) for d in days
    )


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


def test_authenticating_without_a_request_checks_the_password_only(operator_a):
    """A management command or the shell has no client to lock; every web sign-in has a request."""
    from django.contrib.auth import authenticate

    for _ in range(5):
        _login(Client(), "operator_a", "wrong-password-1")
    assert authenticate(username="operator_a", password=PASSWORD) == operator_a
    assert authenticate(username="operator_a", password="wrong-password-1") is None
    assert _locked(_login(Client(), "operator_a", PASSWORD))
