"""Who may read and change schedules.

Reading (board, versions, reports, calendar) is open to every member (view_production). Changing a
schedule, its calendar, availability and preferences needs change_schedule (by default the UPM,
line producer, production manager and 1st AD). A *locked* version is the approved plan: it refuses
every change unless the acting role is UPM or producer (the approvers named in the domain spec),
who may also unlock it. Anyone with change_schedule can duplicate a locked version and work on the
copy. This is a simple stand-in for the approvals app, which may replace the role test later.
"""

from __future__ import annotations

from unitbase.productions.authority import Action, Role
from unitbase.productions.permissions import ActionDenied, ProductionAccess

from .models import ScheduleVersion

READ_ACTION = Action.VIEW_PRODUCTION
EDIT_ACTION = Action.CHANGE_SCHEDULE
LOCKED_EDIT_ROLES = frozenset({Role.UPM, Role.PRODUCER})


def access_version(access: ProductionAccess, version_id: int) -> ScheduleVersion:
    """The version, if it belongs to the access's production (DoesNotExist otherwise)."""
    return ScheduleVersion.objects.select_related("schedule", "schedule__unit").get(
        schedule__production=access.production, pk=int(version_id)
    )


def can_edit_version(access: ProductionAccess, version: ScheduleVersion) -> bool:
    if version.status == ScheduleVersion.Status.LOCKED:
        return access.role in LOCKED_EDIT_ROLES
    return access.can(EDIT_ACTION)


def require_edit_version(access: ProductionAccess, version: ScheduleVersion) -> None:
    if can_edit_version(access, version):
        return
    if version.status == ScheduleVersion.Status.LOCKED:
        raise ActionDenied(
            EDIT_ACTION,
            f"“{version.name}” is locked: only the UPM or a producer may change it. Duplicate it to work on a copy.",
        )
    raise ActionDenied(EDIT_ACTION)
