"""The generic part of a schema-version-2 bundle: every production-owned row of every app that has
no explicit section, found by walking foreign keys from the production and written as
`{"model": "app_label.modelname", "key": "<model>:<n>", "fields": {...}}`.

Why generic (see docs/adr/0004-production-bundles.md): apps keep landing with production-owned
tables; a bundle that lists them by hand silently drops the next one. Here a row belongs to the
production when deleting the production would delete it (or be blocked by it): it is reached from
the production through foreign keys whose `on_delete` is CASCADE, PROTECT or RESTRICT, the way
Django's deletion Collector finds what a production owns. A new app is included with no change
here.

References inside a row never carry database ids:

- a foreign key, one-to-one or many-to-many to another bundled row: that row's bundle key;
- a foreign key to a user: the user's e-mail, which must be a member of the production (a
  nullable link to a non-member becomes null, as in schema version 1; a required one refuses the
  export);
- a foreign key to ContentType: "app_label.model";
- a generic foreign key (content type + object id): the object id becomes the target's key;
- a plain integer field named `<model>_id` whose name matches a bundled model (for example
  `payroll.timecard.approval_request_id`) or is listed in `ID_REFERENCES`: the target's key;
- a file: {"name", "size", "base64"}, up to MAX_EMBEDDED_FILE_BYTES per file.

Anything else pointing outside the production refuses the export with a message naming the row.

Import writes the rows directly (not through the apps' services: a bundle is a faithful copy,
and re-running business logic would change it, e.g. renumber, recalculate or re-approve), in
dependency order, in the caller's transaction, each row checked by the model's `full_clean`
first. Secret tokens (single-column unique fields whose name contains "token" or "secret") are
not carried: the imported row gets a fresh one, like an invitation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, models

# The foundation models that have explicit, readable sections in the bundle.
FOUNDATION_LABELS = frozenset({
    "productions.production", "productions.unit", "productions.episode", "productions.department",
    "productions.position", "productions.membership", "productions.authorityrule", "productions.invitation",
    "people.person", "people.crewmember", "people.castmember",
})
PRODUCTION_LABEL = "productions.production"
PRODUCTION_KEY = "productions.production:1"
# Deleting a production deletes (or is blocked by) rows linked with these; SET_NULL and friends
# mean the row survives, so it is not the production's.
OWNING_ON_DELETE = (models.CASCADE, models.PROTECT, models.RESTRICT)
# Plain integer columns that hold another row's id but are not named after its model.
# "app_label.model.field" -> "app_label.model". Columns named `<model>_id` are found by name.
ID_REFERENCES: dict[str, str] = {}
MAX_EMBEDDED_FILE_BYTES = 20 * 1024 * 1024
_CHUNK = 500


class GenericBundleError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def label_of(model: type[models.Model]) -> str:
    return model._meta.label_lower


# --------------------------------------------------------------------------------------------
# The shape of a model, as the bundle sees it
# --------------------------------------------------------------------------------------------


@dataclass
class Shape:
    model: type[models.Model]
    fks: dict[str, models.Field] = field(default_factory=dict)  # name -> FK / one-to-one field
    m2m: dict[str, models.Field] = field(default_factory=dict)
    gfks: dict[str, str] = field(default_factory=dict)  # object id field name -> content type field name
    id_refs: dict[str, str] = field(default_factory=dict)  # integer field name -> target model label
    files: set[str] = field(default_factory=set)
    secrets: dict[str, models.Field] = field(default_factory=dict)  # not carried, regenerated
    plain: dict[str, models.Field] = field(default_factory=dict)  # everything else that is carried

    @property
    def carried(self) -> set[str]:
        return set(self.fks) | set(self.m2m) | set(self.plain) | set(self.gfks) | set(self.id_refs) | self.files


def _is_secret(f: models.Field) -> bool:
    return bool(f.unique and not f.primary_key and isinstance(f, models.CharField)
                and ("token" in f.name or "secret" in f.name))


_SHAPES: dict[type[models.Model], Shape] = {}


def shape_of(model: type[models.Model]) -> Shape:
    if model in _SHAPES:
        return _SHAPES[model]
    shape = Shape(model)
    gfk_fields = {}
    for private in model._meta.private_fields:
        if isinstance(private, GenericForeignKey):
            gfk_fields[private.fk_field] = private.ct_field
    by_model_name = owned_model_names()
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.is_relation:
            shape.fks[f.name] = f
        elif f.name in gfk_fields:
            shape.gfks[f.name] = gfk_fields[f.name]
        elif isinstance(f, models.FileField):
            shape.files.add(f.name)
        elif _is_secret(f):
            shape.secrets[f.name] = f
        elif (target := _id_reference(model, f, by_model_name)) is not None:
            shape.id_refs[f.name] = target
        else:
            shape.plain[f.name] = f
    for f in model._meta.many_to_many:
        if f.remote_field.through._meta.auto_created:
            shape.m2m[f.name] = f
        # an explicit through model is a production-owned model of its own
    _SHAPES[model] = shape
    return shape


def _id_reference(model: type[models.Model], f: models.Field, by_model_name: dict[str, str]) -> str | None:
    explicit = ID_REFERENCES.get(f"{label_of(model)}.{f.name}")
    if explicit:
        return explicit
    if not isinstance(f, models.IntegerField) or not f.name.endswith("_id"):
        return None
    return by_model_name.get(f.name[:-3].replace("_", ""))


_OWNED: list[type[models.Model]] | None = None


def owned_models() -> list[type[models.Model]]:
    """Every model whose rows a production can own (reachable from Production through owning
    foreign keys), auto-created many-to-many tables left out."""
    global _OWNED
    if _OWNED is None:
        production = apps.get_model(PRODUCTION_LABEL)
        seen = {production}
        todo = [production]
        while todo:
            model = todo.pop()
            for rel in _owning_relations(model):
                if rel.related_model not in seen:
                    seen.add(rel.related_model)
                    todo.append(rel.related_model)
        _OWNED = sorted(seen, key=label_of)
    return _OWNED


def owned_model_names() -> dict[str, str]:
    """model_name -> label, for model names that are unique among owned models."""
    counts: dict[str, list[str]] = defaultdict(list)
    for m in owned_models():
        counts[m._meta.model_name].append(label_of(m))
    return {name: labels[0] for name, labels in counts.items() if len(labels) == 1}


def _owning_relations(model: type[models.Model]) -> list[Any]:
    return [
        rel for rel in model._meta.related_objects
        if (rel.one_to_many or rel.one_to_one) and not rel.related_model._meta.auto_created
        and rel.field.concrete and rel.on_delete in OWNING_ON_DELETE
    ]


def generic_models() -> list[type[models.Model]]:
    """Owned models without an explicit section, in dependency order (what a row refers to comes
    first where possible), ties by label."""
    candidates = {label_of(m): m for m in owned_models() if label_of(m) not in FOUNDATION_LABELS}
    order: list[type[models.Model]] = []
    state: dict[str, int] = {}

    def visit(label: str) -> None:
        stack = [(label, iter(sorted(_model_deps(candidates[label], candidates))))]
        state[label] = 1
        while stack:
            current, deps = stack[-1]
            for dep in deps:
                if dep not in state:
                    state[dep] = 1
                    stack.append((dep, iter(sorted(_model_deps(candidates[dep], candidates)))))
                    break
            else:
                stack.pop()
                state[current] = 2
                order.append(candidates[current])

    for label in sorted(candidates):
        if label not in state:
            visit(label)
    return order


def _model_deps(model: type[models.Model], candidates: dict[str, Any]) -> set[str]:
    shape = shape_of(model)
    deps = {label_of(f.related_model) for f in [*shape.fks.values(), *shape.m2m.values()]}
    deps |= set(shape.id_refs.values())
    return {d for d in deps if d in candidates and d != label_of(model)}


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def collect_owned(production: models.Model) -> dict[type[models.Model], list[models.Model]]:
    """The rows the production owns, per model, ordered by primary key."""
    found: dict[type[models.Model], dict[Any, models.Model]] = defaultdict(dict)
    found[type(production)][production.pk] = production
    todo: list[tuple[type[models.Model], list[Any]]] = [(type(production), [production.pk])]
    while todo:
        model, pks = todo.pop()
        for rel in _owning_relations(model):
            related = rel.related_model
            new: list[Any] = []
            for start in range(0, len(pks), _CHUNK):
                chunk = pks[start:start + _CHUNK]
                for obj in related._base_manager.filter(**{f"{rel.field.name}__in": chunk}):
                    if obj.pk not in found[related]:
                        found[related][obj.pk] = obj
                        new.append(obj.pk)
            if new:
                todo.append((related, new))
    return {model: [rows[pk] for pk in sorted(rows)] for model, rows in found.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def export_rows(
    owned: dict[type[models.Model], list[models.Model]],
    foundation_keys: dict[tuple[str, Any], str],
    member_emails: dict[Any, str],
) -> list[dict[str, Any]]:
    """The generic `rows` section. `foundation_keys` maps (label, pk) of rows written in the
    explicit sections to their keys; `member_emails` maps user ids of members to e-mails."""
    keys = dict(foundation_keys)
    models_in_order = [m for m in generic_models() if owned.get(m)]
    for model in models_in_order:
        label = label_of(model)
        for n, obj in enumerate(owned[model], start=1):
            keys[(label, obj.pk)] = f"{label}:{n}"
    user_label = label_of(get_user_model())
    ct_label = label_of(ContentType)
    errors: list[str] = []
    rows: list[dict[str, Any]] = []

    for model in models_in_order:
        label = label_of(model)
        shape = shape_of(model)
        pk_field = model._meta.pk
        if not isinstance(pk_field, models.AutoField) and not pk_field.has_default():
            errors.append(f"{label}: rows with a primary key that is neither automatic nor defaulted cannot be bundled")
            continue
        serialized = serializers.serialize("python", owned[model])
        for obj, data in zip(owned[model], serialized, strict=True):
            key = keys[(label, obj.pk)]
            where = f"{label} {obj.pk} ({key})"
            out: dict[str, Any] = {}
            for name, value in data["fields"].items():
                if name in shape.secrets:
                    continue
                if name in shape.fks:
                    f = shape.fks[name]
                    target = label_of(f.related_model)
                    if f.remote_field.field_name != f.related_model._meta.pk.name:
                        errors.append(f"{where}.{name}: a foreign key to a field other than the primary key "
                                      "cannot be bundled")
                        continue
                    if value is None:
                        out[name] = None
                    elif target == user_label:
                        email = member_emails.get(value)
                        if email is None and not f.null:
                            errors.append(f"{where}.{name}: refers to user {value}, who is not a member of the "
                                          "production; add them as a member (inactive is fine) and export again")
                        out[name] = email
                    elif target == ct_label:
                        ct = ContentType.objects.get_for_id(value)
                        out[name] = f"{ct.app_label}.{ct.model}"
                    elif (target, value) in keys:
                        out[name] = keys[(target, value)]
                    else:
                        errors.append(f"{where}.{name}: refers to {target} {value}, which this production does "
                                      "not own")
                elif name in shape.m2m:
                    target = label_of(shape.m2m[name].related_model)
                    refs = []
                    for pk in sorted(value):
                        if (target, pk) in keys:
                            refs.append(keys[(target, pk)])
                        else:
                            errors.append(f"{where}.{name}: refers to {target} {pk}, which this production does "
                                          "not own")
                    out[name] = sorted(refs, key=_key_order)
                elif name in shape.gfks:
                    ct_id = getattr(obj, model._meta.get_field(shape.gfks[name]).attname)
                    if value is None or ct_id is None:
                        out[name] = None
                        continue
                    target_model = ContentType.objects.get_for_id(ct_id).model_class()
                    target = label_of(target_model) if target_model else "?"
                    if (target, value) in keys:
                        out[name] = keys[(target, value)]
                    else:
                        errors.append(f"{where}.{name}: refers to {target} {value}, which this production does "
                                      "not own")
                elif name in shape.id_refs:
                    target = shape.id_refs[name]
                    if value is None:
                        out[name] = None
                    elif (target, value) in keys:
                        out[name] = keys[(target, value)]
                    else:
                        errors.append(f"{where}.{name}: holds the id of {target} {value}, which this production "
                                      "does not own")
                elif name in shape.files:
                    out[name] = _file_out(where, name, getattr(obj, name), errors)
                else:
                    out[name] = _jsonable(value)
            rows.append({"model": label, "key": key, "fields": out})
    if errors:
        raise GenericBundleError(errors)
    return rows


def _key_order(key: str) -> tuple[str, int]:
    label, _, n = key.rpartition(":")
    return (label, int(n)) if n.isdigit() else (label, 0)


def _file_out(where: str, name: str, file: Any, errors: list[str]) -> dict[str, Any] | None:
    if not file:
        return None
    try:
        size = file.size
        if size > MAX_EMBEDDED_FILE_BYTES:
            errors.append(f"{where}.{name}: the file {file.name!r} has {size} bytes; bundles embed files of at most "
                          f"{MAX_EMBEDDED_FILE_BYTES} bytes")
            return None
        with file.open("rb") as handle:
            content = handle.read()
    except OSError as exc:
        errors.append(f"{where}.{name}: the file {file.name!r} cannot be read ({exc})")
        return None
    return {"name": file.name, "size": len(content), "base64": base64.b64encode(content).decode("ascii")}


# --------------------------------------------------------------------------------------------
# Import: validation before writing
# --------------------------------------------------------------------------------------------


ROW_KEYS = {"model", "key", "fields"}


@dataclass
class Row:
    index: int
    model: type[models.Model]
    label: str
    key: str
    fields: dict[str, Any]

    @property
    def where(self) -> str:
        return f"rows[{self.index}] {self.label}"


def _type_problem(f: models.Field, value: Any) -> str | None:
    """None when a JSON value has the type a field's export would have."""
    from unitbase.bundles.services import F, _check_value  # the shared value checks

    if value is None:
        return None if f.null else "must not be null"
    if isinstance(f, models.JSONField):
        return None
    if isinstance(f, models.BooleanField):
        return _check_value(F("bool"), value)
    if isinstance(f, models.IntegerField):
        return _check_value(F("int"), value)
    if isinstance(f, models.FloatField):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else f"must be a number, not {type(value).__name__}"
    if isinstance(f, models.DecimalField):
        return _check_value(F("decimal"), value)
    if isinstance(f, models.DateTimeField):
        return _check_value(F("datetime"), value)
    if isinstance(f, models.DateField):
        return _check_value(F("date"), value)
    if not isinstance(value, str):
        return f"must be a string, not {type(value).__name__}"
    return None


