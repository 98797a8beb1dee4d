"""The reminder before call: scheduled at publish on a worker that can defer, for the set hours before the
general call in the production's time zone; a later revision's reminder replaces the stale one."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from unitbase.callsheets import services, tasks
from unitbase.callsheets.selectors import preferences_get

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


class _Deferring:
    supports_defer = True


def _publish(world, **kw):
    calls = []

    def using(**options):
        return mock.Mock(enqueue=lambda **kwargs: calls.append((options["run_after"], kwargs)))

    task = mock.Mock(get_backend=mock.Mock(return_value=_Deferring()), using=mock.Mock(side_effect=using))
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()), \
            mock.patch.object(tasks, "callsheet_remind", task):
        services.callsheet_publish(access=world["ad"], call_sheet_id=world["sheet"].pk, **kw)
    return calls


def test_reminder_is_scheduled_hours_before_call_and_a_stale_one_does_nothing():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    prefs = preferences_get(w["production"])
    prefs.reminder_hours = 8
    prefs.save()
    ((run_after, kwargs),) = _publish(w)
    call_at = datetime.combine(DAY1, w["sheet"].general_call, tzinfo=ZoneInfo(w["production"].time_zone))
    assert run_after == call_at - timedelta(hours=8)
    assert kwargs == {"call_sheet_id": w["sheet"].pk, "revision": 1}

    services.callsheet_revise(access=w["ad"], call_sheet_id=w["sheet"].pk)
    ((_, kwargs2),) = _publish(w, change_note="Lunch moved")
    assert kwargs2["revision"] == 2
    mail.outbox.clear()
    with mock.patch("django.db.transaction.on_commit", side_effect=lambda fn, using=None, robust=False: fn()):
        assert services.callsheet_remind_unconfirmed(**kwargs) == 0  # revision 1's reminder: superseded
        assert mail.outbox == []
        sent = services.callsheet_remind_unconfirmed(**kwargs2)
    assert sent == 5 and len(mail.outbox) == 5
    assert all(m.subject.startswith("Reminder: ") for m in mail.outbox)


def test_no_reminder_when_switched_off():
    w = build_world()
    w["sheet"] = services.callsheet_build_from_schedule(access=w["ad"], unit_id=w["unit"].pk, shoot_date=DAY1)
    prefs = preferences_get(w["production"])
    prefs.reminder_hours = 0
    prefs.save()
    assert _publish(w) == []
