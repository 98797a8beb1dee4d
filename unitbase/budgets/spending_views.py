"""Spending and cost-report pages: purchase orders (list, create, detail, submit, close, invoices),
vendors, petty cash, transactions, hot cost, and the cost report (HTML, PDF, XLSX, ETC edits).
Thin: forms check shapes, services in spending.py write, reads are scoped by access_spending /
access_budget. Invalid POSTs answer 422, conflicts 409."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from unitbase.core.money import format_money
from unitbase.productions.authority import Action
from unitbase.productions.decorators import production_view
from unitbase.productions.models import Department
from unitbase.productions.permissions import ActionDenied

from . import closings, costreport, selectors, spending
from .forms import apply_service_errors
from .models import (
    CheckRequest,
    HotCostDay,
    Invoice,
    Payment,
    PettyCashEnvelope,
    PettyCashFloat,
    PurchaseOrder,
    Transaction,
    Vendor,
)
from .permissions import REQUEST_PURCHASE, VIEW_BUDGET, VIEW_SPENDING, access_budget, access_spending


def spending_view(action: str = VIEW_SPENDING, guard=access_spending):
    return production_view(action, guard=guard)


def _lines_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        exc = ValidationError({k.removeprefix("lines.0."): v for k, v in exc.error_dict.items()})
    apply_service_errors(form, exc)


visible_pos = selectors.purchase_orders_visible


# --- forms ----------------------------------------------------------------------------------------


class VendorForm(forms.Form):
    name = forms.CharField(max_length=160)
    contact = forms.CharField(max_length=160, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)


class POForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)
    description = forms.CharField(max_length=200)
    currency = forms.CharField(max_length=3, required=False, help_text="Blank: the budget's base currency")

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(production=access.production)
        self.fields["department"].queryset = Department.objects.filter(production=access.production)


class POLineForm(forms.Form):
    account_code = forms.CharField(max_length=20, label="Account",
                                   widget=forms.TextInput(attrs={"list": "po-accounts", "class": "code-input"}))
    description = forms.CharField(max_length=200, required=False)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "num"}))


MAX_PO_LINES = 100
POLineFormSet = forms.formset_factory(POLineForm, extra=0, min_num=1, validate_min=True, max_num=MAX_PO_LINES,
                                      validate_max=True)


def _posted_rows(data) -> list[dict]:
    """The line rows as typed (strings), for re-rendering after "add" or "remove" without saving."""
    try:
        count = min(int(data.get("lines-TOTAL_FORMS", 0)), MAX_PO_LINES)
    except (TypeError, ValueError):
        count = 0
    return [{name: data.get(f"lines-{i}-{name}", "") for name in ("account_code", "description", "amount")}
            for i in range(count)]


def _line_action_rows(request) -> list[dict] | None:
    """A POST that only edits the line table ("add", "remove-N", or ?part=total): the rows to show
    again, nothing saved. None when the POST is a save."""
    action = request.POST.get("line_action", "")
    if not (request.GET.get("part") == "total" or action == "add" or action.startswith("remove-")):
        return None
    rows = _posted_rows(request.POST)
    if action == "add" and len(rows) < MAX_PO_LINES:
        rows.append({"account_code": "", "description": "", "amount": ""})
    elif action.startswith("remove-") and action[7:].isdigit() and len(rows) > 1 and int(action[7:]) < len(rows):
        del rows[int(action[7:])]
    return rows or [{}]


def _rows_total(rows: list[dict]) -> tuple[Decimal, bool]:
    """Sum of the amounts that parse; the flag says some did not (the page says the total is partial)."""
    total, partial = Decimal("0.00"), False
    for row in rows:
        raw = str(row.get("amount") or "").replace(",", "").strip()
        if not raw:
            continue
        try:
            value = Decimal(raw)
        except InvalidOperation:
            partial = True
            continue
        if value.is_finite():
            total += value
        else:
            partial = True
    return total, partial


def _apply_line_errors(header: forms.Form, formset, exc: ValidationError) -> None:
    """Service errors keyed "lines.<i>.<field>" go beside that line's field; the rest to the header form."""
    if not hasattr(exc, "error_dict"):
        header.add_error(None, exc)
        return
    rest: dict = {}
    for key, errors in exc.error_dict.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(formset.forms):
            line_form = formset.forms[int(parts[1])]
            field = parts[2] if parts[2] in line_form.fields else None
            for error in errors:
                line_form.add_error(field, error)
        else:
            rest[key] = errors
    if rest:
        apply_service_errors(header, ValidationError(rest))


