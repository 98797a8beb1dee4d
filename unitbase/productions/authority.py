"""The authority matrix vocabulary and its defaults.

Defaults follow `domain-spec.md` section 6 (roles and authority) and section 2.5 (approval
thresholds, marked unverified there, so they are only a starting point that each production
edits). Nothing here decides access on its own: `permissions.py` reads the production's rows.
"""

from decimal import Decimal

from django.db import models


class Role(models.TextChoices):
    PRODUCER = "producer", "Producer"
    EXECUTIVE_PRODUCER = "executive_producer", "Executive producer"
    UPM = "upm", "Unit production manager"
    LINE_PRODUCER = "line_producer", "Line producer"
    PRODUCTION_MANAGER = "production_manager", "Production manager"
    PRODUCTION_COORDINATOR = "production_coordinator", "Production coordinator"
    FIRST_AD = "first_ad", "1st AD"
    PRODUCTION_ACCOUNTANT = "production_accountant", "Production accountant"
    DEPARTMENT_HEAD = "department_head", "Department head"
    CREW = "crew", "Crew"
    CAST = "cast", "Cast"
    FINANCIER = "financier", "Studio executive / financier"


class Action(models.TextChoices):
    VIEW_PRODUCTION = "view_production", "See the production"
    EDIT_PRODUCTION = "edit_production", "Edit production settings, units and episodes"
    VIEW_PAY = "view_pay", "See pay rates"
    MANAGE_CONTACTS = "manage_contacts", "Add and edit contacts"
    HIRE_CREW = "hire_crew", "Hire crew"
    HIRE_CAST = "hire_cast", "Hire cast"
    MANAGE_MEMBERS = "manage_members", "Invite members and change their roles"
    MANAGE_AUTHORITY = "manage_authority", "Edit the authority matrix and approval policies"
    VIEW_AUDIT = "view_audit", "See the audit trail"
    EDIT_BUDGET = "edit_budget", "Edit the budget"
    APPROVE_PURCHASE = "approve_purchase", "Approve purchases (up to an amount)"
    CHANGE_SCHEDULE = "change_schedule", "Change the schedule"
    APPROVE_SCHEDULE_CHANGE = "approve_schedule_change", "Change a locked, applied schedule"
    PUBLISH_CALL_SHEET = "publish_call_sheet", "Publish call sheets"
    APPROVE_TIMECARDS = "approve_timecards", "Approve timecards"
    EXPORT_PRODUCTION = "export_production", "Export the whole production"
    MANAGE_LOCATIONS = "manage_locations", "Add and edit locations and which sets are shot there"


# Actions whose rows carry an amount limit (None means no limit).
MONEY_ACTIONS = {Action.APPROVE_PURCHASE}


class Scope(models.TextChoices):
    ALL = "all", "All"
    DEPARTMENT = "department", "Own department"
    OWN = "own", "Own only"


R = Role
A = Action
S = Scope
_MANAGERS = [R.PRODUCER, R.EXECUTIVE_PRODUCER, R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER]
_PAY_ALL = [*_MANAGERS, R.PRODUCTION_ACCOUNTANT, R.FINANCIER]

# {action: {role: (scope, limit)}}; a role absent from an action is denied it.
DEFAULT_MATRIX: dict[str, dict[str, tuple[str, Decimal | None]]] = {
    A.VIEW_PRODUCTION: {r: (S.ALL, None) for r in Role},
    A.EDIT_PRODUCTION: {r: (S.ALL, None) for r in [R.PRODUCER, R.UPM, R.LINE_PRODUCER]},
    A.VIEW_PAY: {
        **{r: (S.ALL, None) for r in _PAY_ALL},
        R.DEPARTMENT_HEAD: (S.DEPARTMENT, None),
        R.CREW: (S.OWN, None),
        R.CAST: (S.OWN, None),
    },
    A.MANAGE_CONTACTS: {
        r: (S.ALL, None) for r in [*_MANAGERS, R.PRODUCTION_COORDINATOR, R.FIRST_AD]
    },
    A.HIRE_CREW: {
        **{r: (S.ALL, None) for r in [R.PRODUCER, R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER]},
    },
    A.HIRE_CAST: {r: (S.ALL, None) for r in [R.PRODUCER, R.EXECUTIVE_PRODUCER, R.UPM]},
    A.MANAGE_MEMBERS: {
        r: (S.ALL, None) for r in [R.PRODUCER, R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER]
    },
    A.MANAGE_AUTHORITY: {r: (S.ALL, None) for r in [R.PRODUCER, R.UPM]},
    A.VIEW_AUDIT: {r: (S.ALL, None) for r in [*_MANAGERS, R.PRODUCTION_ACCOUNTANT]},
    A.EDIT_BUDGET: {
        r: (S.ALL, None) for r in [R.PRODUCER, R.UPM, R.LINE_PRODUCER, R.PRODUCTION_ACCOUNTANT]
    },
    A.APPROVE_PURCHASE: {
        R.DEPARTMENT_HEAD: (S.DEPARTMENT, Decimal("1000")),
        R.PRODUCTION_MANAGER: (S.ALL, Decimal("10000")),
        R.PRODUCTION_ACCOUNTANT: (S.ALL, Decimal("10000")),
        R.LINE_PRODUCER: (S.ALL, Decimal("25000")),
        R.UPM: (S.ALL, Decimal("50000")),
        R.PRODUCER: (S.ALL, None),
        R.EXECUTIVE_PRODUCER: (S.ALL, None),
    },
    A.CHANGE_SCHEDULE: {
        r: (S.ALL, None) for r in [R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER, R.FIRST_AD]
    },
    A.APPROVE_SCHEDULE_CHANGE: {r: (S.ALL, None) for r in [R.UPM, R.PRODUCER]},
    A.PUBLISH_CALL_SHEET: {
        r: (S.ALL, None)
        for r in [R.UPM, R.PRODUCTION_MANAGER, R.PRODUCTION_COORDINATOR, R.FIRST_AD]
    },
    A.APPROVE_TIMECARDS: {
        **{r: (S.ALL, None) for r in [R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER, R.PRODUCTION_ACCOUNTANT]},
        R.DEPARTMENT_HEAD: (S.DEPARTMENT, None),
    },
    A.EXPORT_PRODUCTION: {r: (S.ALL, None) for r in [R.PRODUCER, R.UPM]},
    # The location manager is the head of the Locations department (department scope).
    A.MANAGE_LOCATIONS: {
        **{r: (S.ALL, None) for r in [R.PRODUCER, R.UPM, R.LINE_PRODUCER, R.PRODUCTION_MANAGER, R.FIRST_AD]},
        R.DEPARTMENT_HEAD: (S.DEPARTMENT, None),
    },
}

# The roles that always keep member and authority management, so that a production can never lock
# itself out.
MEMBER_ADMIN_FLOOR = [R.PRODUCER, R.UPM]
FLOOR_ACTIONS = [A.MANAGE_MEMBERS, A.MANAGE_AUTHORITY]

STANDARD_DEPARTMENTS = [
    "Production", "Direction", "Camera", "Grip", "Electric", "Sound", "Art", "Set dressing",
    "Props", "Construction", "Wardrobe", "Hair and makeup", "Locations", "Transport", "Catering",
    "Stunts", "Special effects", "VFX", "Post-production", "Accounting", "Casting", "Script",
]
