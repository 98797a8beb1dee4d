"""Schema version 2: the whole production, including every app's rows (the generic `rows`
section), survives export -> delete -> import -> export; refusals change nothing."""

import copy
import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from tests.factories import member
from unitbase.bundles import generic
from unitbase.bundles.services import SCHEMA_VERSION, BundleError, production_export, production_import
from unitbase.demo.services import demo_production
from unitbase.people.models import CrewMember
from unitbase.productions.authority import Action, Role
from unitbase.productions.models import Production
from unitbase.productions.permissions import access_production

pytestmark = pytest.mark.django_db

PRODUCER = "producer@demo.unitbase.test"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
OWNED_APPS = ("productions", "people", "scripts", "scheduling", "budgets", "payroll", "approvals", "callsheets")


def access(production, email):
    return access_production(get_user_model().objects.get(email=email), production.pk)


def export(production, email=PRODUCER) -> dict:
    user = get_user_model().objects.get(email=email)
    bundle = production_export(access=access_production(user, production.pk, Action.EXPORT_PRODUCTION))
    return json.loads(json.dumps(bundle))  # through JSON text, as the command writes it


def as_text(bundle: dict) -> str:
    return json.dumps({k: v for k, v in bundle.items() if k != "exported_at"}, indent=2, ensure_ascii=False)


def owned_counts(production) -> dict[str, int]:
    return {generic.label_of(m): len(rows) for m, rows in generic.collect_owned(production).items() if rows}


def all_rows() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()
            if m._meta.app_label.startswith(OWNED_APPS) or m._meta.label in ("core.AuditEvent", "accounts.User")}


def _add_money_and_time(production) -> None:
    """Rows the demo may leave empty, each added only where the demo has none (other apps seed the
    demo too): a budget with a fringed line and a submitted PO (an approval request pointing at
    it), a petty-cash receipt with a file, a submitted timecard (an approval request pointing at it
    and the card holding the request's id)."""
    from unitbase.budgets import services as budgets
    from unitbase.budgets import spending
    from unitbase.budgets.models import Budget, BudgetAccount, DetailLine, Receipt
    from unitbase.payroll import services as payroll
    from unitbase.payroll.models import PayrollDeal, Timecard

    accountant = member(production, Role.PRODUCTION_ACCOUNTANT).user
    as_accountant = access_production(accountant, production.pk)
    upm = access(production, "upm@demo.unitbase.test")
    crew_user = get_user_model().objects.get(email="crew@demo.unitbase.test")
    as_crew = access_production(crew_user, production.pk)
    if not Budget.objects.filter(production=production).exists():
        chart = budgets.chart_load_standard(access=upm, kind="feature")
        budget = budgets.budget_create(access=upm, chart_id=chart.pk, name="Shooting", base_currency="GBP")
        budgets.fringe_create(access=upm, budget_id=budget.pk, code="NI", name="Employer NI", kind="percent",
                              rate=Decimal("13.8"))
        for code, rate in [("2510", "10000"), ("2810", "5000"), ("3301", "40000")]:
            account = BudgetAccount.objects.get(budget=budget, code=code)
            budgets.detail_line_add(access=upm, budget_id=budget.pk, account_id=account.pk,
                                    description=f"Line {code}", rate=Decimal(rate), currency="GBP",
                                    fringe_codes=["NI"] if code == "3301" else [])
        budgets.budget_lock(access=upm, budget_id=budget.pk)
        vendor = spending.vendor_create(access=upm, name="Grip Co")
        po = spending.purchase_order_create(access=upm, vendor_id=vendor.pk, description="Dolly",
                                            lines=[{"account_code": "2510", "amount": "250.00"}])
        spending.purchase_order_submit(access=upm, po_id=po.pk)
    if not Receipt.objects.filter(envelope__cash_float__production=production).exists():
        code = DetailLine.objects.filter(budget__production=production).order_by("pk").first().account.code
        cash = spending.petty_cash_float_issue(access=as_accountant, holder_id=crew_user.pk, amount="500",
                                               issued_on=dt.date(2027, 3, 2))
        envelope = spending.petty_cash_envelope_open(access=as_crew, float_id=cash.pk)
        spending.receipt_add(access=as_crew, envelope_id=envelope.pk, date=dt.date(2027, 3, 3), account_code=code,
                             description="Gaffer tape", amount="42.50",
                             file=SimpleUploadedFile("tape.png", PNG, content_type="image/png"))
    from unitbase.callsheets.models import CallSheet
    from unitbase.callsheets.services import demo_seed_callsheets

    if not CallSheet.objects.filter(production=production).exists():
        demo_seed_callsheets(access=upm)  # a published call sheet, recipients with secret links, a DPR
    if not Timecard.objects.filter(production=production).exists():
        crew = CrewMember.objects.get(production=production, person__user=crew_user)
        deal = PayrollDeal.objects.filter(crew_member=crew).first() or payroll.deal_set(
            access=as_accountant, crew_member=crew, pack_id="iatse-crew-daily-hourly", rate=Decimal("50.00"),
            rate_unit="hour")
        card = payroll.timecard_create(access=as_crew, deal=deal, week_ending=dt.date(2025, 3, 8))
        payroll.timecard_day_set(access=as_crew, timecard_id=card.pk, date=dt.date(2025, 3, 4), call=dt.time(7),
                                 meal1_out=dt.time(13), meal1_in=dt.time(13, 30), wrap=dt.time(19),
                                 zone="studio_zone")
        payroll.timecard_submit(access=as_crew, timecard_id=card.pk)


