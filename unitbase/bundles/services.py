"""A whole production as one versioned JSON bundle: export, strict validation, atomic import.

The format is described in docs/bundles.md. In short: one JSON object with "format",
"schema_version", "exported_at", "production" and one list per kind of row. Rows refer to each
other by bundle-local keys (a department or unit by its name, a position by department and name,
a person by the "ref" the exporter assigns, a user by e-mail), never by database ids, so that a
bundle imports into any database. Decimals are strings, dates and datetimes ISO 8601 (UTC).

Schema version 2 keeps those readable foundation sections, gives each of their rows a "key", and
adds a generic "rows" section with every other row the production owns, whichever app it belongs
to (unitbase/bundles/generic.py; docs/adr/0004-production-bundles.md). Version 1 bundles are
still read: they simply have no keys and no rows.

`production_import` validates the whole bundle before writing anything and then writes inside
one transaction, so an import either completes or changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DateTimeField, When
from django.utils import timezone

from unitbase.bundles import generic
from unitbase.core.audit import audit_record
from unitbase.core.models import AuditEvent
from unitbase.people.models import CastMember, CrewMember, Person, RateUnit
from unitbase.productions.authority import FLOOR_ACTIONS, MEMBER_ADMIN_FLOOR, Action, Role, Scope
from unitbase.productions.models import (
    AuthorityRule,
    Department,
    Episode,
    Invitation,
    Membership,
    Position,
    Production,
    Unit,
)
from unitbase.productions.permissions import ProductionAccess

FORMAT = "unitbase-bundle"
SCHEMA_VERSION = 2
# Bundles bigger than this are refused before parsing (files from users are size-capped).
MAX_BUNDLE_BYTES = 200 * 1024 * 1024


class BundleError(Exception):
    """A bundle that cannot be imported; `errors` lists each problem as "WHERE: WHAT"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _moment(value: datetime) -> str:
    return value.astimezone(UTC).isoformat()


def _name(obj: Any) -> str | None:
    return None if obj is None else obj.name