def parse_rows(raw: Any, known_keys: dict[str, str], member_emails: set[str], errors: list[str]) -> list[Row]:
    """Check the `rows` section before anything is written: structure, model labels, keys,
    references and field types. `known_keys` maps the foundation sections' keys to their model
    labels; `member_emails` are the memberships' e-mails (lower case)."""
    if not isinstance(raw, list):
        errors.append(f"rows: must be a list, not {type(raw).__name__}")
        return []
    allowed = {label_of(m): m for m in owned_models() if label_of(m) not in FOUNDATION_LABELS}
    rows: list[Row] = []
    keys = dict(known_keys)
    for i, item in enumerate(raw):
        where = f"rows[{i}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: must be an object, not {type(item).__name__}")
            continue
        bad = False
        for k in sorted(ROW_KEYS - item.keys()):
            errors.append(f"{where}.{k}: missing")
            bad = True
        for k in sorted(item.keys() - ROW_KEYS):
            errors.append(f"{where}.{k}: unknown key")
            bad = True
        if bad:
            continue
        label, key, values = item["model"], item["key"], item["fields"]
        if not isinstance(label, str) or label.lower() not in allowed:
            if isinstance(label, str) and label.lower() in FOUNDATION_LABELS:
                errors.append(f"{where}.model: {label} rows belong in their own section, not in rows")
            else:
                errors.append(f"{where}.model: unknown model {label!r} (not a kind of row a production owns here)")
            continue
        label = label.lower()
        if not isinstance(key, str) or not key.startswith(f"{label}:"):
            errors.append(f"{where}.key: must be a string starting with {label + ':'!r}, found {key!r}")
            continue
        if key in keys:
            errors.append(f"{where}.key: {key!r} appears twice in the bundle")
            continue
        if not isinstance(values, dict):
            errors.append(f"{where}.fields: must be an object, not {type(values).__name__}")
            continue
        keys[key] = label
        rows.append(Row(i, allowed[label], label, key, values))

    user_label = label_of(get_user_model())
    ct_label = label_of(ContentType)
    good: list[Row] = []
    for row in rows:
        shape = shape_of(row.model)
        before = len(errors)
        w = f"{row.where}.{{}}"
        for name in sorted(row.fields.keys() - shape.carried):
            errors.append(w.format(name) + ": unknown field" + (
                " (secret tokens are not carried)" if name in shape.secrets else ""))
        for name, value in row.fields.items():
            if name in shape.fks:
                f = shape.fks[name]
                target = label_of(f.related_model)
                if value is None:
                    if not f.null:
                        errors.append(w.format(name) + ": must not be null")
                elif not isinstance(value, str):
                    errors.append(w.format(name) + f": must be a bundle key (a string), not {type(value).__name__}")
                elif target == user_label:
                    if value.lower() not in member_emails:
                        errors.append(w.format(name) + f": no membership with the e-mail {value!r} in the bundle")
                elif target == ct_label:
                    if _content_type(value) is None:
                        errors.append(w.format(name) + f": unknown content type {value!r}")
                elif keys.get(value) != target:
                    errors.append(w.format(name) + f": no row {value!r} of {target} in the bundle")
            elif name in shape.m2m:
                target = label_of(shape.m2m[name].related_model)
                if not isinstance(value, list):
                    errors.append(w.format(name) + f": must be a list of bundle keys, not {type(value).__name__}")
                    continue
                for j, ref in enumerate(value):
                    if not isinstance(ref, str) or keys.get(ref) != target:
                        errors.append(w.format(f"{name}[{j}]") + f": no row {ref!r} of {target} in the bundle")
            elif name in shape.id_refs:
                target = shape.id_refs[name]
                if value is not None and (not isinstance(value, str) or keys.get(value) != target):
                    errors.append(w.format(name) + f": no row {value!r} of {target} in the bundle")
            elif name in shape.gfks:
                ct_value = row.fields.get(shape.gfks[name])
                ct = _content_type(ct_value) if isinstance(ct_value, str) else None
                if value is None:
                    if not row.model._meta.get_field(name).null:
                        errors.append(w.format(name) + ": must not be null")
                elif not isinstance(value, str):
                    errors.append(w.format(name) + f": must be a bundle key (a string), not {type(value).__name__}")
                elif value not in keys:
                    errors.append(w.format(name) + f": no row {value!r} in the bundle")
                elif ct is not None and keys[value] != f"{ct.app_label}.{ct.model}":
                    errors.append(w.format(name) + f": {value!r} is a {keys[value]} row, but "
                                  f"{shape.gfks[name]} says {ct_value}")
            elif name in shape.files:
                problem = _file_problem(value)
                if problem:
                    errors.append(w.format(name) + ": " + problem)
            elif name in shape.plain:
                problem = _type_problem(shape.plain[name], value)
                if problem:
                    errors.append(w.format(name) + ": " + problem)
        if len(errors) == before:
            good.append(row)
    return good