@pytest.fixture
def full_demo():
    call_command("demo", verbosity=0)
    production = demo_production()
    _add_money_and_time(production)
    return production


def test_round_trip_of_the_full_demo_loses_nothing(full_demo):
    production = full_demo
    source_counts = owned_counts(production)
    # The demo plus the added rows reach well beyond the foundation.
    for label in ["scripts.scene", "scripts.tag", "scheduling.strip", "budgets.detailline", "budgets.receipt",
                  "payroll.timecard", "approvals.approvalrequest", "approvals.approvalstep", "callsheets.callsheet",
                  "callsheets.recipient", "callsheets.dailyreport"]:
        assert source_counts.get(label, 0) > 0, label
    first = export(production)
    assert first["schema_version"] == SCHEMA_VERSION == 2
    assert Counter(r["model"] for r in first["rows"]) == {
        label: n for label, n in source_counts.items() if label not in generic.FOUNDATION_LABELS
    }
    # Generic references are bundle keys, never database ids.
    requests = [r for r in first["rows"] if r["model"] == "approvals.approvalrequest"]
    assert "payroll.timecard" in {r["fields"]["content_type"] for r in requests}
    assert all(r["fields"]["object_id"].startswith(r["fields"]["content_type"] + ":") for r in requests)
    cards = [r for r in first["rows"] if r["model"] == "payroll.timecard" and r["fields"]["approval_request_id"]]
    assert cards and all(c["fields"]["approval_request_id"].startswith("approvals.approvalrequest:") for c in cards)
    lines = [r for r in first["rows"] if r["model"] == "budgets.detailline" and r["fields"]["fringes"]]
    assert lines and all(f.startswith("budgets.fringe:") for line in lines for f in line["fields"]["fringes"])
    receipts = [r for r in first["rows"] if r["model"] == "budgets.receipt"]
    assert all(r["fields"]["file"] is None or r["fields"]["file"]["size"] > 0 for r in receipts)

    from unitbase.budgets.models import Receipt

    scans = sorted(r.file.read() for r in Receipt.objects.filter(envelope__cash_float__production=production)
                   if r.file)
    assert scans  # the demo's receipts, or the one added above
    production.delete()
    assert not Production.objects.exists()
    imported = production_import(actor=get_user_model().objects.get(email=PRODUCER), bundle=copy.deepcopy(first))

    # Only open invitations travel (accepted ones are memberships and audit events by then).
    source_counts["productions.invitation"] = len(first["invitations"])
    assert owned_counts(imported) == source_counts
    again = export(imported)
    imported_event = again["audit_events"].pop()
    assert imported_event["action"] == "production.import"
    # Byte for byte, as the command writes it (keys are positions in a stable order, not ids).
    assert as_text(again) == as_text(first)
    # The links work in the imported production, not only in the bundle.
    from unitbase.approvals.models import ApprovalRequest
    from unitbase.budgets.models import Receipt
    from unitbase.payroll.models import Timecard

    for timecard in Timecard.objects.filter(production=imported, approval_request_id__isnull=False):
        request = ApprovalRequest.objects.get(pk=timecard.approval_request_id)
        assert request.production_id == imported.pk and request.target == timecard
    assert sorted(r.file.read() for r in Receipt.objects.filter(envelope__cash_float__production=imported)
                  if r.file) == scans