class InvoiceForm(forms.Form):
    number = forms.CharField(max_length=60, label="Invoice number")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    account_code = forms.CharField(max_length=20, required=False, label="Account", help_text="Blank: the PO's first line")
    amount = forms.DecimalField(max_digits=14, decimal_places=2)


class DirectInvoiceForm(forms.Form):
    vendor = forms.ModelChoiceField(queryset=Vendor.objects.none())
    number = forms.CharField(max_length=60, label="Invoice number")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    currency = forms.CharField(max_length=3, required=False, help_text="Blank: the budget's base currency")
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False,
                                        help_text="Whose department head signs first")

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.filter(production=access.production)
        self.fields["department"].queryset = Department.objects.filter(production=access.production)


class CheckRequestForm(forms.Form):
    payee = forms.CharField(max_length=160)
    account_code = forms.CharField(max_length=20, label="Account",
                                   widget=forms.TextInput(attrs={"list": "cr-accounts", "class": "code-input"}))
    description = forms.CharField(max_length=200)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    currency = forms.CharField(max_length=3, required=False, help_text="Blank: the budget's base currency")
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    department = forms.ModelChoiceField(queryset=Department.objects.none(), required=False)

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(production=access.production)


class PaymentForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    method = forms.ChoiceField(choices=Payment.Method.choices)
    reference = forms.CharField(max_length=60, required=False)


class FloatForm(forms.Form):
    holder = forms.ModelChoiceField(queryset=get_user_model().objects.none())
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    issued_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = get_user_model().objects.filter(
            memberships__production=access.production, memberships__is_active=True)


class ReceiptForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    account_code = forms.CharField(max_length=20, label="Account")
    description = forms.CharField(max_length=200)
    amount = forms.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    file = forms.FileField(label="Receipt (PDF, JPEG or PNG)")


class FloatCountForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    counted = forms.DecimalField(max_digits=14, decimal_places=2, label="Cash counted")
    note = forms.CharField(max_length=300, required=False)
    close = forms.BooleanField(required=False, label="Cash returned: close the float")


class TransactionForm(forms.Form):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    account_code = forms.CharField(max_length=20, label="Account")
    amount = forms.DecimalField(max_digits=14, decimal_places=2)
    currency = forms.CharField(max_length=3, required=False)
    source = forms.ChoiceField(choices=Transaction.Source.choices, initial=Transaction.Source.MANUAL)
    reference = forms.CharField(max_length=80, required=False)
    description = forms.CharField(max_length=200, required=False)


