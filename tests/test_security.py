"""Login throttling, CSRF on every form, production settings that refuse unsafe defaults."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_login_is_throttled_after_five_failures():
    user = UserFactory(email="target@example.test")
    client = Client()
    url = reverse("accounts:login")
    for _ in range(5):
        response = client.post(url, {"username": user.email, "password": "wrong"})
    # The sixth attempt is refused even with the right password.
    response = client.post(url, {"username": user.email, "password": "pass-word-123"})
    assert response.status_code == 429
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_works_and_failed_login_says_why():
    user = UserFactory(email="ok@example.test")
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "nope"})
    assert response.status_code == 200
    assert b"correct" in response.content.lower()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused():
    user = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "sneaky"})
    assert response.status_code == 403
    assert not user.api_tokens.exists()


def _templates():
    for base in [ROOT / "templates", *ROOT.glob("unitbase/*/templates")]:
        yield from base.rglob("*.html")


def test_every_post_form_in_every_template_carries_a_csrf_token():
    missing = []
    for path in _templates():
        text = path.read_text()
        for match in re.finditer(r"<form\b[^>]*>(.*?)</form>", text, flags=re.S | re.I):
            tag = match.group(0)[: match.group(0).find(">") + 1]
            if re.search(r'method=["\']?post', tag, flags=re.I) and "csrf_token" not in match.group(1):
                missing.append(f"{path.relative_to(ROOT)}: {tag}")
    assert missing == []


def _prod_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.prod", ALLOWED_HOSTS="office.example.org", **extra)
    return env


def test_prod_settings_refuse_a_missing_secret_key():
    env = _prod_env()
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_prod_settings_pass_the_deploy_check_with_secure_cookies():
    env = _prod_env(SECRET_KEY="k" * 20 + "-a-long-random-secret-for-the-deploy-check-0123456789")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "False"]
