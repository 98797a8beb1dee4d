import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from unitbase.accounts.models import ApiToken
from unitbase.accounts.services import api_token_authenticate
from unitbase.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_stored_hashed_and_works(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "Laptop"})
    assert response.status_code == 200
    raw = re.search(rb'id="new-token">(ubt_[^<]+)<', response.content).group(1).decode()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash != raw and raw not in token.key_hash
    assert api_token_authenticate(raw=raw) == user
    assert AuditEvent.objects.filter(action="api_token.create", actor=user).exists()
    # The key is not shown again.
    assert raw.encode() not in client.get(reverse("accounts:profile")).content


def test_token_revoke_stops_it_working(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:profile"), {"name": "CI"})
    token = ApiToken.objects.get(user=user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_cannot_revoke_someone_elses_token(client):
    owner, other = UserFactory(), UserFactory()
    client.force_login(owner)
    client.post(reverse("accounts:profile"), {"name": "Mine"})
    token = ApiToken.objects.get(user=owner)
    client.force_login(other)
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_blank_token_name_is_a_field_error(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:profile"), {"name": ""})
    assert response.status_code == 422
    assert b"This field is required" in response.content
    assert not ApiToken.objects.exists()


def test_password_reset_sends_a_working_link(client):
    user = UserFactory(email="reset@example.test")
    response = client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert b"Choose a new password" in response.content
    response = client.post(
        response.redirect_chain[-1][0], {"new_password1": "a-new-long-pass-77", "new_password2": "a-new-long-pass-77"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-pass-77")


def test_logout_is_post_only_and_signs_out(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