def _content_type(value: Any) -> ContentType | None:
    if not isinstance(value, str) or value.count(".") != 1:
        return None
    app_label, model = value.split(".")
    try:
        return ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        return None


def _file_problem(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"name", "size", "base64"}:
        return 'must be null or an object with "name", "size" and "base64"'
    if not isinstance(value["name"], str) or not value["name"] or not isinstance(value["size"], int):
        return "name must be a non-empty string and size an integer"
    if value["size"] > MAX_EMBEDDED_FILE_BYTES:
        return f"files of at most {MAX_EMBEDDED_FILE_BYTES} bytes are embedded"
    try:
        content = base64.b64decode(value["base64"], validate=True)
    except (binascii.Error, ValueError, TypeError):
        return "base64 is not valid base64"
    if len(content) != value["size"]:
        return f"size says {value['size']} bytes but the content has {len(content)}"
    return None


# --------------------------------------------------------------------------------------------
# Import: writing
# --------------------------------------------------------------------------------------------


def _hard_deps(row: Row) -> list[str]:
    """Keys this row cannot be inserted without (required references to other bundled rows)."""
    shape = shape_of(row.model)
    deps = []
    for name, f in shape.fks.items():
        value = row.fields.get(name)
        if isinstance(value, str) and not f.null and ":" in value:
            deps.append(value)
    for name in shape.gfks:
        value = row.fields.get(name)
        if isinstance(value, str) and not row.model._meta.get_field(name).null:
            deps.append(value)
    return deps


