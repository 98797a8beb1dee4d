"""Guards on the payroll data paths, shared by pages, exports and the API."""

from __future__ import annotations

from django.http import Http404

from unitbase.productions.permissions import ProductionAccess

from . import selectors, services
from .models import PayrollDeal, Timecard


def access_timecard(access: ProductionAccess, timecard_id: int) -> Timecard:
    """A timecard the user may see, or 404 (another person's card is not acknowledged)."""
    try:
        return selectors.timecard_get(access=access, timecard_id=timecard_id)
    except Timecard.DoesNotExist:
        raise Http404("No such timecard.") from None


def access_deal(access: ProductionAccess, deal_id: int) -> PayrollDeal:
    try:
        return selectors.deal_get(access=access, deal_id=deal_id)
    except PayrollDeal.DoesNotExist:
        raise Http404("No such deal.") from None


def require_manage(access: ProductionAccess) -> ProductionAccess:
    services.require_manage_payroll(access)
    return access
