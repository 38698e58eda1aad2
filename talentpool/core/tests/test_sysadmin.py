"""系统管理: accounts, the user's own password, signed-in sessions, the login log, the working-day
calendar and the programme settings, run by the admin in the app. Admins only (404 for everyone
else), every change audited, every refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from talentpool.conftest import PASSWORD, client_for
from talentpool.core import programme
from talentpool.core import registry as core_registry
from talentpool.core.accounts import deactivate, describe_user_agent
from talentpool.core.exceptions import ServiceError
from talentpool.core.models import AuditLog, CalendarDay, CalendarYear, HonourTier, ProgrammeSettings, User, UserSession
from talentpool.core.registry import admin_links, menu_for
from talentpool.core.roles import Role

pytestmark = pytest.mark.django_db

TEMPORARY = "Temp-pass-2031"
NEW_PASSWORD = "Own-pass-2032x"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
)

GET_PAGES = [
    "/system/",
    "/system/accounts/",
    "/system/accounts/new/",
    "/system/accounts/worker-choices/",
    "/system/sessions/",
    "/system/login-log/",
    "/system/calendar/",
    "/system/calendar/new/",
    "/system/settings/",
]


@pytest.fixture(autouse=True)
def _fresh_programme_cache():  # type: ignore[no-untyped-def]
    programme.clear_cache()
    yield
    programme.clear_cache()


@pytest.fixture
def finance(db):  # type: ignore[no-untyped-def]
    return User.objects.create_user("finance", password=PASSWORD, role=Role.FINANCE, organisation="区财政局")


def _events(name: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(action=name).order_by("id"))


def _sign_in(username: str, password: str = PASSWORD, **headers: str) -> Client:
    """A client signed in through the login page (so its session is recorded as signed in)."""
    client = Client(**headers)
    response = client.post("/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


# Who may open the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker_user", "finance"])
def test_every_page_is_not_found_for_everyone_but_admins(request, persona, admin_user):
    client = client_for(request.getfixturevalue(persona))
    day = CalendarDay.objects.order_by("pk").first()
    for url in [*GET_PAGES, f"/system/accounts/{admin_user.pk}/", f"/system/accounts/{admin_user.pk}/password/",
                f"/system/calendar/{day.pk}/"]:
        assert client.get(url).status_code == 404, url
    before = AuditLog.objects.count()
    for url in [f"/system/accounts/{admin_user.pk}/active/", f"/system/calendar/{day.pk}/delete/",
                "/system/calendar/year/2031/", "/system/sessions/1/sign-out/", "/system/accounts/new/"]:
        assert client.post(url, {"active": "0", "complete": "1"}).status_code == 404, url
    assert User.objects.get(pk=admin_user.pk).is_active
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditLog.objects.count() == before


def test_anonymous_visitors_are_sent_to_the_login_page(anonymous):
    response = anonymous.get("/system/accounts/")
    assert response.status_code == 302 and response.url == "/login/?next=/system/accounts/"


def test_the_admin_sees_the_system_tab_and_every_page(as_admin, admin_user):
    assert "core.sysadmin" in [item.key for item in menu_for(admin_user)]
    response = as_admin.get("/system/")
    assert response.status_code == 200
    body = response.content.decode()
    for link in admin_links():
        assert f'data-admin-card="{link.key}"' in body
    for url in GET_PAGES[1:3] + GET_PAGES[4:]:
        response = as_admin.get(url)
        assert response.status_code == 200, url
        assert 'data-testid="sysadmin-nav"' in response.content.decode(), url


@pytest.mark.parametrize("persona", ["leader", "operator_a", "expert", "worker_user"])
def test_no_other_role_has_the_system_tab(request, persona):
    assert "core.sysadmin" not in [item.key for item in menu_for(request.getfixturevalue(persona))]


# Accounts -----------------------------------------------------------------------------------------


def _create(client: Client, **fields: object):  # type: ignore[no-untyped-def]
    data = {"username": "op_new", "full_name": "新经办人", "role": Role.OPERATOR, "organisation": "",
            "password1": TEMPORARY, "password2": TEMPORARY, **fields}
    return client.post("/system/accounts/new/", data)


def test_an_admin_creates_an_operator_who_signs_in_changes_the_password_and_sees_only_their_enterprise(
    as_admin, admin_user, enterprise_a, enterprise_b, worker_a, worker_b
):
    response = _create(as_admin, enterprise=enterprise_a.pk)
    user = User.objects.get(username="op_new")
    assert response.status_code == 302 and response.url == f"/system/accounts/{user.pk}/"
    assert (user.role, user.enterprise, user.full_name, user.must_change_password, user.is_active) == (
        Role.OPERATOR, enterprise_a, "新经办人", True, True)
    assert user.check_password(TEMPORARY)
    [created] = _events("account.create")
    assert (created.actor, created.object_id, created.object_repr) == (admin_user, str(user.pk), "新经办人")
    assert created.changes == {
        "username": [None, "op_new"], "full_name": [None, "新经办人"], "role": [None, "operator"],
        "enterprise": [None, enterprise_a.name], "organisation": [None, ""],
        "is_active": [None, True],
    }
    assert TEMPORARY not in str(created.changes)

    operator = Client()
    assert operator.login(username="op_new", password=TEMPORARY)
    response = operator.get("/registry/my-enterprise/")
    assert response.status_code == 302
    assert response.url == "/core/password/?next=%2Fregistry%2Fmy-enterprise%2F"
    page = operator.get(response.url)
    assert "您的密码由管理员设置。请先设置您自己的密码再继续。" in page.content.decode()
    response = operator.post("/core/password/?next=/registry/my-enterprise/", {
        "old_password": TEMPORARY, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
        "next": "/registry/my-enterprise/"})
    assert response.status_code == 302 and response.url == "/registry/my-enterprise/"
    user.refresh_from_db()
    assert user.must_change_password is False and user.check_password(NEW_PASSWORD)
    assert _events("account.password_change")[0].changes == {"was_temporary": True, "sessions_ended": 0}

    home = operator.get("/registry/my-enterprise/")
    assert home.status_code == 200 and enterprise_a.name in home.content.decode()
    listed = operator.get("/registry/enterprises/")
    assert [e.name for e in listed.context["table"].data] == [enterprise_a.name]
    assert operator.get(f"/registry/workers/{worker_b.pk}/").status_code == 404
    assert operator.get(f"/registry/workers/{worker_a.pk}/").status_code == 200


def test_an_operator_without_an_enterprise_is_refused_and_nothing_is_created(as_admin):
    response = _create(as_admin)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["企业经办人必须绑定一家企业。"]
    assert not User.objects.filter(username="op_new").exists()
    assert not _events("account.create")


def test_a_weak_or_mistyped_temporary_password_is_refused(as_admin, enterprise_a):
    response = _create(as_admin, enterprise=enterprise_a.pk, password1="abcdefghijkl", password2="abcdefghijkl")
    assert response.context["form"].errors["password2"] == ["密码必须同时包含字母和数字。"]
    response = _create(as_admin, enterprise=enterprise_a.pk, password2=TEMPORARY + "x")
    assert response.context["form"].errors["password2"] == ["两次输入的密码不一致。"]
    assert not User.objects.filter(username="op_new").exists()


def test_a_username_is_taken_whatever_its_case(as_admin, operator_a, enterprise_a):
    response = _create(as_admin, username="OPERATOR_A", enterprise=enterprise_a.pk)
    assert response.context["form"].errors["username"] == ["用户名 OPERATOR_A 已被使用。"]
    assert User.objects.filter(username__iexact="operator_a").count() == 1


@pytest.mark.parametrize(
    ("role", "organisation"),
    [(Role.LEADER, "区人社局"), (Role.FINANCE, "区财政局"), (Role.EXPERT, "湖州职业技术学院"), (Role.ADMIN, "")],
)
def test_an_admin_creates_leaders_finance_experts_and_admins(as_admin, enterprise_a, role, organisation):
    # an enterprise chosen by mistake is not kept for any role but an operator
    response = _create(as_admin, username="new_user", role=role, organisation=organisation, enterprise=enterprise_a.pk)
    assert response.status_code == 302
    user = User.objects.get(username="new_user")
    assert (user.role, user.organisation, user.enterprise_id, user.must_change_password) == (
        role, organisation, None, True)


def test_a_leader_needs_an_organisation(as_admin):
    response = _create(as_admin, username="new_leader", role=Role.LEADER)
    assert response.context["form"].non_field_errors() == ["请填写该账号所属的单位（如区人社局）。"]
    assert not User.objects.filter(username="new_leader").exists()


def test_a_worker_account_is_bound_to_a_worker_without_one(as_admin, enterprise_a, worker_a, worker_b):
    choices = as_admin.get(f"/system/accounts/worker-choices/?enterprise={enterprise_a.pk}").content.decode()
    assert f'<option value="{worker_a.pk}">慎建民（{worker_a.id_number_masked}）</option>' in choices
    assert f'value="{worker_b.pk}"' not in choices  # another enterprise's worker
    response = _create(as_admin, username="shen", role=Role.WORKER, enterprise=enterprise_a.pk, worker=worker_a.pk)
    assert response.status_code == 302
    user = User.objects.get(username="shen")
    assert (user.worker, user.enterprise_id) == (worker_a, None)
    choices = as_admin.get(f"/system/accounts/worker-choices/?enterprise={enterprise_a.pk}").content.decode()
    assert f'value="{worker_a.pk}"' not in choices  # has an account now

    response = _create(as_admin, username="shen2", role=Role.WORKER, enterprise=enterprise_a.pk)
    assert response.context["form"].non_field_errors() == ["职工账号必须绑定该职工的档案。"]
    assert not User.objects.filter(username="shen2").exists()


def test_with_a_picker_declared_the_enterprise_is_typed_or_picked(as_admin, monkeypatch, enterprise_a, worker_a):
    monkeypatch.setitem(core_registry._pickers, "registry.Enterprise", "registry:enterprise_search")
    page = as_admin.get("/system/accounts/new/").content.decode()
    assert 'data-typeahead="/registry/enterprises/search/"' in page
    assert '<select name="enterprise"' not in page
    choices = as_admin.get("/system/accounts/worker-choices/", {"enterprise": enterprise_a.name}).content.decode()
    assert f'value="{worker_a.pk}"' in choices  # the name typed without JavaScript

    response = _create(as_admin, enterprise="没有这家企业")
    assert response.context["form"].errors["enterprise"] == ["没有这个名称的企业：请输入企业全称，或从列表中选择。"]
    assert _create(as_admin, enterprise=enterprise_a.name).status_code == 302  # typed
    assert _create(as_admin, username="op_picked", enterprise=str(enterprise_a.pk)).status_code == 302  # picked
    assert list(User.objects.filter(username__startswith="op_").values_list("enterprise", flat=True)) == [
        enterprise_a.pk, enterprise_a.pk]


def test_the_account_list_filters_by_role_activity_and_text(as_admin, operator_a, operator_b, leader, expert):
    User.objects.filter(pk=operator_b.pk).update(is_active=False)

    def names(query: str) -> list[str]:
        response = as_admin.get(f"/system/accounts/?{query}")
        return [u.username for u in response.context["table"].paginated_rows.data]

    assert names("role=operator") == ["operator_a", "operator_b"]
    assert names("role=operator&is_active=true") == ["operator_a"]
    assert names("is_active=false") == ["operator_b"]
    assert names("q=人社") == ["leader"]
    assert names("q=久立") == ["operator_a"]  # the enterprise's name


@pytest.mark.parametrize("size", [3, 30])
def test_the_account_list_costs_the_same_queries_for_3_or_30_accounts(
    as_admin, enterprise_a, django_assert_num_queries, size
):
    for i in range(size):
        User.objects.create_user(f"op{i:02d}", role=Role.OPERATOR, enterprise=enterprise_a)
    as_admin.get("/system/accounts/")
    # session (5) + count + the page's rows with their enterprise and worker
    with django_assert_num_queries(7):
        response = as_admin.get("/system/accounts/?role=operator")
    assert response.context["table"].paginator.count == size


def test_editing_an_account_changes_its_role_and_binding_audited(as_admin, admin_user, operator_a, enterprise_b):
    signed_in = _sign_in("operator_a")
    response = as_admin.post(f"/system/accounts/{operator_a.pk}/", {
        "full_name": "钱晓红", "role": Role.OPERATOR, "enterprise": enterprise_b.pk, "organisation": ""})
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert (operator_a.full_name, operator_a.enterprise) == ("钱晓红", enterprise_b)
    [changed] = _events("account.update")
    assert changed.changes == {"full_name": ["operator_a", "钱晓红"],
                               "enterprise": ["浙江久立特材科技股份有限公司", enterprise_b.name]}
    assert signed_in.get("/registry/my-enterprise/").status_code == 200  # the role did not change

    as_admin.post(f"/system/accounts/{operator_a.pk}/", {
        "full_name": "钱晓红", "role": Role.EXPERT, "organisation": "湖州职业技术学院"})
    operator_a.refresh_from_db()
    assert (operator_a.role, operator_a.enterprise_id) == (Role.EXPERT, None)
    assert _events("account.update")[1].changes["sessions_ended"] == 1
    assert signed_in.get("/registry/my-enterprise/").url.startswith("/login/")


def test_an_admin_cannot_take_away_their_own_admin_role(as_admin, admin_user):
    response = as_admin.post(f"/system/accounts/{admin_user.pk}/", {
        "full_name": "admin", "role": Role.LEADER, "organisation": "区人社局"})
    assert response.context["form"].non_field_errors() == ["您不能取消自己的管理员角色。"]
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN
    assert not _events("account.update")


def test_a_password_reset_ends_the_sessions_and_forces_a_change(as_admin, admin_user, operator_a):
    signed_in = _sign_in("operator_a")
    response = as_admin.post(f"/system/accounts/{operator_a.pk}/password/",
                             {"password1": TEMPORARY, "password2": TEMPORARY})
    assert response.status_code == 302
    operator_a.refresh_from_db()
    assert operator_a.must_change_password and operator_a.check_password(TEMPORARY)
    [reset] = _events("account.password_reset")
    assert (reset.actor, reset.object_id, reset.changes) == (
        admin_user, str(operator_a.pk), {"must_change_password": True, "sessions_ended": 1})
    assert not UserSession.objects.filter(user=operator_a).exists()
    assert signed_in.get("/registry/my-enterprise/").url == "/login/?next=/registry/my-enterprise/"

    again = _sign_in("operator_a", TEMPORARY)
    assert again.get("/registry/workers/").url == "/core/password/?next=%2Fregistry%2Fworkers%2F"
    assert again.get("/core/password/").status_code == 200
    assert again.post("/logout/").status_code == 302  # logging out is always possible


def test_an_admin_resets_their_own_password_on_their_own_page(as_admin, admin_user):
    response = as_admin.post(f"/system/accounts/{admin_user.pk}/password/",
                             {"password1": TEMPORARY, "password2": TEMPORARY})
    assert response.context["form"].non_field_errors() == ["请在“修改密码”页面修改您自己的密码。"]
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD) and not admin_user.must_change_password


def test_deactivating_oneself_is_refused_and_changes_nothing(as_admin, admin_user):
    response = as_admin.post(f"/system/accounts/{admin_user.pk}/active/", {"active": "0"}, follow=True)
    assert _messages(response) == ["您不能停用自己的账号。"]
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert not _events("account.deactivate")


def test_the_last_active_admin_is_never_deactivated(admin_user):
    other = User.objects.create_user("admin2", password=PASSWORD, role=Role.ADMIN)
    deactivate(other, actor=admin_user)
    # ``other`` acting on a page it opened before it was deactivated: admin_user is the last one
    with pytest.raises(ServiceError, match=r"^admin 是最后一个启用的管理员：请先将另一个账号设为管理员。$"):
        deactivate(admin_user, actor=other)
    admin_user.refresh_from_db()
    assert admin_user.is_active
    assert len(_events("account.deactivate")) == 1


def test_deactivating_signs_the_user_out_everywhere_and_reactivating_lets_them_back(as_admin, admin_user, operator_a):
    first, second = _sign_in("operator_a"), _sign_in("operator_a")
    assert UserSession.objects.filter(user=operator_a).count() == 2
    response = as_admin.post(f"/system/accounts/{operator_a.pk}/active/", {"active": "0"}, follow=True)
    assert _messages(response) == ["账号 operator_a 已停用，并已在所有地方退出登录。"]
    operator_a.refresh_from_db()
    assert operator_a.is_active is False
    [event] = _events("account.deactivate")
    assert (event.actor, event.changes) == (admin_user, {"is_active": [True, False], "sessions_ended": 2})
    for client in (first, second):
        assert client.get("/registry/my-enterprise/").url == "/login/?next=/registry/my-enterprise/"
    assert not UserSession.objects.filter(user=operator_a).exists()
    assert Client().post("/login/", {"username": "operator_a", "password": PASSWORD}).status_code == 200

    as_admin.post(f"/system/accounts/{operator_a.pk}/active/", {"active": "1"})
    operator_a.refresh_from_db()
    assert operator_a.is_active
    assert _events("account.reactivate")[0].changes == {"is_active": [False, True]}
    _sign_in("operator_a")


# The user's own password ------------------------------------------------------------------------


def test_every_user_changes_their_own_password_and_stays_signed_in(operator_a):
    client, other = _sign_in("operator_a"), _sign_in("operator_a")
    page = client.get("/registry/my-enterprise/").content.decode()
    assert 'href="/core/password/" data-testid="current-user"' in page
    wrong = client.post("/core/password/", {"old_password": "nope-1234567", "new_password1": NEW_PASSWORD,
                                            "new_password2": NEW_PASSWORD})
    assert wrong.context["form"].errors["old_password"] == ["你的旧密码不正确。请重新输入。"]
    assert not _events("account.password_change")

    response = client.post("/core/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                               "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/registry/my-enterprise/").status_code == 200  # this session kept
    assert other.get("/registry/my-enterprise/").status_code == 302  # the other one ended
    [changed] = _events("account.password_change")
    assert (changed.actor, changed.changes) == (operator_a, {"was_temporary": False, "sessions_ended": 1})
    [row] = UserSession.objects.filter(user=operator_a)
    assert row.session_key == client.session.session_key  # the row followed the new session key


# Signed-in sessions --------------------------------------------------------------------------------


def test_the_sessions_page_lists_who_is_signed_in_and_a_forced_sign_out_ends_that_session(admin_user, operator_a):
    admin = _sign_in("admin")
    operator = _sign_in("operator_a", HTTP_USER_AGENT=CHROME, REMOTE_ADDR="198.51.100.7")
    stale = UserSession.objects.get(user=operator_a)
    response = admin.get("/system/sessions/")
    rows = {s.user.username: s for s in response.context["table"].data}
    assert set(rows) == {"admin", "operator_a"}
    body = response.content.decode()
    assert "Chrome 131 · Windows" in body and "198.51.100.7" in body
    assert body.count('data-testid="own-session"') == 1
    assert stale.session_key not in body  # a session key is a credential: never on a page

    response = admin.post(f"/system/sessions/{rows['operator_a'].pk}/sign-out/", follow=True)
    assert _messages(response) == ["operator_a 的该会话已被强制退出。"]
    assert operator.get("/registry/my-enterprise/").url == "/login/?next=/registry/my-enterprise/"
    assert not Session.objects.filter(session_key=stale.session_key).exists()
    [event] = _events("auth.session.sign_out")
    assert (event.actor, event.object_id) == (admin_user, str(operator_a.pk))
    assert event.changes == {"signed_in_at": stale.signed_in_at.isoformat(), "ip_address": "198.51.100.7",
                             "browser": "Chrome 131 · Windows"}
    assert stale.session_key not in str(event.changes)


def test_an_admin_cannot_force_out_their_own_current_session(admin_user):
    admin = _sign_in("admin")
    own = UserSession.objects.get(user=admin_user)
    response = admin.post(f"/system/sessions/{own.pk}/sign-out/", follow=True)
    assert _messages(response) == ["这是您当前的会话：请用“退出”结束。"]
    assert UserSession.objects.filter(pk=own.pk).exists()
    assert admin.get("/system/sessions/").status_code == 200
    assert not _events("auth.session.sign_out")


def test_expired_and_logged_out_sessions_are_not_listed(admin_user, operator_a, leader):
    admin = _sign_in("admin")
    expired, leaving = _sign_in("operator_a"), _sign_in("leader")
    yesterday = timezone.now() - timedelta(days=1)
    Session.objects.filter(session_key=expired.session.session_key).update(expire_date=yesterday)
    leaving.post("/logout/")
    response = admin.get("/system/sessions/")
    assert [s.user.username for s in response.context["table"].data] == ["admin"]
    assert list(UserSession.objects.values_list("user__username", flat=True)) == ["admin"]


def test_last_seen_is_refreshed_at_most_once_a_minute(operator_a, django_assert_num_queries):
    client = _sign_in("operator_a")
    row = UserSession.objects.get()
    client.get("/core/password/")
    assert UserSession.objects.get().last_seen == row.last_seen
    session = client.session
    session["talentpool_seen"] -= 61
    session.save()
    client.get("/core/password/")
    assert UserSession.objects.get().last_seen > row.last_seen


@pytest.mark.parametrize("size", [2, 12])
def test_the_sessions_page_costs_the_same_queries_for_2_or_12_sessions(admin_user, operator_a, size,
                                                                     django_assert_num_queries):
    admin = _sign_in("admin")
    for _ in range(size - 1):
        _sign_in("operator_a")
    admin.get("/system/sessions/")
    # session (5) + purge of ended rows + count + the page's rows with their users
    with django_assert_num_queries(8):
        response = admin.get("/system/sessions/")
    assert response.context["table"].paginator.count == size


# Login log -------------------------------------------------------------------------------------------


def test_the_login_log_shows_each_attempt_with_its_reason(as_admin, operator_a, operator_b):
    User.objects.filter(pk=operator_b.pk).update(is_active=False)
    Client(HTTP_USER_AGENT=CHROME).post("/login/", {"username": "operator_a", "password": "wrong-password-1"})
    Client().post("/login/", {"username": "nobody", "password": "wrong-password-1"})
    Client().post("/login/", {"username": "330503198501011234", "password": "wrong-password-1"})
    Client().post("/login/", {"username": "operator_b", "password": PASSWORD})
    _sign_in("operator_a", HTTP_USER_AGENT=CHROME)

    response = as_admin.get("/system/login-log/")
    rows = [[str(cell) for cell in row] for row in response.context["table"].paginated_rows]
    assert [row[1:] for row in rows] == [
        ["operator_a", '<span class="badge text-bg-success">登录成功</span>', "—", "127.0.0.1", "Chrome 131 · Windows"],
        ["operator_b", '<span class="badge text-bg-warning">失败</span>', "账号已停用", "127.0.0.1", "—"],
        ["330503********1234", '<span class="badge text-bg-warning">失败</span>', "用户不存在", "127.0.0.1", "—"],
        ["nobody", '<span class="badge text-bg-warning">失败</span>', "用户不存在", "127.0.0.1", "—"],
        ["operator_a", '<span class="badge text-bg-warning">失败</span>', "密码错误", "127.0.0.1",
         "Chrome 131 · Windows"],
    ]
    assert "330503198501011234" not in str(list(AuditLog.objects.values()))

    def users(query: str) -> list[str]:
        table = as_admin.get(f"/system/login-log/?{query}").context["table"]
        return [r.object_repr for r in table.paginated_rows.data]

    assert users("result=success") == ["operator_a"]
    assert users("result=failure&username=operator") == ["operator_b", "operator_a"]
    assert users("reason=unknown_user") == ["330503********1234", "nobody"]
    assert users("at_after=2000-01-01&at_before=2000-01-02") == []


def test_the_login_log_shows_locks_and_second_factor_failures(as_admin, operator_a):
    for _ in range(6):
        Client().post("/login/", {"username": "operator_a", "password": "wrong-password-1"})
    table = as_admin.get("/system/login-log/?result=locked").context["table"]
    assert [str(row.get_cell("reason")) for row in table.paginated_rows] == ["账号已锁定：尝试被拒绝", "账号已锁定"]


@pytest.mark.parametrize("size", [2, 20])
def test_the_login_log_costs_the_same_queries_for_2_or_20_records(as_admin, operator_a, size,
                                                                  django_assert_num_queries):
    for i in range(size):
        Client().post("/login/", {"username": f"nobody{i}", "password": "wrong-password-1"})
    as_admin.get("/system/login-log/")
    # session (5) + count + the page's rows
    with django_assert_num_queries(7):
        response = as_admin.get("/system/login-log/")
    assert response.context["table"].paginator.count == size


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (CHROME, "Chrome 131 · Windows"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.5 Mobile/15E148 Safari/604.1", "Safari 17 · iOS"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 "
         "Safari/537.36 Edg/120.0.2210.91", "Edge 120 · Windows"),
        ("Mozilla/5.0 (Linux; Android 13; V2229A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile "
         "Safari/537.36 MicroMessenger/8.0.47", "微信 8 · Android"),
        ("", ""),
    ],
)
def test_browsers_are_described_as_people_say_them(agent, described):
    assert describe_user_agent(agent) == described


# Working-day calendar --------------------------------------------------------------------------------


def _day(client: Client, day: str, kind: str, note: str = "", pk: int | None = None):  # type: ignore[no-untyped-def]
    url = f"/system/calendar/{pk}/" if pk else "/system/calendar/new/"
    return client.post(url, {"day": day, "kind": kind, "note": note})


def test_the_calendar_shows_a_year_and_takes_next_years_arrangement(as_admin, admin_user):
    response = as_admin.get("/system/calendar/?year=2025")
    assert [d.day for d in response.context["days"]][:2] == [date(2025, 1, 1), date(2025, 1, 26)]
    assert response.context["in_library"] is True

    assert _day(as_admin, "2031-01-01", "holiday", "元旦").status_code == 302  # Wednesday
    assert _day(as_admin, "2031-01-26", "makeup", "春节调休上班").status_code == 302  # Sunday
    assert list(CalendarDay.objects.filter(day__year=2031).values_list("day", "is_workday", "note")) == [
        (date(2031, 1, 1), False, "元旦"), (date(2031, 1, 26), True, "春节调休上班")]
    created = _events("calendar.day.create")
    assert created[0].changes == {"day": [None, "2031-01-01"], "is_workday": [None, False], "note": [None, "元旦"]}

    response = as_admin.post("/system/calendar/year/2031/", {"complete": "1"}, follow=True)
    assert _messages(response)[-1] == "2031 年的节假日安排已标记为录入完整：可以计算该年的工作日。"
    assert CalendarYear.objects.get(year=2031).is_complete
    assert _events("calendar.year.complete")[0].changes == {"is_complete": [False, True]}


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        ("2031-01-04", "holiday",
         "2031-01-04 是星期六或星期日，本来就是休息日：这里录入的节假日应落在工作日（周一至周五）。"),
        ("2031-01-06", "makeup", "2031-01-06 是工作日（周一至周五），本来就要上班：调休上班日应是星期六或星期日。"),
    ],
)
def test_a_day_that_is_no_exception_is_refused(as_admin, day, kind, message):
    response = _day(as_admin, day, kind)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [message]
    assert not CalendarDay.objects.filter(day__year=2031).exists()
    assert not _events("calendar.day.create")


def test_a_day_already_in_the_calendar_is_refused(as_admin):
    response = _day(as_admin, "2025-10-01", "holiday", "国庆节")
    assert response.context["form"].non_field_errors() == ["2025-10-01 已在日历中：请修改那一行。"]
    assert CalendarDay.objects.filter(day=date(2025, 10, 1)).count() == 1


def test_a_day_is_changed_and_deleted_audited(as_admin):
    row = CalendarDay.objects.create(day=date(2031, 1, 1), is_workday=False, note="元旦")
    assert _day(as_admin, "2031-01-02", "holiday", "元旦假期", pk=row.pk).status_code == 302
    row.refresh_from_db()
    assert (row.day, row.note) == (date(2031, 1, 2), "元旦假期")
    assert _events("calendar.day.update")[0].changes == {"day": ["2031-01-01", "2031-01-02"],
                                                          "note": ["元旦", "元旦假期"]}
    response = as_admin.post(f"/system/calendar/{row.pk}/delete/")
    assert response.status_code == 302 and response.url == "/system/calendar/?year=2031"
    assert not CalendarDay.objects.filter(pk=row.pk).exists()
    assert _events("calendar.day.delete")[0].changes == {"day": ["2031-01-02", None], "is_workday": [False, None],
                                                          "note": ["元旦假期", None]}


def test_a_year_without_holidays_cannot_be_marked_complete(as_admin):
    response = as_admin.post("/system/calendar/year/2032/", {"complete": "1"}, follow=True)
    assert _messages(response) == ["2032 年的节假日尚未录入：请先录入该年的安排，再标记为录入完整。"]
    assert not CalendarYear.objects.filter(year=2032, is_complete=True).exists()
    assert not _events("calendar.year.complete")


# Programme settings ------------------------------------------------------------------------------------


def test_the_migration_seeded_the_settings_and_the_three_tiers(settings):
    row = ProgrammeSettings.objects.get()
    assert (row.district_name, row.programme_name) == (settings.DISTRICT_NAME, settings.PROGRAMME_NAME)
    assert list(HonourTier.objects.values_list("code", "name", "order", "annual_allowance", "default_quota")) == [
        ("craftsman", "南浔工匠", 1, 5000, 100),
        ("chief_technician", "首席技工", 2, 3000, 200),
        ("technical_model", "技术标兵", 3, 1500, 800),
    ]


def _settings_data(**changes: object) -> dict[str, object]:
    row = programme.settings_row()
    data: dict[str, object] = {
        "programme-district_name": row.district_name, "programme-programme_name": row.programme_name,
        "tiers-TOTAL_FORMS": 4, "tiers-INITIAL_FORMS": 3, "tiers-MIN_NUM_FORMS": 0, "tiers-MAX_NUM_FORMS": 1000,
    }
    for i, tier in enumerate(HonourTier.objects.order_by("order")):
        data |= {f"tiers-{i}-id": tier.pk, f"tiers-{i}-programme": row.pk, f"tiers-{i}-name": tier.name,
                 f"tiers-{i}-order": tier.order, f"tiers-{i}-annual_allowance": tier.annual_allowance,
                 f"tiers-{i}-default_quota": tier.default_quota, f"tiers-{i}-is_active": "on"}
    return data | changes


def test_the_names_are_data_shown_on_every_page(as_admin, admin_user, anonymous):
    assert "南浔区" in as_admin.get("/system/").content.decode()
    response = as_admin.post("/system/settings/", _settings_data(**{
        "programme-district_name": "东胜区", "programme-programme_name": "东胜区高技能人才培育工程"}))
    assert response.status_code == 302, (response.context["form"].errors, response.context["tiers"].errors)
    assert _events("programme.settings.update")[0].changes == {
        "district_name": ["南浔区", "东胜区"],
        "programme_name": ["南浔区“千名技能人才”培育选树", "东胜区高技能人才培育工程"]}
    assert not _events("programme.tier.update")
    assert "东胜区高技能人才培育工程" in anonymous.get("/login/").content.decode()
    assert "东胜区" in as_admin.get("/system/").content.decode()


def test_the_tiers_are_renamed_and_added_audited(as_admin):
    response = as_admin.post("/system/settings/", _settings_data(**{
        "tiers-0-name": "东胜工匠", "tiers-2-default_quota": 600,
        "tiers-3-code": "young_talent", "tiers-3-name": "青年技能新秀", "tiers-3-order": 4,
        "tiers-3-annual_allowance": "800", "tiers-3-default_quota": 50, "tiers-3-is_active": "on"}))
    assert response.status_code == 302
    assert list(HonourTier.objects.values_list("name", "default_quota")) == [
        ("东胜工匠", 100), ("首席技工", 200), ("技术标兵", 600), ("青年技能新秀", 50)]
    assert [e.changes for e in _events("programme.tier.update")] == [
        {"name": ["南浔工匠", "东胜工匠"]}, {"default_quota": [800, 600]}]
    assert _events("programme.tier.create")[0].changes == {
        "code": [None, "young_talent"], "name": [None, "青年技能新秀"], "order": [None, 4],
        "annual_allowance": [None, "800.00"], "default_quota": [None, 50], "is_active": [None, True]}


def test_two_tiers_of_one_rank_are_refused(as_admin):
    response = as_admin.post("/system/settings/", _settings_data(**{"tiers-1-order": 1}))
    assert response.status_code == 200
    assert response.context["tiers"].non_form_errors() == ["有两个称号层级的排序都是 1：请为每个层级设置不同的排序。"]
    assert list(HonourTier.objects.values_list("order", flat=True)) == [1, 2, 3]
    assert not _events("programme.tier.update")


# The finance bureau --------------------------------------------------------------------------------------


def test_the_finance_bureau_has_a_start_page_and_no_registry(finance, admin_user):
    client = client_for(finance)
    response = client.get("/core/finance/")
    assert response.status_code == 200
    assert "财政部门的页面（考核津贴的审批与发放）尚未上线" in response.content.decode()
    for url in ("/registry/workers/", "/registry/enterprises/", "/registry/my-enterprise/"):
        assert client.get(url).status_code == 404, url
    assert client_for(admin_user).get("/core/finance/").status_code == 404