@transaction.atomic
def production_export(*, access: ProductionAccess) -> dict[str, Any]:
    """The whole production as a bundle (a JSON-ready dict). Records a `production.export` event
    after the snapshot is taken, so the bundle does not contain its own export."""
    access.require(Action.EXPORT_PRODUCTION)
    production = access.production
    memberships = list(
        Membership.objects.filter(production=production).select_related("user", "department", "unit")
        .order_by("user__email")
    )
    member_emails = {m.user_id: m.user.email for m in memberships}

    def user_ref(user_id: int | None) -> str | None:
        # Accounts that are not members of the production are not carried (see docs/bundles.md).
        return member_emails.get(user_id) if user_id is not None else None

    people = list(Person.objects.filter(production=production).order_by("name", "id"))
    person_refs = {p.pk: f"P{i}" for i, p in enumerate(people, start=1)}
    engagement = ("person", "unit", "department", "position")
    crew = CrewMember.objects.filter(production=production).select_related(*engagement).order_by(
        "department__order", "department__name", "position__name", "person__name", "id"
    )
    cast = CastMember.objects.filter(production=production).select_related("person", "unit").order_by("cast_number")

    def pay(e: CrewMember | CastMember) -> dict[str, Any]:
        return {
            "unit": _name(e.unit), "start_date": _day(e.start_date), "end_date": _day(e.end_date),
            "rate_amount": _dec(e.rate_amount), "rate_currency": e.rate_currency, "rate_unit": e.rate_unit,
        }

    now = timezone.now()
    foundation_keys: dict[tuple[str, Any], str] = {("productions.production", production.pk): generic.PRODUCTION_KEY}

    def keyed(label: str, objs: list[Any], row: Any) -> list[dict[str, Any]]:
        """Rows of a section, each with its bundle key "<label>:<position>" first."""
        out = []
        for n, obj in enumerate(objs, start=1):
            key = f"{label}:{n}"
            foundation_keys[(label, obj.pk)] = key
            out.append({"key": key, **row(obj)})
        return out

    invitations = list(Invitation.objects.filter(
        production=production, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    ).select_related("department", "unit").order_by("email"))
    bundle = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _moment(now),
        "production": {
            "title": production.title, "kind": production.kind, "base_currency": production.base_currency,
            "time_zone": production.time_zone, "status": production.status,
        },
        "units": keyed("productions.unit", list(Unit.objects.filter(production=production).order_by("id")),
                       lambda u: {"name": u.name, "kind": u.kind}),
        "episodes": keyed("productions.episode",
                          list(Episode.objects.filter(production=production).order_by("number", "id")),
                          lambda e: {"number": e.number, "title": e.title}),
        "departments": keyed("productions.department",
                             list(Department.objects.filter(production=production).order_by("order", "name")),
                             lambda d: {"name": d.name, "order": d.order}),
        "positions": keyed(
            "productions.position",
            list(Position.objects.filter(production=production).select_related("department")
                 .order_by("department__order", "department__name", "name")),
            lambda p: {"department": p.department.name, "name": p.name},
        ),
        "people": keyed("people.person", people, lambda p: {
                "ref": person_refs[p.pk], "user": user_ref(p.user_id), "name": p.name, "email": p.email,
                "phone": p.phone, "agency": p.agency, "agent_name": p.agent_name, "agent_contact": p.agent_contact,
                "union_memberships": p.union_memberships, "emergency_contact_name": p.emergency_contact_name,
                "emergency_contact_phone": p.emergency_contact_phone, "notes": p.notes,
            }),
        "crew": keyed("people.crewmember", list(crew), lambda c: {
            "person": person_refs[c.person_id], "department": c.department.name, "position": c.position.name,
            **pay(c)}),
        "cast": keyed("people.castmember", list(cast), lambda c: {
            "person": person_refs[c.person_id], "character": c.character, "cast_number": c.cast_number, **pay(c)}),
        "memberships": keyed("productions.membership", memberships, lambda m: {
                "email": m.user.email, "full_name": m.user.full_name, "role": m.role,
                "department": _name(m.department), "unit": _name(m.unit), "is_active": m.is_active,
            }),
        "authority_rules": keyed(
            "productions.authorityrule",
            list(AuthorityRule.objects.filter(production=production).order_by("action", "role")),
            lambda r: {"action": r.action, "role": r.role, "scope": r.scope, "limit_amount": _dec(r.limit_amount)},
        ),
        "invitations": keyed("productions.invitation", invitations, lambda i: {
                "email": i.email, "full_name": i.full_name, "role": i.role, "department": _name(i.department),
                "unit": _name(i.unit), "invited_by": user_ref(i.invited_by_id), "expires_at": _moment(i.expires_at),
            }),
        "audit_events": [
            {
                "actor": user_ref(e.actor_id), "actor_label": e.actor_label, "action": e.action,
                "object_type": e.object_type, "object_id": e.object_id, "object_repr": e.object_repr,
                "changes": e.changes, "created_at": _moment(e.created_at),
            }
            for e in AuditEvent.objects.filter(production_id=production.pk).order_by("created_at", "id")
        ],
    }
    try:
        bundle["rows"] = generic.export_rows(generic.collect_owned(production), foundation_keys, member_emails)
    except generic.GenericBundleError as exc:
        raise BundleError(exc.errors) from None
    audit_record(production_id=production.pk, actor=access.user, action="production.export", obj=production,
                 changes={"schema_version": SCHEMA_VERSION})
    return bundle


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class F:
    """One field of a bundle row: its kind, whether null is allowed, and the allowed values."""

    kind: str  # str, int, bool, decimal, date, datetime, object
    null: bool = False
    choices: tuple[str, ...] | None = None


def _choices(values: list[str]) -> tuple[str, ...]:
    return tuple(values)


