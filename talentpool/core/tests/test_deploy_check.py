"""``manage.py check --deploy`` is clean with the deploy guide's environment, and names what the
demo's defaults leave open."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "docs" / "deploy.env.example"


def example_env() -> dict[str, str]:
    """docs/deploy.env.example with its placeholders filled as the guide says."""
    env = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    env["TALENTPOOL_SECRET_KEY"] = secrets.token_urlsafe(50)
    env["TALENTPOOL_ENCRYPTION_KEY"] = Fernet.generate_key().decode()
    env["TALENTPOOL_DATABASE_URL"] = env["TALENTPOOL_DATABASE_URL"].replace("<密码>", secrets.token_urlsafe(16))
    return env


def check_deploy(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TALENTPOOL_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env={**base, **env, "TALENTPOOL_VAR_DIR": str(tmp_path)},  # settings create it
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


def test_the_example_holds_no_real_secret_and_every_placeholder_is_named():
    values = "\n".join(line for line in EXAMPLE.read_text().splitlines() if not line.startswith("#"))
    assert re.findall(r"<[^>]+>", values) == ["<密码>", "<50+ 位随机串>", "<32 字节 URL 安全 base64 密钥>"]


def test_check_deploy_is_clean_with_the_deploy_guides_environment(tmp_path):
    result = check_deploy(example_env(), tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (
        0, "System check identified no issues (0 silenced).\n", "")


def test_the_guide_lists_the_examples_variables():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    block = re.search(r"```ini\n(TALENTPOOL_.*?)```", guide, re.S)
    assert block is not None
    in_guide = {line.split("=", 1)[0] for line in block.group(1).splitlines() if line.strip()}
    assert in_guide == set(example_env())


def test_check_deploy_names_what_the_demo_defaults_leave_open(tmp_path):
    result = check_deploy({}, tmp_path)
    ids = set(re.findall(r"\(([a-z_.]+\.[WE]\d+)\)", result.stderr + result.stdout))
    assert {"security.W004", "security.W008", "security.W012", "security.W016",
            "talentpool.W001", "talentpool.W002", "talentpool.W005"} <= ids
    assert "talentpool.W003" not in ids  # the default hosts hold no '*'


@pytest.mark.parametrize(("overrides", "expected"), [
    ({"TALENTPOOL_ALLOWED_HOSTS": "*", "TALENTPOOL_DATABASE_URL": "sqlite:///db.sqlite3",
      "TALENTPOOL_HSTS_SECONDS": "0", "TALENTPOOL_SSL_REDIRECT": "0", "TALENTPOOL_SECURE_COOKIES": "0"},
     {"talentpool.W003", "talentpool.W005", "security.W004", "security.W008", "security.W012", "security.W016"}),
    ({"TALENTPOOL_BEHIND_HTTPS_PROXY": "0"}, {"talentpool.W004"}),
])
def test_each_production_setting_is_checked(tmp_path, overrides, expected):
    """Each check is independent: one run per group of settings undone (a subprocess is slow)."""
    result = check_deploy({**example_env(), **overrides}, tmp_path)
    assert set(re.findall(r"\(([a-z_.]+\.[WE]\d+)\)", result.stderr)) == expected


def test_a_retention_shorter_than_180_days_is_an_error(settings):
    settings.AUDIT_RETENTION_DAYS = 90
    errors = [m for m in run_checks() if m.id == "talentpool.E001"]
    assert [m.msg for m in errors] == [
        "TALENTPOOL_AUDIT_RETENTION_DAYS is 90: audit records must be kept at least 180 days "
        "(Cybersecurity Law art. 21, MLPS 2.0)."]
    settings.AUDIT_RETENTION_DAYS = 180
    assert [m for m in run_checks() if m.id == "talentpool.E001"] == []
