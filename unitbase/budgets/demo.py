"""Demo content for the budget and spending side: `demo_seed_budget(access=...)` builds a locked
shooting budget for the demo short film from the feature chart (globals, fringes, a euro rate,
top-sheet charges), a few POs through the approval chains (approved, pending, over budget, rejected,
draft), an invoice and payment, and weekly actuals, so the cost report has figures and a variance.

Every write goes through the services, as the office would make it; the people acting are the
production's own members (found by role)."""

from __future__ import annotations

import contextlib
import datetime as dt
from decimal import Decimal as D

from django.core.exceptions import PermissionDenied, ValidationError

from unitbase.approvals.selectors import approval_latest_for
from unitbase.approvals.services import approval_decide
from unitbase.productions.authority import Role
from unitbase.productions.models import Department, Membership
from unitbase.productions.permissions import ProductionAccess, access_production

from . import services, spending
from .models import Budget, BudgetAccount, ChartOfAccounts, PurchaseOrder

BUDGET_NAME = "Shooting budget"

# Crew labour lines are not listed here: one line per crew member is made from the crew list (their
# weekly rate over their engagement's working days), so the budget, the payroll deals (labour
# commitments) and the approved timecards (labour actuals) all price the same people the same way.
# The account of each crew member: by position, else by department (payroll's demo deals use it too).
DEMO_POSITION_ACCOUNTS = {
    "Line Producer": "1202", "Unit Production Manager": "2001", "Production Manager": "2001",
    "Production Coordinator": "2004", "1st Assistant Director": "2002", "2nd Assistant Director": "2003",
    "Script Supervisor": "2006", "Floor Runner": "2007", "Director of Photography": "3301",
    "2nd Unit Director of Photography": "3302", "Drone Operator": "3302", "1st AC": "3303", "2nd AC": "3303",
    "DIT": "3304", "Key Grip": "2501", "Gaffer": "3201", "Production Sound Mixer": "3401",
    "Production Designer": "2201", "Art Director": "2202", "Props Master": "2801", "Costume Designer": "2901",
    "Hair and Makeup Designer": "3101", "Location Manager": "3601", "Transport Captain": "3501",
    "Marine Coordinator": "1404", "Rain and Wind Effects Supervisor": "2601",
}
DEMO_DEPARTMENT_ACCOUNTS = {
    "Camera": "3303", "Grip": "2502", "Electric": "3202", "Sound": "3402", "Art": "2202", "Props": "2801",
    "Wardrobe": "2902", "Hair and makeup": "3101", "Locations": "3601", "Transport": "3502", "Catering": "3620",
    "Script": "2006", "Stunts": "1404", "Special effects": "2601",
}


def demo_crew_account(position: str, department: str) -> str:
    return DEMO_POSITION_ACCOUNTS.get(position) or DEMO_DEPARTMENT_ACCOUNTS.get(department, "")


def _crew_lines(production) -> list[tuple]:
    """One budget line per crew member on a weekly rate: weeks = working days of the engagement / 5."""
    from unitbase.people.models import CrewMember

    lines = []
    crew = (CrewMember.objects.filter(production=production, rate_unit="week").exclude(rate_amount=None)
            .exclude(start_date=None).exclude(end_date=None).select_related("person", "position", "department")
            .order_by("department__order", "pk"))
    for member in crew:
        account = demo_crew_account(member.position.name if member.position else "",
                                    member.department.name if member.department else "")
        if not account:
            continue
        days = sum(1 for n in range((member.end_date - member.start_date).days + 1)
                   if (member.start_date + dt.timedelta(days=n)).weekday() < 5)
        weeks = (D(days) / 5).quantize(D("0.1"))
        lines.append((account, f"{member.position.name if member.position else 'Crew'} ({member.person.name})",
                      str(weeks), "week", "1", str(member.rate_amount), "", ["HOL", "ENIC"], member.person.name))
    return lines


