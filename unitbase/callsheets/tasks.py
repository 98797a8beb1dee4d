"""Background work for call sheets: load by id, call a service."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from .models import Delivery
from .services import MAX_SEND_ATTEMPTS, callsheet_remind_unconfirmed, delivery_attempt


@task()
def delivery_send(*, delivery_id: int) -> str:
    """Send one call sheet e-mail. A failure is recorded on the delivery (shown on the distribution
    page) and retried with a growing delay when the worker can defer; the office can also retry."""
    delivery = delivery_attempt(delivery_id=delivery_id)
    if delivery.status == Delivery.Status.FAILED and delivery.attempts < MAX_SEND_ATTEMPTS:
        backend = delivery_send.get_backend()
        if backend.supports_defer:
            when = timezone.now() + timedelta(minutes=2 ** delivery.attempts)
            delivery_send.using(run_after=when).enqueue(delivery_id=delivery_id)
    return delivery.status


@task()
def callsheet_remind(*, call_sheet_id: int, revision: int) -> int:
    return callsheet_remind_unconfirmed(call_sheet_id=call_sheet_id, revision=revision)