class HotCostForm(forms.ModelForm):
    class Meta:
        model = HotCostDay
        fields = ["date", "planned_hours", "actual_hours", "overtime_hours", "meal_penalties", "planned_cost",
                  "actual_cost", "extra_day", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


# --- purchase orders ------------------------------------------------------------------------------


@spending_view()
def po_list(request, access):
    return _po_list(request, access)


def _po_list(request, access, vendor_form=None, status=200):
    pos = visible_pos(access)
    state = request.GET.get("status", "")
    if state in PurchaseOrder.Status.values:
        pos = pos.filter(status=state)
    return render(request, "budgets/spending.html", {
        "pos": pos[:500], "statuses": PurchaseOrder.Status.choices, "state": state,
        "can_request": spending.can_request_purchase(access),
        "vendor_form": vendor_form or VendorForm(),
        "vendors": Vendor.objects.filter(production=access.production),
        "budget": costreport.reporting_budget(access.production),
    }, status=status)


def _htmx(request) -> bool:
    return bool(getattr(request, "htmx", False))


def _po_form_page(request, access, *, po=None, header=None, formset=None, status=200):
    """The new-PO / edit-lines page; with htmx and ?part=lines|total only that fragment."""
    budget = po.budget if po else costreport.reporting_budget(access.production)
    if formset is None:
        initial = ([{"account_code": line.account_code, "description": line.description, "amount": line.amount}
                    for line in po.lines.all()] if po else [{}])
        formset = POLineFormSet(prefix="lines", initial=initial)
    total, partial = _rows_total([{"amount": f["amount"].value()} for f in formset.forms])
    context = {
        "po": po, "header": header if header is not None else (None if po else POForm(access=access)),
        "formset": formset, "budget": budget, "total": total, "total_partial": partial,
        "currency": (po.currency if po else (header["currency"].value() if header is not None else "")
                     or (budget.base_currency if budget else "")),
        "accounts": budget.accounts.order_by("code").values_list("code", "name") if budget else [],
        "form_url": (reverse("budgets:po_edit", args=[access.production.pk, po.pk]) if po
                     else reverse("budgets:po_create", args=[access.production.pk])),
        "max_lines": MAX_PO_LINES, "vendors_exist": Vendor.objects.filter(production=access.production).exists(),
    }
    template = "budgets/po_form.html"
    part = request.GET.get("part")
    if _htmx(request) and part in ("lines", "total"):
        template += f"#{part}"
    return render(request, template, context, status=status)


def _po_form_post(request, access, po=None):
    """POST of the PO form: "add"/"remove-N" re-render the lines without saving; ?part=total only
    recomputes the total; anything else saves (create a draft, or replace a draft's lines)."""
    header = POForm(request.POST, access=access) if po is None else None
    rows = _line_action_rows(request)
    if rows is not None:
        header = POForm(initial=request.POST.dict(), access=access) if po is None else None
        return _po_form_page(request, access, po=po, header=header,
                             formset=POLineFormSet(prefix="lines", initial=rows))
    formset = POLineFormSet(request.POST, prefix="lines")
    header_ok = header.is_valid() if header is not None else True
    if formset.is_valid() and header_ok:
        fallback = header.cleaned_data["description"] if header is not None else po.description
        lines = [{"account_code": f.cleaned_data["account_code"], "amount": f.cleaned_data["amount"],
                  "description": f.cleaned_data["description"] or fallback} for f in formset.forms]
        try:
            if po is None:
                d = header.cleaned_data
                po = spending.purchase_order_create(
                    access=access, vendor_id=d["vendor"].pk, description=d["description"], currency=d["currency"],
                    department_id=d["department"].pk if d["department"] else None, lines=lines)
                messages.success(request, f"{po} saved as a draft with {len(lines)} line{'s' if len(lines) != 1 else ''}.")
            else:
                revision = request.POST.get("revision", "")
                po = spending.purchase_order_update_lines(access=access, po_id=po.pk, lines=lines,
                                                          revision=int(revision) if revision.isdigit() else None)
                messages.success(request, f"{po}: lines saved, total {po.currency} {po.total:,.2f}.")
        except spending.PurchaseOrderLocked as exc:
            (header or formset.forms[0]).add_error(None, exc.message)
            return _po_form_page(request, access, po=po, header=header, formset=formset, status=409)
        except ValidationError as exc:
            _apply_line_errors(header if header is not None else formset.forms[0], formset, exc)
        else:
            return redirect("budgets:po", access.production.pk, po.pk)
    return _po_form_page(request, access, po=po, header=header, formset=formset, status=422)


@spending_view(REQUEST_PURCHASE)
def po_create(request, access):
    if request.method == "POST":
        return _po_form_post(request, access)
    return _po_form_page(request, access)


@spending_view(REQUEST_PURCHASE)
def po_edit(request, access, po_id: int):
    try:
        po = visible_pos(access).select_related("budget").get(pk=po_id)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None
    if not po.is_editable:
        messages.error(request, f"{po} is {po.get_status_display().lower()}; its amounts are locked.")
        return redirect("budgets:po", access.production.pk, po.pk)
    if request.method == "POST":
        return _po_form_post(request, access, po=po)
    return _po_form_page(request, access, po=po)


@spending_view(REQUEST_PURCHASE)
@require_POST
def vendor_create(request, access):
    form = VendorForm(request.POST)
    if form.is_valid():
        try:
            vendor = spending.vendor_create(access=access, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Vendor {vendor} added.")
            return redirect("budgets:spending", access.production.pk)
    return _po_list(request, access, vendor_form=form, status=422)


def _po_page(request, access, po_id, invoice_form=None, payment_form=None, status=200):
    try:
        po = visible_pos(access).get(pk=po_id)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None
    from unitbase.approvals.selectors import approval_requests_for_object

    return render(request, "budgets/po_detail.html", {
        "po": po, "lines": po.lines.all(), "approvals": approval_requests_for_object(obj=po),
        "invoices": po.invoices.prefetch_related("payments"),
        "can_edit_budget": access.can(Action.EDIT_BUDGET),
        "can_submit": po.is_editable and spending.can_request_purchase(access),
        "invoice_form": invoice_form or InvoiceForm(initial={"date": dt.date.today()}),
        "payment_form": payment_form or PaymentForm(initial={"date": dt.date.today()}),
    }, status=status)


@spending_view()
def po_detail(request, access, po_id: int):
    return _po_page(request, access, po_id)


@spending_view(REQUEST_PURCHASE)
@require_POST
def po_submit(request, access, po_id: int):
    try:
        po = spending.purchase_order_submit(access=access, po_id=po_id)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None
    except spending.PurchaseOrderLocked as exc:
        messages.error(request, exc.message)
        return redirect("budgets:po", access.production.pk, po_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("budgets:po", access.production.pk, po_id)
    extra = (f" It also asks for approval of a {format_money(po.overage, po.budget.base_currency)} overage."
             if po.overage else "")
    messages.success(request, f"{po} submitted for approval.{extra}")
    return redirect("budgets:po", access.production.pk, po_id)


@spending_view(Action.EDIT_BUDGET)
@require_POST
def po_close(request, access, po_id: int):
    try:
        spending.purchase_order_close(access=access, po_id=po_id)
    except PurchaseOrder.DoesNotExist:
        raise Http404("No such purchase order.") from None
    except spending.PurchaseOrderLocked as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Purchase order closed; its open balance is released.")
    return redirect("budgets:po", access.production.pk, po_id)


@spending_view(Action.EDIT_BUDGET)
@require_POST
def invoice_create(request, access, po_id: int):
    form = InvoiceForm(request.POST)
    po = PurchaseOrder.objects.filter(production=access.production, pk=po_id).first()
    if po is None:
        raise Http404("No such purchase order.")
    if form.is_valid():
        d = form.cleaned_data
        try:
            invoice = spending.invoice_record(access=access, vendor_id=po.vendor_id, number=d["number"], date=d["date"],
                                              purchase_order_id=po.pk,
                                              lines=[{"account_code": d["account_code"], "amount": d["amount"]}])
        except ValidationError as exc:
            _lines_errors(form, exc)
        else:
            flag = f" It is {invoice.over_po:,.2f} over the PO." if invoice.over_po else ""
            (messages.warning if flag else messages.success)(request, f"{invoice} recorded.{flag}")
            late = closings.late_posting_notice(access.production, invoice.date)
            if late:
                messages.warning(request, late)
            return redirect("budgets:po", access.production.pk, po.pk)
    return _po_page(request, access, po_id, invoice_form=form, status=422)


@spending_view(Action.EDIT_BUDGET)
@require_POST
def payment_create(request, access, invoice_id: int):
    invoice = Invoice.objects.filter(production=access.production, pk=invoice_id).first()
    if invoice is None:
        raise Http404("No such invoice.")
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            spending.payment_record(access=access, invoice_id=invoice.pk, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Payment recorded.")
            if invoice.purchase_order_id is None:
                return redirect("budgets:invoice", access.production.pk, invoice.pk)
            return redirect("budgets:po", access.production.pk, invoice.purchase_order_id)
    if invoice.purchase_order_id is None:
        return _invoice_page(request, access, invoice.pk, payment_form=form, status=422)
    return _po_page(request, access, invoice.purchase_order_id, payment_form=form, status=422)


# --- invoices (all, and direct invoices without a PO) ----------------------------------------------


@spending_view(VIEW_BUDGET, guard=access_budget)
def invoice_list(request, access):
    invoices = Invoice.objects.filter(production=access.production).select_related("vendor", "purchase_order")
    state = request.GET.get("status", "")
    if state in Invoice.Status.values:
        invoices = invoices.filter(status=state)
    return render(request, "budgets/invoices.html", {
        "invoices": invoices[:500], "statuses": Invoice.Status.choices, "state": state,
        "can_edit_budget": access.can(Action.EDIT_BUDGET),
    })


def _invoice_form_page(request, access, *, header=None, formset=None, status=200):
    budget = costreport.reporting_budget(access.production)
    formset = formset or POLineFormSet(prefix="lines", initial=[{}])
    total, partial = _rows_total([{"amount": f["amount"].value()} for f in formset.forms])
    header = header if header is not None else DirectInvoiceForm(access=access, initial={"date": dt.date.today()})
    template = "budgets/invoice_form.html"
    if _htmx(request) and request.GET.get("part") in ("lines", "total"):
        template += f"#{request.GET['part']}"
    return render(request, template, {
        "header": header, "formset": formset, "budget": budget, "total": total, "total_partial": partial,
        "currency": header["currency"].value() or (budget.base_currency if budget else ""),
        "accounts": budget.accounts.order_by("code").values_list("code", "name") if budget else [],
        "form_url": reverse("budgets:invoice_new", args=[access.production.pk]), "max_lines": MAX_PO_LINES,
        "vendors_exist": Vendor.objects.filter(production=access.production).exists(),
    }, status=status)


@spending_view(Action.EDIT_BUDGET, guard=access_budget)
def invoice_new(request, access):
    """Record an invoice without a PO: lines coded to accounts; it goes through the approval chain."""
    if request.method != "POST":
        return _invoice_form_page(request, access)
    rows = _line_action_rows(request)
    if rows is not None:
        return _invoice_form_page(request, access, header=DirectInvoiceForm(initial=request.POST.dict(), access=access),
                                  formset=POLineFormSet(prefix="lines", initial=rows))
    header = DirectInvoiceForm(request.POST, access=access)
    formset = POLineFormSet(request.POST, prefix="lines")
    if header.is_valid() and formset.is_valid():
        d = header.cleaned_data
        lines = [{"account_code": f.cleaned_data["account_code"], "amount": f.cleaned_data["amount"],
                  "description": f.cleaned_data["description"]} for f in formset.forms]
        try:
            invoice = spending.invoice_record(access=access, vendor_id=d["vendor"].pk, number=d["number"],
                                              date=d["date"], currency=d["currency"], lines=lines,
                                              department_id=d["department"].pk if d["department"] else None)
        except ValidationError as exc:
            _apply_line_errors(header, formset, exc)
        else:
            messages.success(request, f"{invoice} recorded and sent for approval; it posts to the cost report "
                                      "when approved.")
            if invoice.overage > 0:
                messages.warning(request, f"It pushes the budget over by {invoice.overage:,.2f} "
                                          f"{costreport.reporting_budget(access.production).base_currency}: it also needs overage "
                                          "approval.")
            late = closings.late_posting_notice(access.production, invoice.date, pending=True)
            if late:
                messages.warning(request, late)
            return redirect("budgets:invoice", access.production.pk, invoice.pk)
    return _invoice_form_page(request, access, header=header, formset=formset, status=422)


def _invoice_page(request, access, invoice_id, payment_form=None, status=200):
    from unitbase.approvals.selectors import approval_requests_for_object

    invoice = Invoice.objects.filter(production=access.production, pk=invoice_id).select_related(
        "vendor", "purchase_order", "department", "recorded_by").first()
    if invoice is None:
        raise Http404("No such invoice.")
    return render(request, "budgets/invoice_detail.html", {
        "invoice": invoice, "lines": invoice.lines.select_related("po_line"), "payments": invoice.payments.all(),
        "approvals": approval_requests_for_object(obj=invoice), "can_edit_budget": access.can(Action.EDIT_BUDGET),
        "payment_form": payment_form or PaymentForm(initial={"date": dt.date.today(), "amount": invoice.balance}),
    }, status=status)


@spending_view(VIEW_BUDGET, guard=access_budget)
def invoice_detail(request, access, invoice_id: int):
    return _invoice_page(request, access, invoice_id)


@spending_view(Action.EDIT_BUDGET, guard=access_budget)
@require_POST
def invoice_resubmit(request, access, invoice_id: int):
    try:
        spending.invoice_resubmit(access=access, invoice_id=invoice_id)
    except Invoice.DoesNotExist:
        raise Http404("No such invoice.") from None
    except spending.PurchaseOrderLocked as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Invoice sent for approval again.")
    return redirect("budgets:invoice", access.production.pk, invoice_id)


# --- petty cash -----------------------------------------------------------------------------------


def _petty_page(request, access, float_form=None, receipt_form=None, receipt_envelope=None, count_form=None,
                count_float=None, status=200):
    from unitbase.approvals.selectors import approval_latest_for

    floats = PettyCashFloat.objects.filter(production=access.production).select_related("holder")
    if not access.can(Action.EDIT_BUDGET):
        floats = floats.filter(holder=access.user)
    floats = list(floats.prefetch_related("envelopes__receipts", "counts__counted_by"))
    for f in floats:
        f.spent = spending.float_spent(f)
        f.overspent_by = f.spent - f.amount
        f.overspent = f.overspent_by > 0
        f.expected_cash = spending.float_expected_cash(f)
        for env in f.envelopes.all():
            env.approval = (approval_latest_for(obj=env, kind=spending.PETTY_CASH_KIND)
                            if env.status != PettyCashEnvelope.Status.OPEN else None)
    return render(request, "budgets/pettycash.html", {
        "floats": floats, "can_edit_budget": access.can(Action.EDIT_BUDGET),
        "float_form": float_form or FloatForm(access=access, initial={"issued_on": dt.date.today()}),
        "receipt_form": receipt_form or ReceiptForm(initial={"date": dt.date.today()}),
        "receipt_envelope": receipt_envelope, "cap_mb": f"{spending.receipt_max_bytes() / 1048576:.1f}",
        "count_form": count_form or FloatCountForm(initial={"date": dt.date.today()}), "count_float": count_float,
    }, status=status)


@spending_view(Action.VIEW_PRODUCTION, guard=lambda u, p, a: access_spending_or_member(u, p))
def petty_cash(request, access):
    return _petty_page(request, access)


def access_spending_or_member(user, production_id):
    """Petty cash: any member sees their own floats; accounting sees all."""
    from unitbase.productions.permissions import access_production

    return access_production(user, production_id)


@spending_view(Action.EDIT_BUDGET)
@require_POST
def float_issue(request, access):
    form = FloatForm(request.POST, access=access)
    if form.is_valid():
        d = form.cleaned_data
        try:
            spending.petty_cash_float_issue(access=access, holder_id=d["holder"].pk, amount=d["amount"],
                                            issued_on=d["issued_on"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Float issued.")
            return redirect("budgets:petty_cash", access.production.pk)
    return _petty_page(request, access, float_form=form, status=422)


@spending_view(Action.VIEW_PRODUCTION, guard=lambda u, p, a: access_spending_or_member(u, p))
@require_POST
def envelope_open(request, access, float_id: int):
    try:
        envelope = spending.petty_cash_envelope_open(access=access, float_id=float_id)
    except PettyCashFloat.DoesNotExist:
        raise Http404("No such float.") from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{envelope} opened.")
    return redirect("budgets:petty_cash", access.production.pk)


@spending_view(Action.VIEW_PRODUCTION, guard=lambda u, p, a: access_spending_or_member(u, p))
@require_POST
def receipt_add(request, access, envelope_id: int):
    form = ReceiptForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            spending.receipt_add(access=access, envelope_id=envelope_id, date=d["date"], account_code=d["account_code"],
                                 description=d["description"], amount=d["amount"], file=d["file"])
        except PettyCashEnvelope.DoesNotExist:
            raise Http404("No such envelope.") from None
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Receipt added.")
            return redirect("budgets:petty_cash", access.production.pk)
    return _petty_page(request, access, receipt_form=form, receipt_envelope=envelope_id, status=422)


@spending_view(Action.VIEW_PRODUCTION, guard=lambda u, p, a: access_spending_or_member(u, p))
@require_POST
def envelope_action(request, access, envelope_id: int, verb: str):
    """Submit an envelope for approval; approving and rejecting happen on the approvals pages."""
    if verb != "submit":
        raise Http404("No such action.")
    try:
        spending.petty_cash_envelope_submit(access=access, envelope_id=envelope_id)
    except PettyCashEnvelope.DoesNotExist:
        raise Http404("No such envelope.") from None
    except spending.PurchaseOrderLocked as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Envelope submitted for approval: line producer or UPM, then the accountant.")
    return redirect("budgets:petty_cash", access.production.pk)


@spending_view(Action.EDIT_BUDGET)
@require_POST
def float_count(request, access, float_id: int):
    form = FloatCountForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            count = spending.petty_cash_float_count(access=access, float_id=float_id, counted=d["counted"],
                                                    date=d["date"], note=d["note"], close=d["close"])
        except PettyCashFloat.DoesNotExist:
            raise Http404("No such float.") from None
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            diff = count.difference
            state = "balances" if diff == 0 else (f"is short by {-diff:,.2f}" if diff < 0 else f"is over by {diff:,.2f}")
            (messages.success if diff == 0 else messages.warning)(
                request, f"Float {float_id} counted: it {state}." + (" The float is closed." if d["close"] else ""))
            return redirect("budgets:petty_cash", access.production.pk)
    return _petty_page(request, access, count_form=form, count_float=float_id, status=422)


# --- transactions and hot cost --------------------------------------------------------------------


def _txn_page(request, access, form=None, status=200):
    return render(request, "budgets/transactions.html", {
        "transactions": Transaction.objects.filter(production=access.production).select_related("posted_by")[:200],
        "form": form or TransactionForm(initial={"date": dt.date.today()}),
        "can_edit_budget": access.can(Action.EDIT_BUDGET),
    }, status=status)


@spending_view(VIEW_BUDGET, guard=access_budget)
def transactions(request, access):
    if request.method == "POST":
        access.require(Action.EDIT_BUDGET)
        form = TransactionForm(request.POST)
        if form.is_valid():
            try:
                txn = spending.transaction_post(access=access, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Transaction posted.")
                if txn.posted_period_ending:
                    messages.warning(request, closings.late_posting_notice(access.production, txn.date))
                return redirect("budgets:transactions", access.production.pk)
        return _txn_page(request, access, form=form, status=422)
    return _txn_page(request, access)


@spending_view(VIEW_BUDGET, guard=access_budget)
def hot_cost(request, access):
    form = HotCostForm(request.POST or None, initial={"date": dt.date.today()})
    status = 200
    if request.method == "POST":
        access.require(Action.EDIT_BUDGET)
        if form.is_valid():
            try:
                spending.hot_cost_day_save(access=access, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Hot cost saved.")
                return redirect("budgets:hot_cost", access.production.pk)
        status = 422
    return _hot_cost_page(request, access, form, status)


def _hot_cost_page(request, access, form, status=200, fill_error=""):
    from .hotcost_sources import day_figures

    days = {d.date: d for d in HotCostDay.objects.filter(production=access.production)}
    figures = day_figures(access.production, dt.date(1900, 1, 1), dt.date(2999, 12, 31))
    rows, running = [], 0
    extra_count, extra_cost = 0, Decimal("0.00")
    for date in sorted(set(days) | set(figures)):
        day, fig = days.get(date), figures.get(date)
        if day is not None:
            running += day.over_under
            day.cumulative = running
        # Extra: marked on the day, or (a day not entered yet) by its production report.
        extra = day.extra_day if day is not None else bool(fig and fig.extra_day)
        if extra:
            extra_count += 1
            extra_cost += day.actual_cost if day is not None else fig.cost
        rows.append({"date": date, "day": day, "tc": fig, "extra": extra,
                     "dpr_extra": bool(fig and fig.extra_day)})
    return render(request, "budgets/hotcost.html", {
        "rows": rows, "days": list(days.values()), "form": form, "fill_error": fill_error,
        "extra_count": extra_count, "extra_cost": extra_cost,
        "can_edit_budget": access.can(Action.EDIT_BUDGET),
        "base_currency": (costreport.reporting_budget(access.production) or access.production).base_currency,
    }, status=status)


@spending_view(Action.EDIT_BUDGET, guard=access_budget)
@require_POST
def hot_cost_fill(request, access):
    """Fill one day's actuals from the timecards and the production report (hot_cost_day_fill)."""
    form = HotCostForm(initial={"date": dt.date.today()})
    try:
        date = dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        return _hot_cost_page(request, access, form, status=422, fill_error="Give the day as YYYY-MM-DD.")
    try:
        day = spending.hot_cost_day_fill(access=access, date=date)
    except ValidationError as exc:
        return _hot_cost_page(request, access, form, status=422, fill_error=" ".join(exc.messages))
    messages.success(request, f"{day.date:%a %d %b %Y} filled: {day.actual_hours} hours, "
                              f"{day.overtime_hours} overtime, {day.meal_penalties} meal penalties, "
                              f"{format_money(day.actual_cost)}{'; an extra day' if day.extra_day else ''}.")
    return redirect("budgets:hot_cost", access.production.pk)


# --- check requests -------------------------------------------------------------------------------


visible_check_requests = selectors.check_requests_visible


def _check_requests_page(request, access, form=None, status=200):
    from unitbase.approvals.selectors import approval_latest_for

    rows = list(visible_check_requests(access)[:500])
    for row in rows:
        row.approval = approval_latest_for(obj=row, kind=spending.CHECK_KIND)
        row.may_submit = (row.status in (CheckRequest.Status.DRAFT, CheckRequest.Status.REJECTED)
                          and (row.requested_by_id == access.user.pk or access.can(Action.EDIT_BUDGET)))
    budget = costreport.reporting_budget(access.production)
    return render(request, "budgets/check_requests.html", {
        "rows": rows, "budget": budget, "can_request": spending.can_request_purchase(access),
        "form": form or CheckRequestForm(access=access, initial={"date": dt.date.today()}),
        "accounts": budget.accounts.order_by("order", "code") if budget else [],
    }, status=status)


@spending_view()
def check_requests(request, access):
    """Check requests: up-front payments without a PO (deposits, fees), through the approvals chain."""
    if request.method != "POST":
        return _check_requests_page(request, access)
    if not spending.can_request_purchase(access):
        raise ActionDenied(REQUEST_PURCHASE)
    form = CheckRequestForm(request.POST, access=access)
    if form.is_valid():
        data = dict(form.cleaned_data)
        department = data.pop("department")
        try:
            req = spending.check_request_create(access=access, department_id=department.pk if department else None,
                                                **data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{req} saved as a draft; submit it for approval when it is ready.")
            return redirect(reverse("budgets:check_requests", args=[access.production.pk]) + f"#cr-{req.pk}")
    return _check_requests_page(request, access, form=form, status=422)


@spending_view(REQUEST_PURCHASE)
@require_POST
def check_request_submit(request, access, check_request_id: int):
    if not visible_check_requests(access).filter(pk=check_request_id).exists():
        raise Http404("No such check request.")
    try:
        req = spending.check_request_submit(access=access, check_request_id=check_request_id)
    except spending.PurchaseOrderLocked as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{req} submitted for approval.")
    return redirect(reverse("budgets:check_requests", args=[access.production.pk]) + f"#cr-{check_request_id}")