# ----------------------------------------------------------------------------- refusals (small production)


OWNER = "owner@example.test"


@pytest.fixture
def small_v2(tmp_path):
    """A small production with a locked budget and a submitted PO: generic rows, a many-to-many
    and a generic foreign key (the PO's approval request)."""
    from tests.factories import UserFactory, make_production
    from unitbase.budgets import services as budgets
    from unitbase.budgets import spending
    from unitbase.budgets.models import BudgetAccount

    owner = UserFactory(email=OWNER, full_name="Olive Owner")
    production = make_production("Harbour Lights", owner=owner, base_currency="GBP")
    upm = access_production(member(production, Role.UPM).user, production.pk)
    chart = budgets.chart_load_standard(access=upm, kind="feature")
    budget = budgets.budget_create(access=upm, chart_id=chart.pk, name="Shooting", base_currency="GBP")
    budgets.fringe_create(access=upm, budget_id=budget.pk, code="NI", name="Employer NI", kind="percent",
                          rate=Decimal("13.8"))
    account = BudgetAccount.objects.get(budget=budget, code="2510")
    budgets.detail_line_add(access=upm, budget_id=budget.pk, account_id=account.pk, description="Dolly",
                            rate=Decimal("900"), currency="GBP", fringe_codes=["NI"])
    budgets.budget_lock(access=upm, budget_id=budget.pk)
    vendor = spending.vendor_create(access=upm, name="Grip Co")
    po = spending.purchase_order_create(access=upm, vendor_id=vendor.pk, description="Dolly",
                                        lines=[{"account_code": "2510", "amount": "250.00"}])
    spending.purchase_order_submit(access=upm, po_id=po.pk)
    return {"production": production, "bundle": export(production, OWNER)}


def write(tmp_path, content) -> str:
    path = tmp_path / "bundle.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def import_fails(tmp_path, bundle, *extra) -> str:
    """`unitbase import` refuses with exit code 2 and changes nothing; returns the message."""
    before = all_rows()
    with pytest.raises(CommandError) as exc:
        call_command("import", write(tmp_path, bundle), "--as", OWNER, *extra)
    assert exc.value.returncode == 2
    assert "nothing was changed" in str(exc.value)
    assert all_rows() == before
    return str(exc.value)


def index_of(bundle, model):
    return next(i for i, r in enumerate(bundle["rows"]) if r["model"] == model)


def test_a_copy_imports_beside_the_source_under_another_title(small_v2, tmp_path):
    call_command("import", write(tmp_path, small_v2["bundle"]), "--as", OWNER, "--rename", "Harbour Lights (copy)")
    copy_ = Production.objects.get(title="Harbour Lights (copy)")
    assert owned_counts(copy_) == owned_counts(small_v2["production"])
    from unitbase.approvals.models import ApprovalRequest
    from unitbase.budgets.models import DetailLine, PurchaseOrder

    request = ApprovalRequest.objects.get(production=copy_)
    assert request.target == PurchaseOrder.objects.get(production=copy_)
    assert [f.code for f in DetailLine.objects.get(budget__production=copy_).fringes.all()] == ["NI"]
    assert DetailLine.objects.get(budget__production=small_v2["production"]).fringes.get().budget.production_id \
        == small_v2["production"].pk  # the source is untouched


