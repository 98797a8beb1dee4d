"""Who may see and edit budgets.

Rule (docs/budgets.md): reading a budget needs either the authority matrix's VIEW_PAY at scope
"all" (a budget is full of rates, so whoever may see everyone's pay may see it) or EDIT_BUDGET.
Writing needs EDIT_BUDGET. With the default matrix that is: producer, executive producer, UPM,
line producer, production manager, production accountant and financier read; producer, UPM, line
producer and accountant edit. Department heads (pay scope "department"), crew and cast (scope
"own"), coordinators and 1st ADs get 403; non-members 404.
"""

from __future__ import annotations

from typing import Any

from unitbase.productions.authority import Action, Scope
from unitbase.productions.permissions import ActionDenied, ProductionAccess, access_production

VIEW_BUDGET = "view_budget"


def can_view_budget(access: ProductionAccess) -> bool:
    return access.scope(Action.VIEW_PAY) == Scope.ALL or access.can(Action.EDIT_BUDGET)


def access_budget(user: Any, production_id: int | str, action: str = VIEW_BUDGET) -> ProductionAccess:
    """The guard of every budget path: VIEW_BUDGET to read, Action.EDIT_BUDGET to write."""
    if action == Action.EDIT_BUDGET:
        return access_production(user, production_id, Action.EDIT_BUDGET)
    if action != VIEW_BUDGET:
        raise ValueError(f"access_budget knows {VIEW_BUDGET!r} and {Action.EDIT_BUDGET!r}, not {action!r}")
    access = access_production(user, production_id, Action.VIEW_PRODUCTION)
    if not can_view_budget(access):
        raise ActionDenied(VIEW_BUDGET, "Your role on this production does not allow seeing the budget.")
    return access


def require_view(access: ProductionAccess) -> None:
    if not can_view_budget(access):
        raise ActionDenied(VIEW_BUDGET, "Your role on this production does not allow seeing the budget.")


# --- spending (docs/budgets.md "Spending and cost report") ----------------------------------------

VIEW_SPENDING = "view_spending"
REQUEST_PURCHASE = "request_purchase"


def can_request_purchase(access: ProductionAccess) -> bool:
    """Raise POs and check requests: budget editors and anyone the matrix lets approve purchases
    (department heads for their own department)."""
    return access.can(Action.EDIT_BUDGET) or access.can(Action.APPROVE_PURCHASE)


def can_view_spending(access: ProductionAccess) -> bool:
    return can_view_budget(access) or can_request_purchase(access)


def sees_all_spending(access: ProductionAccess) -> bool:
    """Budget readers see every PO; others (department heads) see their department's and their own."""
    return can_view_budget(access)


def access_spending(user: Any, production_id: int | str, action: str = VIEW_SPENDING) -> ProductionAccess:
    """The guard of spending pages and endpoints: VIEW_SPENDING, REQUEST_PURCHASE, or
    Action.EDIT_BUDGET (accounting: invoices, payments, floats, transactions, estimates)."""
    if action == Action.EDIT_BUDGET:
        return access_production(user, production_id, Action.EDIT_BUDGET)
    access = access_production(user, production_id, Action.VIEW_PRODUCTION)
    if action == VIEW_SPENDING and can_view_spending(access):
        return access
    if action == REQUEST_PURCHASE and can_request_purchase(access):
        return access
    if action not in (VIEW_SPENDING, REQUEST_PURCHASE):
        raise ValueError(f"access_spending does not know {action!r}")
    raise ActionDenied(action, "Your role on this production does not allow this.")
