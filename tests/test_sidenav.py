"""The side menu marks the page the user is on, so they always know where they are."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_production

pytestmark = pytest.mark.django_db


def current(html: str) -> list[str]:
    sidenav = html.split('id="sidenav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r'aria-current="page"\s*>([^<]+)<', sidenav)


def test_versions_pages_mark_schedule_versions_and_board_marks_stripboard():
    production = make_production()
    client = Client()
    client.force_login(production.memberships.get().user)
    pid = production.pk
    assert current(client.get(reverse("scheduling:versions", args=[pid])).content.decode()) == ["Schedule versions"]
    unit = production.units.first()
    assert current(client.get(reverse("scheduling:calendar", args=[pid, unit.pk])).content.decode()) == ["Stripboard"]
    assert current(client.get(reverse("productions:dashboard", args=[pid])).content.decode()) == ["Dashboard"]