def test_secret_tokens_are_not_carried_and_are_new_on_import(small_v2, tmp_path):
    from unitbase.scheduling.models import CalendarFeed
    from unitbase.scheduling.services import feed_create

    source = small_v2["production"]
    feed = feed_create(access=access_production(get_user_model().objects.get(email=OWNER), source.pk))
    bundle = export(source, OWNER)
    row = next(r for r in bundle["rows"] if r["model"] == "scheduling.calendarfeed")
    assert "token" not in row["fields"] and feed.token not in json.dumps(bundle)
    call_command("import", write(tmp_path, bundle), "--as", OWNER, "--rename", "Harbour Lights (copy)")
    copied = CalendarFeed.objects.get(production__title="Harbour Lights (copy)")
    assert copied.token and copied.token != feed.token
    row["fields"]["token"] = feed.token
    assert "scheduling.calendarfeed.token: unknown field (secret tokens are not carried)" in import_fails(
        tmp_path, bundle, "--rename", "Another copy")


def test_dangling_generic_key_is_refused(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    i = index_of(bundle, "approvals.approvalrequest")
    bundle["rows"][i]["fields"]["object_id"] = "budgets.purchaseorder:37"
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{i}] approvals.approvalrequest.object_id: no row 'budgets.purchaseorder:37' in the bundle" in message


