"""People pages: crew list, cast list and contacts, with pay privacy and the authority matrix."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CastMemberFactory, CrewMemberFactory, PersonFactory, department, make_production, member
from unitbase.core.models import AuditEvent
from unitbase.people.models import CastMember, CrewMember, Person
from unitbase.productions.authority import Role
from unitbase.productions.models import Position

pytestmark = pytest.mark.django_db

HIDDEN = 'title="hidden"'


def url(name, production, *args, query=""):
    return reverse(f"people:{name}", args=[production.pk, *args]) + (f"?{query}" if query else "")


@pytest.fixture
def production():
    return make_production(title="Night Train")


@pytest.fixture
def login(client):
    def _login(production, role, department_name=None):
        membership = member(production, role, department_name=department_name)
        client.force_login(membership.user)
        return membership.user

    return _login


def hire(production, dept="Camera", position="1st AC", **kwargs):
    dep = department(production, dept)
    pos = Position.objects.get_or_create(production=production, department=dep, name=position)[0]
    return CrewMemberFactory(production=production, department=dep, position=pos, **kwargs)


# Pages render and are guarded -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["crew", "cast", "people"])
def test_list_pages_render_for_crew_role(client, login, production, name):
    hire(production)
    CastMemberFactory(production=production)
    login(production, Role.CREW)
    response = client.get(url(name, production))
    assert response.status_code == 200
    assert b"<h1>" in response.content


@pytest.mark.parametrize(
    "name", ["crew", "cast", "people", "crew_csv", "crew_xlsx", "cast_csv", "cast_xlsx", "crew_hire", "cast_add"]
)
def test_non_member_gets_404(client, production, name):
    outsider = member(make_production(title="Other"), Role.PRODUCER).user
    client.force_login(outsider)
    assert client.get(url(name, production)).status_code == 404


def test_other_productions_records_are_404(client, login, production):
    other = make_production(title="Other")
    foreign = hire(other)
    login(production, Role.PRODUCTION_MANAGER)
    assert client.get(url("crew_edit", production, foreign.pk)).status_code == 404
    assert client.post(url("crew_release", production, foreign.pk)).status_code == 404
    assert CrewMember.objects.filter(pk=foreign.pk).exists()


def test_crew_list_groups_by_department_in_department_order_with_count(client, login, production):
    hire(production, "Grip", "Key grip")
    hire(production, "Camera", "DP")
    hire(production, "Camera", "1st AC")
    login(production, Role.PRODUCTION_MANAGER)
    html = client.get(url("crew", production)).content.decode()
    assert html.index("<span>Camera · 2</span>") < html.index("<span>Grip · 1</span>")  # Camera comes before Grip in the standard order
    assert 'id="row-count" class="badge" title="Rows shown">3<' in html
    assert "Hire crew" in html


# Pay privacy ------------------------------------------------------------------------------------


def test_crew_role_sees_only_own_rate(client, login, production):
    user = login(production, Role.CREW, department_name="Camera")
    hire(production, person=PersonFactory(production=production, user=user), rate_amount=Decimal("1800"))
    hire(production, rate_amount=Decimal("2500"))
    hire(production, "Grip", "Key grip", rate_amount=Decimal("3100"))
    html = client.get(url("crew", production)).content.decode()
    assert "USD 1,800.00 / week" in html
    assert "2,500.00" not in html and "3,100.00" not in html
    assert html.count(HIDDEN) == 2
    assert "Hire crew" not in html


def test_department_head_sees_own_departments_rates(client, login, production):
    login(production, Role.DEPARTMENT_HEAD, department_name="Camera")
    hire(production, rate_amount=Decimal("2500"))
    hire(production, "Grip", "Key grip", rate_amount=Decimal("3100"))
    html = client.get(url("crew", production)).content.decode()
    assert "USD 2,500.00 / week" in html
    assert "3,100.00" not in html
    assert html.count(HIDDEN) == 1


def test_production_manager_sees_all_rates(client, login, production):
    login(production, Role.PRODUCTION_MANAGER)
    hire(production, rate_amount=Decimal("2500"))
    hire(production, "Grip", "Key grip", rate_amount=Decimal("3100"), rate_currency="EUR", rate_unit="day")
    html = client.get(url("crew", production)).content.decode()
    assert "USD 2,500.00 / week" in html
    assert "EUR 3,100.00 / day" in html
    assert HIDDEN not in html


def test_cast_rates_follow_the_same_privacy(client, login, production):
    user = login(production, Role.CAST)
    CastMemberFactory(production=production, person=PersonFactory(production=production, user=user),
                      rate_amount=Decimal("900"))
    CastMemberFactory(production=production, rate_amount=Decimal("5000"))
    html = client.get(url("cast", production)).content.decode()
    assert "USD 900.00 / day" in html
    assert "5,000.00" not in html
    assert html.count(HIDDEN) == 1


# Filters and htmx -------------------------------------------------------------------------------


def test_filters_apply_and_htmx_gets_the_partial_with_out_of_band_count(client, login, production):
    hire(production, person=PersonFactory(production=production, name="Ana Lopez"))
    hire(production, "Grip", "Key grip", person=PersonFactory(production=production, name="Bo Grant"))
    login(production, Role.PRODUCTION_MANAGER)
    grip = department(production, "Grip")
    response = client.get(url("crew", production, query=f"department={grip.pk}"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="results"' in html
    assert "Bo Grant" in html and "Ana Lopez" not in html
    assert 'hx-swap-oob="true"' in html and ">1<" in html
    assert f"export.csv?department={grip.pk}" in html
    page = client.get(url("crew", production, query="q=ana")).content.decode()
    assert "Ana Lopez" in page and "Bo Grant" not in page
    assert "export.xlsx?q=ana" in page


def test_invalid_filter_values_are_ignored(client, login, production):
    hire(production)
    login(production, Role.PRODUCTION_MANAGER)
    response = client.get(url("crew", production, query="department=abc&unit=999999"))
    assert response.status_code == 200
    assert 'title="Rows shown">1<' in response.content.decode()


def test_empty_crew_list_says_how_to_fill_it(client, login, production):
    login(production, Role.PRODUCTION_MANAGER)
    html = client.get(url("crew", production)).content.decode()
    assert "No crew yet" in html and "Hire crew" in html


def test_crew_list_query_count_does_not_grow_with_rows(client, login, production, django_assert_max_num_queries):
    login(production, Role.PRODUCTION_MANAGER)
    for _ in range(3):
        hire(production)
    with CaptureQueriesContext(connection) as few:
        client.get(url("crew", production))
    for i in range(12):
        hire(production, "Grip" if i % 2 else "Electric", f"Position {i}", unit=production.units.first())
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("crew", production))
    assert 'title="Rows shown">15<' in response.content.decode()
    with django_assert_max_num_queries(12):
        client.get(url("crew", production))


# Hire, edit, release ------------------------------------------------------------------------------


def _hire_data(production, **overrides):
    data = {
        "person": "", "new_name": "Rita Moreno", "new_email": "rita@example.test", "new_phone": "+44 7700 900123",
        "department": department(production, "Electric").pk, "position": "Gaffer",
        "unit": production.units.first().pk, "start_date": "2026-11-02", "end_date": "2026-12-18",
        "rate_amount": "2750.00", "rate_currency": "gbp", "rate_unit": "week",
    }
    data.update(overrides)
    return data


def test_production_manager_hires_with_a_new_contact(client, login, production):
    login(production, Role.PRODUCTION_MANAGER)
    assert client.get(url("crew_hire", production)).status_code == 200
    response = client.post(url("crew_hire", production), _hire_data(production))
    assert response.status_code == 302
    crew = CrewMember.objects.get(production=production)
    assert crew.person.name == "Rita Moreno" and crew.person.phone == "+44 7700 900123"
    assert crew.position.name == "Gaffer" and crew.department.name == "Electric"
    assert (crew.rate_amount, crew.rate_currency, crew.rate_unit) == (Decimal("2750.00"), "GBP", "week")
    assert crew.start_date == date(2026, 11, 2)
    assert set(AuditEvent.objects.filter(production_id=production.pk).values_list("action", flat=True)) >= {
        "person.create", "crew.hire",
    }


def test_hire_with_an_existing_contact(client, login, production):
    login(production, Role.PRODUCTION_MANAGER)
    person = PersonFactory(production=production, name="Existing One")
    response = client.post(url("crew_hire", production),
                           _hire_data(production, person=person.pk, new_name="", new_email="", new_phone=""))
    assert response.status_code == 302
    assert CrewMember.objects.get(production=production).person == person
    assert Person.objects.filter(production=production).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"new_name": ""}, "person", "Pick a contact"),
        ({"position": ""}, "position", "This field is required"),
        ({"end_date": "2026-10-01"}, "end_date", "before the start date"),
        ({"rate_amount": "-5"}, "rate_amount", "greater than or equal to 0"),
        ({"rate_currency": "DOLLARS"}, "rate_currency", "at most 3"),
        ({"new_email": "not-an-email"}, "new_email", "valid email"),
    ],
)
def test_invalid_hire_is_422_with_field_errors_and_creates_nothing(client, login, production, overrides, field,
                                                                   message):
    login(production, Role.PRODUCTION_MANAGER)
    response = client.post(url("crew_hire", production), _hire_data(production, **overrides))
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert not CrewMember.objects.exists() and not Person.objects.exists()


def test_service_validation_error_rolls_back_the_inline_contact(client, login, production):
    login(production, Role.PRODUCTION_MANAGER)
    response = client.post(url("crew_hire", production), _hire_data(production, rate_currency="US1"))
    assert response.status_code == 422  # the form passes it; the model's currency validator does not
    assert "ISO 4217" in " ".join(response.context["form"].errors["rate_currency"])
    assert not Person.objects.exists()


def test_crew_role_is_denied_hire_edit_and_release_and_nothing_changes(client, login, production):
    crew = hire(production, rate_amount=Decimal("2500"))
    login(production, Role.CREW)
    assert client.get(url("crew_hire", production)).status_code == 403
    assert client.post(url("crew_hire", production), _hire_data(production)).status_code == 403
    edit = _hire_data(production, rate_amount="9999")
    assert client.post(url("crew_edit", production, crew.pk), edit).status_code == 403
    assert client.post(url("crew_release", production, crew.pk)).status_code == 403
    crew.refresh_from_db()
    assert crew.rate_amount == Decimal("2500")
    assert CrewMember.objects.count() == 1 and Person.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="crew.").exists()


def test_edit_and_release(client, login, production):
    crew = hire(production)
    login(production, Role.PRODUCTION_MANAGER)
    page = client.get(url("crew_edit", production, crew.pk))
    assert page.status_code == 200 and 'value="1st AC"' in page.content.decode()
    data = _hire_data(production, position="2nd AC", department=crew.department_id, rate_amount="2600")
    assert client.post(url("crew_edit", production, crew.pk), data).status_code == 302
    crew.refresh_from_db()
    assert crew.position.name == "2nd AC" and crew.rate_amount == Decimal("2600")
    bad = client.post(url("crew_edit", production, crew.pk), {**data, "department": ""})
    assert bad.status_code == 422 and "department" in bad.context["form"].errors
    assert client.get(url("crew_release", production, crew.pk)).status_code == 200
    assert client.post(url("crew_release", production, crew.pk)).status_code == 302
    assert not CrewMember.objects.exists()
    assert Person.objects.filter(pk=crew.person_id).exists()


def test_hiring_without_manage_contacts_requires_an_existing_contact(client, login, production):
    from unitbase.productions.models import AuthorityRule

    AuthorityRule.objects.filter(production=production, action="manage_contacts",
                                 role=Role.PRODUCTION_MANAGER).delete()
    login(production, Role.PRODUCTION_MANAGER)
    html = client.get(url("crew_hire", production)).content.decode()
    assert "new_name" not in html
    response = client.post(url("crew_hire", production), _hire_data(production))
    assert response.status_code == 422 and "person" in response.context["form"].errors
    assert not Person.objects.exists()


# Cast -------------------------------------------------------------------------------------------------


def _cast_data(production, **overrides):
    data = {
        "cast_number": "", "character": "Marlowe", "person": "", "new_name": "Jo Actor", "new_email": "",
        "new_phone": "", "unit": "", "start_date": "", "end_date": "", "rate_amount": "1200",
        "rate_currency": "USD", "rate_unit": "day",
    }
    data.update(overrides)
    return data


def test_cast_add_edit_remove(client, login, production):
    login(production, Role.PRODUCER)
    assert client.post(url("cast_add", production), _cast_data(production)).status_code == 302
    cast = CastMember.objects.get(production=production)
    assert (cast.cast_number, cast.character, cast.person.name) == (1, "MARLOWE", "Jo Actor")
    html = client.get(url("cast", production)).content.decode()
    assert "MARLOWE" in html and "USD 1,200.00 / day" in html
    edit = _cast_data(production, cast_number="7", character="Marlowe Senior", rate_amount="1300")
    assert client.post(url("cast_edit", production, cast.pk), edit).status_code == 302
    cast.refresh_from_db()
    assert (cast.cast_number, cast.character, cast.rate_amount) == (7, "MARLOWE SENIOR", Decimal("1300"))
    assert client.post(url("cast_remove", production, cast.pk)).status_code == 302
    assert not CastMember.objects.exists()


def test_duplicate_cast_number_is_a_field_error_not_a_500(client, login, production):
    CastMemberFactory(production=production, cast_number=3, character="VERA")
    other = CastMemberFactory(production=production, cast_number=4, character="IVAN")
    login(production, Role.PRODUCER)
    response = client.post(url("cast_add", production), _cast_data(production, cast_number="3"))
    assert response.status_code == 422
    assert "already VERA" in " ".join(response.context["form"].errors["cast_number"])
    response = client.post(url("cast_add", production), _cast_data(production, character="vera"))
    assert response.status_code == 422 and "character" in response.context["form"].errors
    edit = client.post(url("cast_edit", production, other.pk), _cast_data(production, cast_number="3", character="IVAN"))
    assert edit.status_code == 422 and "cast_number" in edit.context["form"].errors
    assert CastMember.objects.count() == 2
    other.refresh_from_db()
    assert other.cast_number == 4


def test_production_manager_cannot_hire_cast_and_nothing_changes(client, login, production):
    cast = CastMemberFactory(production=production, character="VERA")
    login(production, Role.PRODUCTION_MANAGER)
    html = client.get(url("cast", production)).content.decode()
    assert "Add cast" not in html
    assert client.post(url("cast_add", production), _cast_data(production)).status_code == 403
    assert client.post(url("cast_edit", production, cast.pk), _cast_data(production, cast_number="9")).status_code == 403
    assert client.post(url("cast_remove", production, cast.pk)).status_code == 403
    cast.refresh_from_db()
    assert cast.character == "VERA" and CastMember.objects.count() == 1


# Contacts -------------------------------------------------------------------------------------------------


def test_contacts_show_phone_to_members_but_emergency_contact_only_to_managers(client, production):
    person = PersonFactory(production=production, name="Kim Park", phone="+1 555 0199",
                           emergency_contact_name="Lee Park", emergency_contact_phone="+1 555 0777")
    crew_user = member(production, Role.CREW).user
    client.force_login(crew_user)
    listing = client.get(url("people", production)).content.decode()
    assert "+1 555 0199" in listing and "Add contact" not in listing
    detail = client.get(url("person", production, person.pk)).content.decode()
    assert "+1 555 0199" in detail
    assert "Lee Park" not in detail and "0777" not in detail
    assert client.get(url("person_edit", production, person.pk)).status_code == 403
    coordinator = member(production, Role.PRODUCTION_COORDINATOR).user
    client.force_login(coordinator)
    detail = client.get(url("person", production, person.pk)).content.decode()
    assert "Lee Park" in detail and "+1 555 0777" in detail


def test_contact_search_and_detail_engagements(client, login, production):
    person = PersonFactory(production=production, name="Sam Reed")
    PersonFactory(production=production, name="Other Person")
    hire(production, person=person)
    CastMemberFactory(production=production, person=person, character="THE DRIVER", cast_number=5)
    login(production, Role.CREW)
    html = client.get(url("people", production, query="q=reed"), headers={"HX-Request": "true"}).content.decode()
    assert "Sam Reed" in html and "Other Person" not in html and "<html" not in html
    detail = client.get(url("person", production, person.pk)).content.decode()
    assert "1st AC" in detail and "5. THE DRIVER" in detail
    assert detail.count(HIDDEN) == 2


def test_add_and_edit_contact(client, login, production):
    login(production, Role.PRODUCTION_COORDINATOR)
    data = {"name": "  Dana Scott ", "email": "dana@example.test", "phone": "+1 555 0101", "agency": "",
            "agent_name": "", "agent_contact": "", "union_memberships": "IATSE 600", "emergency_contact_name": "",
            "emergency_contact_phone": "", "notes": ""}
    assert client.post(url("person_add", production), data).status_code == 302
    person = Person.objects.get(production=production)
    assert person.name == "Dana Scott" and person.unions == ["IATSE 600"]
    bad = client.post(url("person_edit", production, person.pk), {**data, "email": "nope"})
    assert bad.status_code == 422 and "email" in bad.context["form"].errors
    assert client.post(url("person_edit", production, person.pk), {**data, "phone": "+1 555 0102"}).status_code == 302
    person.refresh_from_db()
    assert person.phone == "+1 555 0102" and person.email == "dana@example.test"


def test_crew_role_cannot_add_contacts_and_nothing_changes(client, login, production):
    login(production, Role.CREW)
    assert client.post(url("person_add", production), {"name": "Nobody"}).status_code == 403
    assert not Person.objects.exists()
