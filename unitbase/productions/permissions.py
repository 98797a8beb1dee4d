"""The permission kernel. Every view, API endpoint, CLI command and export asks here.

`access_production` is the one guard on the path into a production: a user who is not an active
member gets `ProductionNotFound` (a 404, so that other productions' ids leak nothing), and a
member whose role the authority matrix does not allow gets `ActionDenied` (a 403).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .authority import Action, Scope
from .models import AuthorityRule, Membership, Production


class ProductionNotFound(Http404):
    pass


class ActionDenied(PermissionDenied):
    def __init__(self, action: str, detail: str = ""):
        self.action = action
        label = Action(action).label if action in Action.values else action
        super().__init__(detail or f"Your role on this production does not allow: {label.lower()}.")


@dataclass
class ProductionAccess:
    """What the acting user may do in one production, loaded once per request."""

    user: Any
    production: Production
    membership: Membership
    rules: dict[str, AuthorityRule] = field(default_factory=dict)

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, action: str, amount: Decimal | None = None) -> bool:
        rule = self.rules.get(action)
        if rule is None:
            return False
        if amount is not None and rule.limit_amount is not None and amount > rule.limit_amount:
            return False
        return True

    def scope(self, action: str) -> str | None:
        rule = self.rules.get(action)
        return rule.scope if rule else None

    def limit(self, action: str) -> Decimal | None:
        rule = self.rules.get(action)
        return rule.limit_amount if rule else None

    def require(self, action: str, amount: Decimal | None = None) -> ProductionAccess:
        if not self.can(action, amount):
            if amount is not None and action in self.rules:
                raise ActionDenied(
                    action,
                    f"{amount} is over your limit of {self.rules[action].limit_amount} for this action.",
                )
            raise ActionDenied(action)
        return self

    def sees_pay_of(self, *, department_id: int | None, user_id: int | None) -> bool:
        """Pay privacy: all, own department, or own only, per the matrix's view_pay scope."""
        scope = self.scope(Action.VIEW_PAY)
        if scope == Scope.ALL:
            return True
        if scope == Scope.DEPARTMENT:
            return department_id is not None and department_id == self.membership.department_id
        if scope == Scope.OWN:
            return user_id is not None and user_id == self.user.pk
        return False


def access_production(
    user: Any, production_id: int | str, action: str = Action.VIEW_PRODUCTION, amount: Decimal | None = None
) -> ProductionAccess:
    if not getattr(user, "is_authenticated", False):
        raise ProductionNotFound("No such production.")
    try:
        production_pk = int(production_id)
    except (TypeError, ValueError):
        raise ProductionNotFound("No such production.") from None
    if not 0 < production_pk < 2**63:  # beyond any database's integer range
        raise ProductionNotFound("No such production.")
    membership = (
        Membership.objects.select_related("production", "department", "unit")
        .filter(production_id=production_pk, user=user, is_active=True)
        .first()
    )
    if membership is None:
        raise ProductionNotFound("No such production.")
    rules = {
        rule.action: rule
        for rule in AuthorityRule.objects.filter(production_id=production_pk, role=membership.role)
    }
    access = ProductionAccess(user=user, production=membership.production, membership=membership, rules=rules)
    return access.require(action, amount)
