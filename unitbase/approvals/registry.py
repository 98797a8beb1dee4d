"""The registry through which other apps hand their documents to approvals.

An app that needs approvals (budgets' purchase orders, payroll's timecards, call sheets) describes
its kind once and registers it from its AppConfig.ready():

    from unitbase.approvals import registry
    from unitbase.productions.authority import Action

    class PayrollConfig(AppConfig):
        def ready(self):
            from . import approvals_hooks as hooks   # your module, imports your models
            registry.register(registry.ApprovalKind(
                key="timecard",
                label="Timecard",
                action=Action.APPROVE_TIMECARDS,
                defaults=registry.TIMECARD_DEFAULTS,
                describe=hooks.describe,            # obj -> str, shown in the inbox
                on_approved=hooks.on_approved,      # (obj, request, actor) -> None
                on_rejected=hooks.on_rejected,      # (obj, request, actor, reason) -> None
                url_of=hooks.url_of,                # obj -> str (optional link to the document)
            ))

Then, in your own service (after your own permission checks), submit the object:

    from unitbase.approvals.services import approval_request_submit
    approval_request_submit(access=access, kind="timecard", obj=timecard, amount=None, currency="",
                            summary=f"Timecard {timecard}", department=timecard.department)

Contract for the callbacks:
- They run INSIDE the deciding transaction (after the request's status is saved): raise a
  django ValidationError to refuse the decision; everything rolls back.
- `obj` is the object as loaded through the generic relation; lock it yourself
  (select_for_update) if you change it.
- `on_approved` runs once, on the last approval. `on_rejected` runs on a rejection, with the
  (required, non-empty) reason. `on_withdrawn(obj, request, actor)` runs when the requester
  withdraws. Do not call approvals services from inside a callback.
- Never send e-mail directly from a callback: use transaction.on_commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from unitbase.productions.authority import Action, Role

# A chain: an ordered list of steps; each step is the roles any one of which may decide it.
Chain = list[list[str]]


@dataclass(frozen=True)
class PolicyDefault:
    """One default band of a kind's policy, copied into a production's ApprovalPolicy rows the
    first time the kind is used there (or when its policies are reset). Bounds: the band
    applies when min_amount < amount <= max_amount; None is open."""

    steps: tuple[tuple[str, ...], ...]
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None


@dataclass(frozen=True)
class ApprovalKind:
    """What approvals needs to know about one kind of document.

    key: stable identifier stored on requests and policies ("purchase_order", "timecard").
    label: shown to people ("Purchase order").
    action: the authority-matrix Action an approver's role must hold (Action.APPROVE_PURCHASE,
        Action.APPROVE_TIMECARDS); for authorising steps the role's limit must cover the amount.
    defaults: the policy bands seeded per production (see PURCHASE_ORDER_DEFAULTS and friends).
    chain: optional override (production, obj, amount) -> Chain; when set, policies are ignored.
    describe: obj -> str, a one-line description (defaults to str(obj)).
    amount_of: optional obj -> Decimal | None, the object's current amount; a decision is refused
        while it differs from the amount locked at submission (withdraw and resubmit instead).
    url_of: optional obj -> str, a link to the document from the approvals pages.
    on_approved / on_rejected / on_withdrawn: callbacks, see the module docstring.
    """

    key: str
    label: str
    action: str
    defaults: Sequence[PolicyDefault] = ()
    chain: Callable[[Any, Any, Decimal | None], Chain] | None = None
    describe: Callable[[Any], str] = str
    amount_of: Callable[[Any], Decimal | None] | None = None
    url_of: Callable[[Any], str] | None = None
    on_approved: Callable[[Any, Any, Any], None] | None = None
    on_rejected: Callable[[Any, Any, Any, str], None] | None = None
    on_withdrawn: Callable[[Any, Any, Any], None] | None = None

    def __post_init__(self) -> None:
        if not self.key or not self.key.replace("_", "").isalnum() or len(self.key) > 60:
            raise ValueError(f"An approval kind key is a short identifier, not {self.key!r}.")
        if self.action not in Action.values:
            raise ValueError(f"Unknown authority-matrix action {self.action!r}.")
        for band in self.defaults:
            for step in band.steps:
                if not step or any(role not in Role.values for role in step):
                    raise ValueError(f"Bad default step {step!r} for kind {self.key!r}.")


_KINDS: dict[str, ApprovalKind] = {}


class UnknownKind(LookupError):
    pass


def register(kind: ApprovalKind) -> ApprovalKind:
    """Register a kind (call from AppConfig.ready()). Registering the same key twice with a
    different kind is a programming error; registering an equal kind again is a no-op."""
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"Approval kind {kind.key!r} is already registered.")
    _KINDS[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    """For tests that register a throwaway kind."""
    _KINDS.pop(key, None)


def get(key: str) -> ApprovalKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise UnknownKind(f"No approval kind {key!r} is registered.") from None


def find(key: str) -> ApprovalKind | None:
    """The kind, or None if no installed app registers it (old requests of a removed kind)."""
    return _KINDS.get(key)


def all_kinds() -> list[ApprovalKind]:
    return sorted(_KINDS.values(), key=lambda k: k.label)


def label_of(key: str) -> str:
    """The kind's label, or its key if the registering app is not installed any more."""
    kind = _KINDS.get(key)
    return kind.label if kind else key.replace("_", " ").capitalize()


# Defaults from domain-spec 2.5 (illustrative thresholds, editable per production).
R = Role
_DH = (R.DEPARTMENT_HEAD.value,)
_UPM_PM = (R.UPM.value, R.PRODUCTION_MANAGER.value)
_LP = (R.LINE_PRODUCER.value,)
_PRODUCER = (R.PRODUCER.value,)
_ACCOUNTANT = (R.PRODUCTION_ACCOUNTANT.value,)

PURCHASE_ORDER_DEFAULTS: tuple[PolicyDefault, ...] = (
    # Any PO / check request: department head → UPM (or PM) → production accountant.
    PolicyDefault(steps=(_DH, _UPM_PM, _ACCOUNTANT), max_amount=Decimal("10000")),
    # Above 10,000: + line producer.
    PolicyDefault(steps=(_DH, _UPM_PM, _LP, _ACCOUNTANT), min_amount=Decimal("10000"), max_amount=Decimal("50000")),
    # Above 50,000: + producer.
    PolicyDefault(steps=(_DH, _UPM_PM, _LP, _PRODUCER, _ACCOUNTANT), min_amount=Decimal("50000")),
)
CHECK_REQUEST_DEFAULTS = PURCHASE_ORDER_DEFAULTS
TIMECARD_DEFAULTS: tuple[PolicyDefault, ...] = (PolicyDefault(steps=(_DH, _UPM_PM)),)
OVERAGE_THRESHOLD = Decimal("10000")
OVERAGE_DEFAULTS: tuple[PolicyDefault, ...] = (
    PolicyDefault(steps=(_UPM_PM,), max_amount=OVERAGE_THRESHOLD),
    PolicyDefault(steps=(_UPM_PM, _PRODUCER), min_amount=OVERAGE_THRESHOLD),
)