def _insert_order(rows: list[Row]) -> list[Row]:
    """Rows in bundle order, each preceded by the rows it requires (iterative depth-first).
    A required row is preceded by the rows of its model that come before it in the bundle, so the
    new ids keep the bundle's order (an approval request pulling in invoice 2 also brings invoice 1
    first) and a second export is byte for byte the first. Optional references to rows not yet
    inserted are filled in by a second pass."""
    by_key = {row.key: row for row in rows}
    same_model: dict[type[models.Model], list[Row]] = {}
    for row in rows:
        same_model.setdefault(row.model, []).append(row)
    position = {row.key: i for rows_of in same_model.values() for i, row in enumerate(rows_of)}

    def deps_of(row: Row):
        for dep in _hard_deps(row):
            target = by_key.get(dep)
            if target is None:
                continue  # a foundation row, already written
            for earlier in same_model[target.model][:position[dep]]:
                yield earlier, False  # wanted first for the order, not required
            yield target, True

    order: list[Row] = []
    state: dict[str, int] = {}
    for root in rows:
        if root.key in state:
            continue
        state[root.key] = 1
        stack = [(root, deps_of(root))]
        while stack:
            current, deps = stack[-1]
            for target, required in deps:
                if state.get(target.key) == 1:
                    if required:
                        raise GenericBundleError(
                            [f"{current.where}: required references form a cycle through {target.key!r}"])
                    continue
                if target.key not in state:
                    state[target.key] = 1
                    stack.append((target, deps_of(target)))
                    break
            else:
                stack.pop()
                state[current.key] = 2
                order.append(current)
    return order


