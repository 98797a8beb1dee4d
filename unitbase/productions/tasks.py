"""Background work for productions: load by id, do one thing."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from .models import Invitation


@task()
def invitation_send_email(*, invitation_id: int) -> str:
    invitation = Invitation.objects.select_related("production", "invited_by").get(pk=invitation_id)
    base = getattr(settings, "UNITBASE_BASE_URL", "http://127.0.0.1:8000")
    context = {"invitation": invitation, "link": f"{base}/invitations/{invitation.token}/"}
    send_mail(
        subject=f"You are invited to {invitation.production.title} on Unitbase",
        message=render_to_string("productions/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return invitation.email