def test_generic_key_of_the_wrong_kind_is_refused(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    i = index_of(bundle, "approvals.approvalrequest")
    bundle["rows"][i]["fields"]["object_id"] = "budgets.vendor:1"
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert "is a budgets.vendor row, but content_type says budgets.purchaseorder" in message


def test_dangling_foreign_key_and_many_to_many_are_refused(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    line = index_of(bundle, "budgets.detailline")
    bundle["rows"][line]["fields"]["account"] = "budgets.budgetaccount:9999"
    bundle["rows"][line]["fields"]["fringes"] = ["budgets.fringe:7"]
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{line}] budgets.detailline.account: no row 'budgets.budgetaccount:9999' of budgets.budgetaccount" \
        in message
    assert f"rows[{line}] budgets.detailline.fringes[0]: no row 'budgets.fringe:7'" in message


def test_unknown_and_foundation_models_in_rows_are_refused(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    n = len(bundle["rows"])
    bundle["rows"].append({"model": "weather.cloud", "key": "weather.cloud:1", "fields": {}})
    bundle["rows"].append({"model": "accounts.user", "key": "accounts.user:1", "fields": {}})
    bundle["rows"].append({"model": "productions.unit", "key": "productions.unit:9", "fields": {}})
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{n}].model: unknown model 'weather.cloud'" in message
    assert f"rows[{n + 1}].model: unknown model 'accounts.user'" in message
    assert f"rows[{n + 2}].model: productions.unit rows belong in their own section" in message


def test_newer_schema_version_is_refused(small_v2, tmp_path):
    bundle = {**small_v2["bundle"], "schema_version": SCHEMA_VERSION + 1}
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"schema_version: the bundle has version {SCHEMA_VERSION + 1} but this Unitbase reads versions up to " \
           f"{SCHEMA_VERSION}" in message


def test_malformed_rows_are_refused_with_where(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    vendor = index_of(bundle, "budgets.vendor")
    po = index_of(bundle, "budgets.purchaseorder")
    fringe = index_of(bundle, "budgets.fringe")
    del bundle["rows"][vendor]["key"]
    bundle["rows"][po]["fields"]["number"] = "one"
    bundle["rows"][po]["fields"]["colour"] = "red"
    bundle["rows"][po]["fields"]["requested_by"] = "ghost@example.test"
    bundle["rows"][fringe]["fields"]["rate"] = 13.8
    bundle["rows"].append("not an object")
    bundle["rows"].append({"model": "budgets.vendor", "key": "budgets.budget:1", "fields": {}})
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{vendor}].key: missing" in message
    assert f"rows[{po}] budgets.purchaseorder.number: must be an integer, not str" in message
    assert f"rows[{po}] budgets.purchaseorder.colour: unknown field" in message
    assert f"rows[{po}] budgets.purchaseorder.requested_by: no membership with the e-mail 'ghost@example.test'" \
        in message
    assert f"rows[{fringe}] budgets.fringe.rate: must be a decimal number as a string" in message
    assert f"rows[{len(bundle['rows']) - 2}]: must be an object, not str" in message
    assert f"rows[{len(bundle['rows']) - 1}].key: must be a string starting with 'budgets.vendor:'" in message


def test_a_row_the_model_refuses_rolls_everything_back(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    fringe = index_of(bundle, "budgets.fringe")
    bundle["rows"][fringe]["fields"]["code"] = "bad code!"  # the right type, refused by the model's validator
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{fringe}] budgets.fringe.code: Letters, digits and - _ . & only." in message
    assert not Production.objects.filter(title="Fresh").exists()


def test_duplicate_rows_the_database_refuses_roll_everything_back(small_v2, tmp_path):
    bundle = copy.deepcopy(small_v2["bundle"])
    fringe = bundle["rows"][index_of(bundle, "budgets.fringe")]
    bundle["rows"].append({**copy.deepcopy(fringe), "key": "budgets.fringe:2"})  # same budget and code
    message = import_fails(tmp_path, bundle, "--rename", "Fresh")
    assert f"rows[{len(bundle['rows']) - 1}] budgets.fringe: the database refused it" in message


def test_a_version_1_bundle_still_imports(small_v2, tmp_path):
    v1 = {k: v for k, v in copy.deepcopy(small_v2["bundle"]).items() if k != "rows"}
    v1["schema_version"] = 1
    for section in v1.values():
        if isinstance(section, list):
            for row in section:
                row.pop("key", None)
    call_command("import", write(tmp_path, v1), "--as", OWNER, "--rename", "From v1")
    imported = Production.objects.get(title="From v1")
    assert imported.crew.count() == small_v2["production"].crew.count()
    from unitbase.core.models import AuditEvent

    assert AuditEvent.objects.get(production_id=imported.pk, action="production.import").changes["schema_version"] == 1
    # A version-2 key in a version-1 bundle is an unknown key there.
    v1["units"][0]["key"] = "productions.unit:1"
    assert "units[0].key: unknown key" in import_fails(tmp_path, v1, "--rename", "From v1 again")


def test_export_refuses_a_row_pointing_into_another_production(small_v2):
    from unitbase.budgets.models import PurchaseOrder, Vendor

    other = Production.objects.create(title="Other", base_currency="GBP", time_zone="Europe/London")
    foreign = Vendor.objects.create(production=other, name="Elsewhere Ltd")
    before = all_rows()
    PurchaseOrder.objects.filter(production=small_v2["production"]).update(vendor=foreign)
    with pytest.raises(BundleError) as exc:
        export(small_v2["production"], OWNER)
    assert any(e.startswith("budgets.purchaseorder ") and f".vendor: refers to budgets.vendor {foreign.pk}, which "
               "this production does not own" in e for e in exc.value.errors), exc.value.errors
    assert all_rows() == before  # a refused export records no export event


def test_export_command_refuses_what_it_cannot_carry(small_v2, capsys):
    from unitbase.budgets.models import PurchaseOrder

    stranger = get_user_model().objects.create_user(email="stranger@example.test", password="x-long-password-1")
    PurchaseOrder.objects.filter(production=small_v2["production"]).update(requested_by=stranger)
    with pytest.raises(CommandError) as exc:
        call_command("export", str(small_v2["production"].pk), "--as", OWNER)
    assert exc.value.returncode == 2
    assert "budgets.purchaseorder" in str(exc.value) and "requested_by: refers to user" in str(exc.value)
    assert "not a member of the production" in str(exc.value)
    assert capsys.readouterr().out == ""
