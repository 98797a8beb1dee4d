"""A crew member sees only their own timecards and pay: through the API (list, detail with pay lines,
preview, labour by account) and the web pages; a refused request changes nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from unitbase.payroll import services
from unitbase.payroll.models import PayLineRow, Timecard

from .test_api import base, client_for, send
from .test_services import Crew, meal_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew():
    crew = Crew()
    crew.mine = services.timecard_create(access=crew.access(crew.crew_user), deal=crew.deal, week_ending=dt.date(2025, 3, 8))
    meal_day(crew.access(crew.crew_user), crew.mine)
    services.timecard_calculate(access=crew.access(crew.crew_user), timecard_id=crew.mine.pk)
    crew.theirs = services.timecard_create(access=crew.access(crew.other_user), deal=crew.deal2, week_ending=dt.date(2025, 3, 8))
    meal_day(crew.access(crew.other_user), crew.theirs)
    services.timecard_calculate(access=crew.access(crew.other_user), timecard_id=crew.theirs.pk)
    return crew


def snapshot(card):
    card = Timecard.objects.get(pk=card.pk)
    return card.status, card.gross, sorted(PayLineRow.objects.filter(timecard=card).values_list("kind", "amount"))


@pytest.mark.urls("unitbase.payroll.tests.test_api")
def test_crew_member_sees_only_their_own_pay_through_the_api(crew):
    me = client_for(crew.crew_user)
    listed = me.get(f"{base(crew)}/timecards").json()
    assert [c["id"] for c in listed["items"]] == [crew.mine.pk]
    own = me.get(f"{base(crew)}/timecards/{crew.mine.pk}")
    assert own.status_code == 200 and own.json()["gross"] is not None
    before = snapshot(crew.theirs)
    assert before[2]  # the other card has stored pay lines
    assert me.get(f"{base(crew)}/timecards/{crew.theirs.pk}").status_code == 404
    assert send(me, "post", f"{base(crew)}/timecards/{crew.theirs.pk}/preview").status_code == 404
    assert me.get(f"{base(crew)}/payroll/labour").status_code == 403
    assert snapshot(crew.theirs) == before


def test_crew_member_cannot_open_anothers_card_page(client, crew):
    client.force_login(crew.crew_user)
    before = snapshot(crew.theirs)
    urls = [reverse(name, args=[crew.production.pk, crew.theirs.pk]) for name in ("payroll:detail", "payroll:edit", "payroll:card_pdf")]
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    own = client.get(reverse("payroll:detail", args=[crew.production.pk, crew.mine.pk]))
    assert own.status_code == 200
    assert snapshot(crew.theirs) == before