PRODUCTION_FIELDS = {
    "title": F("str"), "kind": F("str", choices=_choices(Production.Kind.values)), "base_currency": F("str"),
    "time_zone": F("str"), "status": F("str", choices=_choices(Production.Status.values)),
}
_PAY = {
    "unit": F("str", null=True), "start_date": F("date", null=True), "end_date": F("date", null=True),
    "rate_amount": F("decimal", null=True), "rate_currency": F("str"),
    "rate_unit": F("str", choices=_choices(RateUnit.values)),
}
SECTIONS: dict[str, dict[str, F]] = {
    "units": {"name": F("str"), "kind": F("str", choices=_choices(Unit.Kind.values))},
    "episodes": {"number": F("str"), "title": F("str")},
    "departments": {"name": F("str"), "order": F("int")},
    "positions": {"department": F("str"), "name": F("str")},
    "people": {
        "ref": F("str"), "user": F("str", null=True), "name": F("str"), "email": F("str"), "phone": F("str"),
        "agency": F("str"), "agent_name": F("str"), "agent_contact": F("str"), "union_memberships": F("str"),
        "emergency_contact_name": F("str"), "emergency_contact_phone": F("str"), "notes": F("str"),
    },
    "crew": {"person": F("str"), "department": F("str"), "position": F("str"), **_PAY},
    "cast": {"person": F("str"), "character": F("str"), "cast_number": F("int"), **_PAY},
    "memberships": {
        "email": F("str"), "full_name": F("str"), "role": F("str", choices=_choices(Role.values)),
        "department": F("str", null=True), "unit": F("str", null=True), "is_active": F("bool"),
    },
    "authority_rules": {
        "action": F("str", choices=_choices(Action.values)), "role": F("str", choices=_choices(Role.values)),
        "scope": F("str", choices=_choices(Scope.values)), "limit_amount": F("decimal", null=True),
    },
    "invitations": {
        "email": F("str"), "full_name": F("str"), "role": F("str", choices=_choices(Role.values)),
        "department": F("str", null=True), "unit": F("str", null=True), "invited_by": F("str", null=True),
        "expires_at": F("datetime"),
    },
    "audit_events": {
        "actor": F("str", null=True), "actor_label": F("str"), "action": F("str"), "object_type": F("str"),
        "object_id": F("str"), "object_repr": F("str"), "changes": F("object"), "created_at": F("datetime"),
    },
}
TOP_LEVEL = {"format", "schema_version", "exported_at", "production", *SECTIONS}
# Schema version 2: every row of these sections has a "key" ("<model label>:<n>") that rows of the
# generic "rows" section use to refer to it.
KEYED_SECTIONS = {
    "units": "productions.unit", "episodes": "productions.episode", "departments": "productions.department",
    "positions": "productions.position", "people": "people.person", "crew": "people.crewmember",
    "cast": "people.castmember", "memberships": "productions.membership",
    "authority_rules": "productions.authorityrule", "invitations": "productions.invitation",
}


def _sections(version: int) -> dict[str, dict[str, F]]:
    if version < 2:
        return SECTIONS
    return {name: ({"key": F("str"), **fields} if name in KEYED_SECTIONS else fields)
            for name, fields in SECTIONS.items()}


def _top_level(version: int) -> set[str]:
    return TOP_LEVEL if version < 2 else {*TOP_LEVEL, "rows"}


def _parse_decimal(value: str) -> Decimal:
    number = Decimal(value)
    if not number.is_finite():
        raise InvalidOperation
    return number