# (account, description, amount, unit, x, rate, currency, fringes, person)
LINES = [
    ("1102", "Screenplay fee", "1", "flat", "1", "12000", "", [], ""),
    ("1202", "Producer", "1", "flat", "1", "15000", "", [], ""),
    ("1301", "Director", "1", "flat", "1", "20000", "", ["HOL", "ENIC"], "Director"),
    ("1401", "Principal cast (3)", "SHOOT_DAYS", "day", "3", "650", "", ["HOL", "ENIC"], ""),
    ("1402", "Supporting cast", "SHOOT_DAYS / 3", "day", "4", "450", "", ["HOL", "ENIC"], ""),
    ("1405", "Casting director", "1", "flat", "1", "4500", "", [], ""),
    ("1503", "Per diem, cast", "SHOOT_DAYS * 3", "day", "1", "35", "", [], ""),
    ("2101", "Background", "SHOOT_DAYS / 2", "day", "12", "110", "", [], ""),
    ("2210", "Art department supplies", "1", "allow", "1", "6500", "", [], ""),
    ("2505", "Craft service", "SHOOT_DAYS", "day", "1", "120", "", [], ""),
    ("2810", "Props, purchases and hire", "1", "allow", "1", "4200", "", [], ""),
    ("2910", "Wardrobe purchases and hire", "1", "allow", "1", "3800", "", [], ""),
    ("3210", "Lighting package", "SHOOT_WEEKS", "week", "1", "2400", "", [], ""),
    ("3310", "Camera package (Paris rental house)", "SHOOT_WEEKS", "week", "1", "5200", "EUR", [], ""),
    ("3410", "Sound package", "SHOOT_WEEKS", "week", "1", "900", "", [], ""),
    ("3510", "Vans and unit vehicles", "SHOOT_WEEKS", "week", "3", "420", "", [], ""),
    ("3520", "Fuel", "SHOOT_DAYS", "day", "1", "85", "", [], ""),
    ("3610", "Harbour and cottage locations", "SHOOT_DAYS", "day", "1", "600", "", [], ""),
    ("3611", "Permits", "1", "flat", "1", "1200", "", [], ""),
    ("3620", "Catering", "SHOOT_DAYS", "day", "34", "14", "", [], ""),
    ("3701", "Media and storage", "1", "allow", "1", "2500", "", [], ""),
    ("5001", "Editor", "8", "week", "1", "1600", "", ["HOL", "ENIC"], ""),
    ("5201", "Sound design and mix", "1", "flat", "1", "9000", "", [], ""),
    ("5301", "Grade and online", "1", "flat", "1", "6000", "", [], ""),
    ("6502", "Publicity stills", "1", "allow", "1", "1200", "", [], ""),
    ("6701", "Production insurance", "1", "flat", "1", "3800", "", [], ""),
]


def _members(production) -> dict[str, ProductionAccess]:
    """One access per role (the first member holding it)."""
    found: dict[str, ProductionAccess] = {}
    for membership in Membership.objects.filter(production=production).select_related("user").order_by("pk"):
        found.setdefault(membership.role, access_production(membership.user, production.pk))
    return found


def _decide_until(po: PurchaseOrder, deciders: list[ProductionAccess], kind: str = "purchase_order",
                  reject_reason: str = "") -> None:
    """Walk a request's chain with whoever may decide each step (or reject at the first step)."""
    for _ in range(8):
        request = approval_latest_for(obj=po, kind=kind)
        if request is None or request.status != request.Status.PENDING:
            return
        for access in deciders:
            try:
                approval_decide(access=access, request_id=request.pk, version=request.version,
                                decision="reject" if reject_reason else "approve", reason=reject_reason)
                break
            except (PermissionDenied, ValidationError):
                continue
        else:
            return


def _demo_petty_cash(upm: ProductionAccess, holder: ProductionAccess, deciders: list[ProductionAccess],
                     shoot_start: dt.date) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # a stand-in scan; the type check reads the magic bytes
    cash = spending.petty_cash_float_issue(access=upm, holder_id=holder.user.pk, amount=D("300"),
                                           issued_on=shoot_start - dt.timedelta(days=3))
    for number, receipts in enumerate([
        [("2210", "Gaffer tape and markers", "38.40"), ("3510", "Parking, unit base", "24.00")],
        [("2210", "Batteries (AA, 9V)", "41.75")],
    ]):
        envelope = spending.petty_cash_envelope_open(access=holder, float_id=cash.pk)
        for i, (code, description, amount) in enumerate(receipts):
            spending.receipt_add(access=holder, envelope_id=envelope.pk, date=shoot_start + dt.timedelta(days=number + i),
                                 account_code=code, description=description, amount=D(amount),
                                 file=SimpleUploadedFile(f"receipt-{number}-{i}.png", png, content_type="image/png"))
        spending.petty_cash_envelope_submit(access=holder, envelope_id=envelope.pk)
        if number == 0:
            _decide_until(envelope, deciders, kind=spending.PETTY_CASH_KIND)


