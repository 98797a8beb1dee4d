from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "unitbase.budgets"
    label = "budgets"
    verbose_name = "Budgets"

    def ready(self) -> None:
        """Register the approval kinds budgets asks for (docs/approvals.md, docs/budgets.md)."""
        from unitbase.productions.dashboard import register_panel

        from .forecast import cost_panel

        register_panel("budgets.cost", cost_panel)
        from unitbase.approvals import registry
        from unitbase.productions.authority import Action, Role

        from . import spending

        registry.register(registry.ApprovalKind(
            key=spending.PO_KIND, label="Purchase order", action=Action.APPROVE_PURCHASE,
            defaults=registry.PURCHASE_ORDER_DEFAULTS, describe=spending.po_describe,
            amount_of=lambda po: po.total, url_of=spending.po_url,
            on_approved=spending.po_on_approved, on_rejected=spending.po_on_rejected,
            on_withdrawn=spending.po_on_withdrawn,
        ))
        registry.register(registry.ApprovalKind(
            key=spending.OVERAGE_KIND, label="Budget overage", action=Action.APPROVE_PURCHASE,
            defaults=registry.OVERAGE_DEFAULTS, describe=spending.overage_describe,
            amount_of=lambda obj: obj.overage, url_of=spending.overage_url,
            on_approved=spending.overage_on_approved, on_rejected=spending.overage_on_rejected,
            on_withdrawn=spending.overage_on_withdrawn,
        ))
        registry.register(registry.ApprovalKind(
            key=spending.CHECK_KIND, label="Check request", action=Action.APPROVE_PURCHASE,
            defaults=registry.CHECK_REQUEST_DEFAULTS, describe=str,
            amount_of=lambda req: req.amount, url_of=spending.check_url,
            on_approved=spending.check_on_approved, on_rejected=spending.check_on_rejected,
            on_withdrawn=spending.check_on_withdrawn,
        ))
        registry.register(registry.ApprovalKind(
            key=spending.INVOICE_KIND, label="Invoice without a PO", action=Action.APPROVE_PURCHASE,
            defaults=registry.PURCHASE_ORDER_DEFAULTS, describe=spending.invoice_describe,
            amount_of=lambda invoice: invoice.total, url_of=spending.invoice_url,
            on_approved=spending.invoice_on_approved, on_rejected=spending.invoice_on_rejected,
            on_withdrawn=spending.invoice_on_withdrawn,
        ))
        # domain-spec 2.4: envelope → line producer (or UPM) approves → key accountant approves.
        petty_cash_defaults = (registry.PolicyDefault(steps=(
            (Role.LINE_PRODUCER.value, Role.UPM.value), (Role.PRODUCTION_ACCOUNTANT.value,))),)
        registry.register(registry.ApprovalKind(
            key=spending.PETTY_CASH_KIND, label="Petty cash envelope", action=Action.APPROVE_PURCHASE,
            defaults=petty_cash_defaults, describe=spending.envelope_describe,
            amount_of=lambda envelope: envelope.total, url_of=spending.envelope_url,
            on_approved=spending.envelope_on_approved, on_rejected=spending.envelope_on_rejected,
            on_withdrawn=spending.envelope_on_withdrawn,
        ))
