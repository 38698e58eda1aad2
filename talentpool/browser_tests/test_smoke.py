import pytest


@pytest.mark.django_db(transaction=True)
def test_login_page_renders_in_chinese(page, live_server):
    response = page.goto(f"{live_server.url}/login/")
    assert response is not None
    assert response.ok, response.status
    lang = page.locator("html").get_attribute("lang") or ""
    assert lang.lower().startswith("zh"), lang
    assert page.locator('input[name="password"]').count() == 1