def demo_seed_budget(*, access: ProductionAccess, shoot_start: dt.date | None = None) -> Budget:
    """Build the demo's budget and spending (idempotent: returns the existing budget when present).
    `access` is a member who may edit budgets (the producer or UPM)."""
    existing = Budget.objects.filter(production=access.production, name=BUDGET_NAME).order_by("version").first()
    if existing is not None:
        return existing
    production = access.production
    members = _members(production)
    upm = members.get(Role.UPM, access)
    shoot_start = shoot_start or dt.date(2027, 3, 1)

    chart = (ChartOfAccounts.objects.filter(production=production, kind=ChartOfAccounts.Kind.FEATURE).first()
             or services.chart_load_standard(access=access, kind="feature"))
    budget = services.budget_create(access=access, chart_id=chart.pk, name=BUDGET_NAME,
                                    base_currency=production.base_currency)
    services.global_set(access=access, budget_id=budget.pk, name="SHOOT_DAYS", value=D(15), description="Three 5-day weeks")
    with contextlib.suppress(ValidationError):  # no applied schedule: keep 15
        services.global_sync_schedule(access=access, budget_id=budget.pk)
    services.global_set(access=access, budget_id=budget.pk, name="SHOOT_WEEKS", value=D(3))
    services.global_set(access=access, budget_id=budget.pk, name="PREP_WEEKS", value=D(4))
    services.fringe_create(access=access, budget_id=budget.pk, code="HOL", name="Holiday pay", kind="percent",
                           rate=D("12.07"))
    services.fringe_create(access=access, budget_id=budget.pk, code="ENIC", name="Employer's NI", kind="percent",
                           rate=D("13.8"), cap=D("6000"))
    services.exchange_rate_set(access=access, budget_id=budget.pk, currency="EUR", rate=D("0.86"))
    services.charge_set(access=access, budget_id=budget.pk, name="Contingency", rate=D(10),
                        basis=["atl", "production", "post", "other"])
    services.charge_set(access=access, budget_id=budget.pk, name="Completion bond", rate=D(3),
                        basis=["atl", "production", "post", "other"], applied=False)
    services.charge_set(access=access, budget_id=budget.pk, name="Production overhead", rate=D(5),
                        basis=["production", "post"])
    accounts = {a.code: a.pk for a in BudgetAccount.objects.filter(budget=budget)}
    for code, description, amount, unit, x, rate, currency, fringes, person in [*LINES, *_crew_lines(production)]:
        services.detail_line_add(access=access, budget_id=budget.pk, account_id=accounts[code], description=description,
                                 amount=amount, unit=unit, x=x, rate=D(rate), currency=currency,
                                 fringe_codes=fringes, fringe_group=person)
    services.budget_lock(access=access, budget_id=budget.pk)

    # Spending: vendors, POs through the chains, an invoice and a payment, weekly actuals.
    deciders = [m for role, m in members.items() if role != Role.CREW]
    camera = Department.objects.filter(production=production, name="Camera").first()
    head = members.get(Role.DEPARTMENT_HEAD)
    requester = head if head is not None and camera is not None else upm

    def vendor(name: str) -> int:
        return spending.vendor_create(access=upm, name=name).pk

    def po(by: ProductionAccess, vendor_name: str, description: str, lines: list[tuple[str, str, str]],
           department=None, currency: str = "") -> PurchaseOrder:
        return spending.purchase_order_create(
            access=by, vendor_id=vendor(vendor_name), description=description, currency=currency,
            department_id=department.pk if department else None,
            lines=[{"account_code": c, "description": d, "amount": D(a)} for c, d, a in lines])

    cam = po(requester, "Lumière Location Caméra", "Camera package, 3 weeks",
             [("3310", "Alexa Mini LF body and support", "9600"), ("3310", "Prime lens set", "5400")],
             department=camera, currency="EUR")
    spending.purchase_order_submit(access=requester, po_id=cam.pk)
    _decide_until(cam, deciders)
    lights = po(upm, "Clyde Lighting Hire", "Lighting package and generator", [
        ("3210", "LED lighting package, 3 weeks", "6600"), ("3210", "Generator and cabling", "900")])
    spending.purchase_order_submit(access=upm, po_id=lights.pk)
    _decide_until(lights, deciders)
    _decide_until(lights, deciders, kind=spending.OVERAGE_KIND)  # 7,500 against 3 weeks x 2,400: its overage too
    catering = po(upm, "Firth Kitchen", "Unit catering, shoot days",
                  [("3620", "Breakfast and lunch, 34 covers", "6700"), ("3620", "Craft table top-up", "480")])
    spending.purchase_order_submit(access=upm, po_id=catering.pk)  # over its account: overage pending
    boats = po(upm, "Ardmore Harbour Trust", "Harbour berths and permits", [("3611", "Harbour permits", "950")])
    spending.purchase_order_submit(access=upm, po_id=boats.pk)
    _decide_until(boats, deciders, reject_reason="The trust quoted 700 by e-mail; resubmit at that amount.")
    po(upm, "Marine Safety Scotland", "Safety boat and crew (draft)", [("3510", "Safety boat, 4 days", "2800")])
    # A check request (deposit without a PO) waiting for approval.
    deposit = spending.check_request_create(access=upm, payee="Ardmore Harbour Trust", account_code="3611",
                                            description="Harbour permit deposit, at the quoted 700",
                                            amount=D("700"), date=shoot_start - dt.timedelta(days=3))
    spending.check_request_submit(access=upm, check_request_id=deposit.pk)

    if cam.pk and PurchaseOrder.objects.get(pk=cam.pk).status == PurchaseOrder.Status.APPROVED:
        invoice = spending.invoice_record(access=upm, vendor_id=cam.vendor_id, number="LLC-2027-041",
                                          date=shoot_start + dt.timedelta(days=4), purchase_order_id=cam.pk,
                                          lines=[{"account_code": "3310", "amount": D("5000"),
                                                  "description": "Week 1 hire"}])
        spending.payment_record(access=upm, invoice_id=invoice.pk, date=shoot_start + dt.timedelta(days=10),
                                amount=D("5000"), method="wire", reference="BACS 20270311")
    # An invoice without a PO, waiting for its approvals; a petty cash float with an approved and a pending envelope.
    spending.invoice_record(access=upm, vendor_id=vendor("Oban Hardware"), number="OH-3381",
                            date=shoot_start + dt.timedelta(days=2), department_id=None,
                            lines=[{"account_code": "2210", "amount": D("184.50"), "description": "Rope, shackles, cleats"},
                                   {"account_code": "3510", "amount": D("62.00"), "description": "Diesel cans"}])
    holder = members.get(Role.CREW)
    if holder is not None:
        _demo_petty_cash(upm, holder, deciders, shoot_start)
    # Labour is not posted here: approved timecards post it (payroll demo) and the payroll deals count
    # as labour commitments, so posting weekly labour by hand as well would count it twice.
    for week_start in (shoot_start, shoot_start + dt.timedelta(days=7)):
        spending.transaction_post(access=upm, account_code="3620", amount=D("2380"), currency=production.base_currency,
                                  date=week_start + dt.timedelta(days=4), source="manual", reference="Catering float",
                                  description="Catering, 5 days")
    spending.transaction_post(access=upm, account_code="2210", amount=D("3100"), currency=production.base_currency,
                              date=shoot_start - dt.timedelta(days=14), source="manual", reference="Art dept card",
                              description="Set dressing purchases")
    # The DP's camera assistants ran a day over each week: the accountant expects 1,800 more to come.
    spending.cost_estimate_set(access=upm, budget_id=budget.pk, account_code="3303", etc=D("4800"),
                               note="Extra day per week for the 2nd AC")
    budget.refresh_from_db()
    return budget


def demo_close_first_week(*, access: ProductionAccess, shoot_start: dt.date | None = None) -> None:
    """The accountant closes the first shoot week, once its timecards have posted, so the latest
    report shows each account's change in EFC since (idempotent)."""
    from .closings import cost_report_close
    from .models import CostReportClosing

    shoot_start = shoot_start or dt.date(2027, 3, 1)
    budget = Budget.objects.filter(production=access.production, name=BUDGET_NAME).order_by("version").first()
    week_ending = shoot_start + dt.timedelta(days=6 - shoot_start.weekday())
    if budget is None or CostReportClosing.objects.filter(production=access.production, week_ending=week_ending).exists():
        return
    upm = _members(access.production).get(Role.UPM, access)
    cost_report_close(access=upm, budget_id=budget.pk, note="Shoot week 1", week_ending=week_ending)