def _parse_datetime(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        raise ValueError("no time zone offset")
    return moment


def _check_value(spec: F, value: Any) -> str | None:
    """None when `value` fits `spec`, else what is wrong with it."""
    if value is None:
        return None if spec.null else "must not be null"
    if spec.kind == "str":
        if not isinstance(value, str):
            return f"must be a string, not {type(value).__name__}"
        if spec.choices is not None and value not in spec.choices:
            return f"{value!r} is not one of {', '.join(spec.choices)}"
    elif spec.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            return f"must be an integer, not {type(value).__name__}"
    elif spec.kind == "bool":
        if not isinstance(value, bool):
            return f"must be true or false, not {type(value).__name__}"
    elif spec.kind == "object":
        if not isinstance(value, dict):
            return f"must be an object, not {type(value).__name__}"
    else:
        parser, label = {
            "decimal": (_parse_decimal, "a decimal number as a string, e.g. \"1250.00\""),
            "date": (date.fromisoformat, "an ISO date, e.g. \"2027-03-01\""),
            "datetime": (_parse_datetime, "an ISO datetime with offset, e.g. \"2027-03-01T08:00:00+00:00\""),
        }[spec.kind]
        if not isinstance(value, str):
            return f"must be {label}, not {type(value).__name__}"
        try:
            parser(value)
        except (ValueError, InvalidOperation):
            return f"{value!r} is not {label}"
    return None


def _check_row(where: str, row: Any, fields: dict[str, F], errors: list[str]) -> bool:
    if not isinstance(row, dict):
        errors.append(f"{where}: must be an object, not {type(row).__name__}")
        return False
    ok = True
    for key in sorted(fields.keys() - row.keys()):
        errors.append(f"{where}.{key}: missing")
        ok = False
    for key in sorted(row.keys() - fields.keys()):
        errors.append(f"{where}.{key}: unknown key")
        ok = False
    for key, spec in fields.items():
        if key in row:
            problem = _check_value(spec, row[key])
            if problem:
                errors.append(f"{where}.{key}: {problem}")
                ok = False
    return ok


def bundle_validate(bundle: Any, *, title: str | None = None) -> list[str]:
    """Every problem of the bundle as "WHERE: WHAT", empty when it can be imported.

    `title` is the title the production will get (the bundle's unless renamed)."""
    return _validate(bundle, title=title)[0]


def _validate(bundle: Any, *, title: str | None = None) -> tuple[list[str], list[generic.Row]]:
    """The problems of the bundle and, for schema version 2, its checked generic rows."""
    if not isinstance(bundle, dict):
        return [f"bundle: must be a JSON object, not {type(bundle).__name__}"], []
    if bundle.get("format") != FORMAT:
        return [f"format: expected {FORMAT!r}, found {bundle.get('format')!r}; this is not a Unitbase bundle"], []
    version = bundle.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return [f"schema_version: must be a positive integer, found {version!r}"], []
    if version > SCHEMA_VERSION:
        return [
            f"schema_version: the bundle has version {version} but this Unitbase reads versions up to "
            f"{SCHEMA_VERSION}; upgrade Unitbase to import it"
        ], []
    top_level = _top_level(version)
    sections = _sections(version)
    errors: list[str] = []
    for key in sorted(top_level - bundle.keys()):
        errors.append(f"{key}: missing")
    for key in sorted(bundle.keys() - top_level):
        errors.append(f"{key}: unknown key")
    if "exported_at" in bundle and (problem := _check_value(F("datetime"), bundle["exported_at"])):
        errors.append(f"exported_at: {problem}")
    if "production" in bundle:
        _check_row("production", bundle["production"], PRODUCTION_FIELDS, errors)
    good: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for section, fields in sections.items():
        listed = bundle.get(section, [])
        if not isinstance(listed, list):
            errors.append(f"{section}: must be a list, not {type(listed).__name__}")
            listed = []
        good[section] = [
            (i, row) for i, row in enumerate(listed) if _check_row(f"{section}[{i}]", row, fields, errors)
        ]
    _check_references(good, errors)
    rows: list[generic.Row] = []
    if version >= 2:
        known = {generic.PRODUCTION_KEY: "productions.production"}
        for section, label in KEYED_SECTIONS.items():
            for i, row in good[section]:
                key = row["key"]
                if not key.startswith(f"{label}:"):
                    errors.append(f"{section}[{i}].key: must start with {label + ':'!r}, found {key!r}")
                elif key in known:
                    errors.append(f"{section}[{i}].key: {key!r} appears twice in the bundle")
                else:
                    known[key] = label
        emails = {row["email"].strip().lower() for _, row in good["memberships"]}
        rows = generic.parse_rows(bundle.get("rows", []), known, emails, errors)
    if title is not None and isinstance(title, str) and title.strip():
        if Production.objects.filter(title__iexact=title.strip()).exists():
            errors.append(
                f"production.title: a production called {title.strip()!r} already exists; "
                "import it under another title with --rename \"New title\""
            )
    elif title is not None:
        errors.append("production.title: must not be empty")
    return errors, rows


def _unique(section: str, key_name: str, rows, key, errors: list[str]) -> set:
    seen: set = set()
    for i, row in rows:
        k = key(row)
        if k in seen:
            errors.append(f"{section}[{i}].{key_name}: {k!r} appears twice in {section}")
        seen.add(k)
    return seen


def _check_references(good: dict[str, list[tuple[int, dict[str, Any]]]], errors: list[str]) -> None:
    units = _unique("units", "name", good["units"], lambda r: r["name"], errors)
    _unique("episodes", "number", good["episodes"], lambda r: r["number"], errors)
    departments = _unique("departments", "name", good["departments"], lambda r: r["name"], errors)
    people = _unique("people", "ref", good["people"], lambda r: r["ref"], errors)
    emails = _unique("memberships", "email", good["memberships"], lambda r: r["email"].lower(), errors)
    _unique("cast", "cast_number", good["cast"], lambda r: r["cast_number"], errors)
    _unique("cast", "character", good["cast"], lambda r: r["character"], errors)
    _unique("invitations", "email", good["invitations"], lambda r: r["email"].lower(), errors)
    rules = _unique("authority_rules", "action", good["authority_rules"], lambda r: (r["action"], r["role"]), errors)
    positions = _unique(
        "positions", "name", good["positions"], lambda r: (r["department"], r["name"]), errors
    )
    for role in MEMBER_ADMIN_FLOOR:
        for floor_action in FLOOR_ACTIONS:
            if (floor_action.value, role.value) not in rules:
                errors.append(f"authority_rules: the {Role(role).label.lower()} must keep {floor_action.value!r}, "
                              "so that nobody is locked out of the production")

    def ref(section: str, i: int, row: dict[str, Any], key: str, known: set, what: str) -> None:
        value = row[key]
        if value is not None and (value.lower() if what == "member" else value) not in known:
            label = {"member": "membership with the e-mail"}.get(what, what)
            errors.append(f"{section}[{i}].{key}: no {label} {value!r} in the bundle")

    for i, row in good["positions"]:
        ref("positions", i, row, "department", departments, "department")
    for i, row in good["people"]:
        ref("people", i, row, "user", emails, "member")
    for section in ("crew", "cast"):
        for i, row in good[section]:
            ref(section, i, row, "person", people, "person")
            ref(section, i, row, "unit", units, "unit")
    for i, row in good["crew"]:
        ref("crew", i, row, "department", departments, "department")
        if row["department"] in departments and (row["department"], row["position"]) not in positions:
            errors.append(f"crew[{i}].position: no position {row['position']!r} in department "
                          f"{row['department']!r} in the bundle")
    for section in ("memberships", "invitations"):
        for i, row in good[section]:
            ref(section, i, row, "department", departments, "department")
            ref(section, i, row, "unit", units, "unit")
    for i, row in good["invitations"]:
        ref("invitations", i, row, "invited_by", emails, "member")
    for i, row in good["audit_events"]:
        ref("audit_events", i, row, "actor", emails, "member")


def bundle_parse(text: str | bytes) -> dict[str, Any]:
    """Parse bundle text, refusing what is not a JSON object, with the line and column of the fault."""
    if len(text) > MAX_BUNDLE_BYTES:
        raise BundleError([f"bundle: larger than the limit of {MAX_BUNDLE_BYTES // (1024 * 1024)} MB"])
    try:
        data = json.loads(text)
    except UnicodeDecodeError as exc:
        raise BundleError([f"bundle: not UTF-8 text ({exc.reason})"]) from None
    except json.JSONDecodeError as exc:
        raise BundleError([f"bundle: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"]) from None
    if not isinstance(data, dict):
        raise BundleError([f"bundle: must be a JSON object, not {type(data).__name__}"])
    return data


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def _save(where: str, obj: Any) -> Any:
    try:
        obj.full_clean()
    except ValidationError as exc:
        raise BundleError(
            [f"{where}.{field}: {msg}" if field != "__all__" else f"{where}: {msg}"
             for field, msgs in exc.message_dict.items() for msg in msgs]
        ) from None
    obj.save()
    return obj


def _opt(parser, value):
    return None if value is None else parser(value)


@transaction.atomic
def production_import(*, actor: Any, bundle: dict[str, Any], title: str | None = None) -> Production:
    """Create a new production from a bundle; `title` renames it (to avoid a collision).

    The acting user must be an active account. If the bundle has no membership for them, they
    join the imported production as its producer, so that they can open what they imported."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise BundleError(["actor: an active user account is required to import a production"])
    if not isinstance(bundle, dict):
        raise BundleError([f"bundle: must be a JSON object, not {type(bundle).__name__}"])
    production_data = bundle.get("production")
    new_title = title if title is not None else (
        production_data.get("title") if isinstance(production_data, dict) else None
    )
    errors, rows = _validate(bundle, title=new_title if isinstance(new_title, str) else None)
    if errors:
        raise BundleError(errors)
    v2 = bundle["schema_version"] >= 2
    saved: dict[str, Any] = {}  # bundle key -> the row just written

    def keep(row: dict[str, Any], obj: Any) -> Any:
        if v2:
            saved[row["key"]] = obj
        return obj

    def fields(row: dict[str, Any], *leave_out: str) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k not in {"key", *leave_out}}

    production = _save("production", Production(**{**production_data, "title": new_title.strip()}))
    saved[generic.PRODUCTION_KEY] = production
    units = {
        row["name"]: keep(row, _save(f"units[{i}]", Unit(production=production, **fields(row))))
        for i, row in enumerate(bundle["units"])
    }
    for i, row in enumerate(bundle["episodes"]):
        keep(row, _save(f"episodes[{i}]", Episode(production=production, **fields(row))))
    departments = {
        row["name"]: keep(row, _save(f"departments[{i}]", Department(production=production, **fields(row))))
        for i, row in enumerate(bundle["departments"])
    }
    positions = {
        (row["department"], row["name"]): keep(row, _save(
            f"positions[{i}]", Position(production=production, department=departments[row["department"]],
                                        name=row["name"])
        ))
        for i, row in enumerate(bundle["positions"])
    }

    User = get_user_model()
    users: dict[str, Any] = {}
    memberships = []
    for i, row in enumerate(bundle["memberships"]):
        email = row["email"].strip().lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, full_name=row["full_name"])
            user.set_unusable_password()  # they choose one through "forgot password"
            _save(f"memberships[{i}]", user)
        users[email] = user
        memberships.append(keep(row, _save(f"memberships[{i}]", Membership(
            production=production, user=user, role=row["role"], is_active=row["is_active"],
            department=_opt(departments.get, row["department"]), unit=_opt(units.get, row["unit"]),
        ))))
    actor_joined = actor.email.lower() not in users
    if actor_joined:
        Membership.objects.create(production=production, user=actor, role=Role.PRODUCER)

    def user_for(email: str | None):
        return None if email is None else users[email.lower()]

    people = {}
    for i, row in enumerate(bundle["people"]):
        data = fields(row, "ref", "user")
        people[row["ref"]] = keep(row, _save(
            f"people[{i}]", Person(production=production, user=user_for(row["user"]), **data)
        ))

    def pay(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "unit": _opt(units.get, row["unit"]), "start_date": _opt(date.fromisoformat, row["start_date"]),
            "end_date": _opt(date.fromisoformat, row["end_date"]), "rate_amount": _opt(Decimal, row["rate_amount"]),
            "rate_currency": row["rate_currency"], "rate_unit": row["rate_unit"],
        }

    for i, row in enumerate(bundle["crew"]):
        keep(row, _save(f"crew[{i}]", CrewMember(
            production=production, person=people[row["person"]], department=departments[row["department"]],
            position=positions[(row["department"], row["position"])], **pay(row),
        )))
    for i, row in enumerate(bundle["cast"]):
        keep(row, _save(f"cast[{i}]", CastMember(
            production=production, person=people[row["person"]], character=row["character"],
            cast_number=row["cast_number"], **pay(row),
        )))
    for i, row in enumerate(bundle["authority_rules"]):
        keep(row, _save(f"authority_rules[{i}]", AuthorityRule(
            production=production, action=row["action"], role=row["role"], scope=row["scope"],
            limit_amount=_opt(Decimal, row["limit_amount"]),
        )))
    for i, row in enumerate(bundle["invitations"]):
        # A new token: links sent from the source installation do not work here.
        keep(row, _save(f"invitations[{i}]", Invitation(
            production=production, email=row["email"], full_name=row["full_name"], role=row["role"],
            department=_opt(departments.get, row["department"]), unit=_opt(units.get, row["unit"]),
            invited_by=user_for(row["invited_by"]), expires_at=_parse_datetime(row["expires_at"]),
        )))
    if v2:
        # Everything else the production owns, written directly (see generic.py for why).
        try:
            generic.import_rows(rows, saved, users)
        except generic.GenericBundleError as exc:
            raise BundleError(exc.errors) from None

    # History keeps its original times. `created_at` is auto_now_add, so the times are set in
    # one UPDATE after the insert, through the base manager (the trail stays append-only for
    # everything else: no event's content changes).
    events = AuditEvent.objects.bulk_create([
        AuditEvent(
            production_id=production.pk, actor=user_for(row["actor"]), actor_label=row["actor_label"][:200],
            action=row["action"][:80], object_type=row["object_type"][:80], object_id=row["object_id"][:64],
            object_repr=row["object_repr"][:300], changes=row["changes"],
        )
        for row in bundle["audit_events"]
    ])
    if events:
        times = [When(pk=event.pk, then=_parse_datetime(row["created_at"]))
                 for event, row in zip(events, bundle["audit_events"], strict=True)]
        AuditEvent._base_manager.filter(pk__in=[e.pk for e in events]).update(created_at=Case(*times, output_field=DateTimeField()))

    audit_record(
        production_id=production.pk, actor=actor, action="production.import", obj=production,
        changes={"schema_version": bundle["schema_version"], "exported_at": bundle["exported_at"],
                 "source_title": production_data["title"], "actor_joined_as_producer": actor_joined},
    )
    return production
