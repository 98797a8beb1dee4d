"""Who may read and change schedules.

Reading (board, versions, reports, calendar) is open to every member (view_production). Changing a
schedule, its calendar, availability and preferences needs change_schedule (by default the UPM,
line producer, production manager and 1st AD). A *locked* version is the approved plan: it refuses
every change (and replacing it as the applied version) unless the acting member holds
approve_schedule_change in the production's authority matrix (by default the UPM and producer, the
approvers named in the domain spec), who may also unlock it. Anyone with change_schedule can
duplicate a locked version and work on the copy.
"""

from __future__ import annotations

from unitbase.productions.authority import Action
from unitbase.productions.permissions import ActionDenied, ProductionAccess

from .models import ScheduleVersion

READ_ACTION = Action.VIEW_PRODUCTION
EDIT_ACTION = Action.CHANGE_SCHEDULE
LOCKED_EDIT_ACTION = Action.APPROVE_SCHEDULE_CHANGE


def access_version(access: ProductionAccess, version_id: int) -> ScheduleVersion:
    """The version, if it belongs to the access's production (DoesNotExist otherwise)."""
    return ScheduleVersion.objects.select_related("schedule", "schedule__unit").get(
        schedule__production=access.production, pk=int(version_id)
    )


def can_edit_version(access: ProductionAccess, version: ScheduleVersion) -> bool:
    if version.status == ScheduleVersion.Status.LOCKED:
        return can_change_locked(access)
    return access.can(EDIT_ACTION)


def can_change_locked(access: ProductionAccess) -> bool:
    """May this member change (or unlock, or replace as applied) a locked version? The matrix decides."""
    return access.can(LOCKED_EDIT_ACTION)


def require_edit_version(access: ProductionAccess, version: ScheduleVersion) -> None:
    if can_edit_version(access, version):
        return
    if version.status == ScheduleVersion.Status.LOCKED:
        raise ActionDenied(
            LOCKED_EDIT_ACTION,
            f"“{version.name}” is locked: changing it needs the “{LOCKED_EDIT_ACTION.label}” approval "
            "(by default the UPM or a producer). Duplicate it to work on a copy.",
        )
    raise ActionDenied(EDIT_ACTION)