def _messages(where: str, exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{where}.{name}: {msg}" if name != "__all__" else f"{where}: {msg}"
                for name, msgs in exc.message_dict.items() for msg in msgs]
    return [f"{where}: {msg}" for msg in exc.messages]


def import_rows(
    rows: list[Row],
    saved: dict[str, models.Model],
    users: dict[str, Any],
) -> dict[str, models.Model]:
    """Write the rows (inside the caller's transaction). `saved` maps the foundation keys to the
    rows just created; `users` maps lower-case e-mails to accounts. Raises GenericBundleError,
    after which the caller's transaction must roll back."""
    pending: list[tuple[models.Model, str, str]] = []  # (obj, attname, key) set after all inserts
    m2m: list[tuple[Row, models.Model]] = []
    files: list[tuple[Row, models.Model, str]] = []
    for row in _insert_order(rows):
        shape = shape_of(row.model)
        obj = row.model()
        exclude: set[str] = set(shape.id_refs)
        try:
            for name, value in row.fields.items():
                if name in shape.fks:
                    f = shape.fks[name]
                    exclude.add(name)
                    if value is None:
                        setattr(obj, f.attname, None)
                    elif f.related_model is get_user_model():
                        setattr(obj, f.attname, users[value.lower()].pk)
                    elif f.related_model is ContentType:
                        setattr(obj, f.attname, _content_type(value).pk)
                    elif value in saved:
                        setattr(obj, f.attname, saved[value].pk)
                    else:
                        setattr(obj, f.attname, None)  # optional and not written yet
                        pending.append((obj, f.attname, value))
                elif name in shape.gfks or name in shape.id_refs:
                    if value is None:
                        setattr(obj, name, None)
                    elif value in saved:
                        setattr(obj, name, saved[value].pk)
                    else:
                        setattr(obj, name, None)
                        pending.append((obj, name, value))
                        exclude.add(name)
                elif name in shape.files:
                    exclude.add(name)
                    if value is not None:
                        setattr(obj, name, value["name"])
                        files.append((row, obj, name))
                elif name in shape.plain:
                    setattr(obj, name, shape.plain[name].to_python(value))
        except ValidationError as exc:
            raise GenericBundleError(_messages(f"{row.where}.{name}", exc)) from None
        for name, f in shape.secrets.items():
            default = f.get_default() if f.has_default() else None
            setattr(obj, name, default or secrets.token_urlsafe(32)[: f.max_length])
        try:
            obj.full_clean(exclude=sorted(exclude), validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            raise GenericBundleError(_messages(row.where, exc)) from None
        _check_global_unique(row, obj, shape)
        try:
            # raw: auto_now / auto_now_add fields keep the bundle's times, custom save() is skipped.
            models.Model.save_base(obj, raw=True)
        except (IntegrityError, DatabaseError) as exc:
            raise GenericBundleError([f"{row.where}: the database refused it ({exc})"]) from None
        saved[row.key] = obj
        if shape.m2m:
            m2m.append((row, obj))
    for obj, attname, key in pending:
        type(obj)._base_manager.filter(pk=obj.pk).update(**{attname: saved[key].pk})
        setattr(obj, attname, saved[key].pk)
    for row, obj in m2m:
        for name in shape_of(row.model).m2m:
            if name in row.fields:
                getattr(obj, name).set([saved[k].pk for k in row.fields[name]])
    for row, obj, name in files:
        _write_file(row, obj, name)
    return saved


def _check_global_unique(row: Row, obj: models.Model, shape: Shape) -> None:
    for name, f in shape.plain.items():
        value = getattr(obj, f.attname)
        if f.unique and value not in (None, "") and row.model._base_manager.filter(**{name: value}).exists():
            raise GenericBundleError([f"{row.where}.{name}: {value!r} already exists in this database"])


def _write_file(row: Row, obj: models.Model, name: str) -> None:
    """Store an embedded file; an identical file already stored under the same name is reused."""
    value = row.fields[name]
    content = base64.b64decode(value["base64"])
    storage = obj._meta.get_field(name).storage
    stored_name = value["name"]
    if storage.exists(stored_name):
        with storage.open(stored_name, "rb") as handle:
            same = hashlib.sha256(handle.read()).digest() == hashlib.sha256(content).digest()
        if not same:
            stored_name = storage.save(stored_name, ContentFile(content))
    else:
        stored_name = storage.save(stored_name, ContentFile(content))
    if stored_name != value["name"]:
        type(obj)._base_manager.filter(pk=obj.pk).update(**{name: stored_name})
