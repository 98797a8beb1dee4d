"""The REST API at /api/v1/: one NinjaAPI, one router per app, token authentication."""

import json
import logging

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from unitbase.accounts.api import TokenAuth
from unitbase.accounts.api import router as accounts_router
from unitbase.approvals.api import router as approvals_router
from unitbase.budgets.api import router as budgets_router
from unitbase.budgets.costreport_api import router as costreport_router
from unitbase.budgets.spending_api import router as spending_router
from unitbase.callsheets.api import router as callsheets_router
from unitbase.locations.api import router as locations_router
from unitbase.payroll.api import router as payroll_router
from unitbase.people.api import router as people_router
from unitbase.productions.api import router as productions_router
from unitbase.scheduling.api import router as scheduling_router
from unitbase.scheduling.optimise_api import router as optimiser_router
from unitbase.scripts.api import router as scripts_router

logger = logging.getLogger(__name__)

NULL_CHARACTER = "Null characters are not allowed."


class BodyNotJSON(ValueError):
    """The request body is not a JSON document; `detail` is a list of {"loc", "msg"} entries."""

    def __init__(self, detail: list[dict]):
        super().__init__(detail[0]["msg"])
        self.detail = detail


def _null_character_locations(value, loc: list) -> list[list]:
    """Where a NUL character hides in parsed JSON. PostgreSQL refuses NUL in text, so an API write
    carrying one would fail in the database instead of answering 422."""
    if isinstance(value, str):
        return [loc] if "\x00" in value else []
    if isinstance(value, dict):
        found = [[*loc, key] for key in value if "\x00" in str(key)]
        for key, item in value.items():
            found.extend(_null_character_locations(item, [*loc, key]))
        return found
    if isinstance(value, list):
        return [hit for index, item in enumerate(value) for hit in _null_character_locations(item, [*loc, index])]
    return []


class CheckedParser(Parser):
    """Ninja's JSON parser, plus: a body that is not JSON, or text with a NUL character in the body
    or the query string, is refused with 422 and says where (instead of a bare 400 or a database
    error on PostgreSQL)."""

    def parse_body(self, request):
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise BodyNotJSON([{"loc": ["body"], "msg": f"The body is not UTF-8 text (byte {error.start})."}]) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise BodyNotJSON([{"loc": ["body"], "msg": (
                f"The body is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.")}]) from None
        hits = _null_character_locations(data, ["body"])
        if hits:
            raise BodyNotJSON([{"loc": [str(p) for p in hit], "msg": NULL_CHARACTER} for hit in hits])
        return data

    def parse_querydict(self, data, list_fields, request):
        bad = [key for key, values in data.lists() if "\x00" in key or any("\x00" in str(v) for v in values)]
        if bad:
            raise ValidationError({key: NULL_CHARACTER for key in bad})
        return super().parse_querydict(data, list_fields, request)


api = NinjaAPI(
    title="Unitbase API",
    version="1",
    description=(
        "The production office's data: productions, units, episodes, departments, contacts, crew, cast, "
        "members and the authority matrix.\n\n"
        "Authenticate with `Authorization: Bearer <token>`; create tokens on your account page. "
        "A production you are not a member of answers 404; an action your role may not take answers 403. "
        "Invalid input answers 422 with `{\"detail\": [{\"loc\": [...], \"msg\": \"...\"}]}`. "
        "Lists are paginated with `limit` and `offset` and answer `{\"items\": [...], \"count\": n}`. "
        "Money is a decimal string plus a currency code; rates you may not see are null."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    # Served from ninja's own static files ("ninja" is in INSTALLED_APPS); no online validator call.
    docs=Swagger(settings={"validatorUrl": None}),
    openapi_url="/openapi.json",
    parser=CheckedParser(),
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ObjectDoesNotExist)
def does_not_exist(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


def _unique_field(error: ValidationError) -> tuple[str, str] | None:
    """The field a model's multi-field unique constraint is about, and a plain message:
    ("production", "cast_number") is reported on "cast_number", since every such constraint here
    is scoped to a production."""
    params = getattr(error, "params", None) or {}
    fields = [f for f in params.get("unique_check", ()) if f != "production"]
    if getattr(error, "code", None) != "unique_together" or len(fields) != 1:
        return None
    model = params.get("model_class")
    label = model._meta.get_field(fields[0]).verbose_name if model else fields[0].replace("_", " ")
    return fields[0], f"Another {params.get('model_name', 'record')} in this production already has this {label}."


def validation_errors(exc: ValidationError) -> list[dict]:
    """A Django ValidationError as [{"loc": [field], "msg": ...}], one entry per field."""
    if not hasattr(exc, "error_dict"):
        return [{"loc": [], "msg": m} for m in exc.messages]
    by_field: dict[str, list[str]] = {}
    for field, errors in exc.error_dict.items():
        for error in errors:
            unique = _unique_field(error) if field == NON_FIELD_ERRORS else None
            if unique:
                by_field.setdefault(unique[0], []).append(unique[1])
            else:
                by_field.setdefault(field, []).extend(error.messages)
    return [
        {"loc": [] if field == NON_FIELD_ERRORS else [field], "msg": " ".join(messages)}
        for field, messages in by_field.items()
    ]


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": validation_errors(exc)}, status=422)


@api.exception_handler(IntegrityError)
def conflict(request, exc):
    # Services validate before writing; this is the backstop for a race between two requests
    # (or a protected reference on delete), never a 500.
    logger.warning("API integrity error on %s: %s", request.path, exc)
    message = "That conflicts with another record that was saved at the same time; reload and try again."
    if isinstance(exc, ProtectedError | RestrictedError):
        message = "It is still referred to by other records, so it cannot be deleted."
    return api.create_response(request, {"detail": [{"loc": [], "msg": message}]}, status=409)


@api.exception_handler(HttpError)
def http_error(request, exc):
    # Ninja wraps whatever the parser raises in a 400 "Cannot parse request body"; a body that is
    # not JSON is invalid input like any other, answered 422 in the documented shape.
    if isinstance(exc.__cause__, BodyNotJSON):
        return api.create_response(request, {"detail": exc.__cause__.detail}, status=422)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def schema_invalid(request, exc):
    # Ninja reports ("body", "payload", "title"); the parameter's name means nothing to a client.
    errors = []
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", [])]
        if len(loc) >= 2 and loc[0] == "body":
            loc = [loc[0], *loc[2:]]
        errors.append({"loc": loc, "msg": error.get("msg", "Invalid value.")})
    return api.create_response(request, {"detail": errors}, status=422)


api.add_router("/", accounts_router)
api.add_router("/productions", productions_router)
api.add_router("/productions", people_router)
api.add_router("/productions", locations_router)
api.add_router("/productions", scripts_router)
api.add_router("/productions", budgets_router)
api.add_router("/productions", costreport_router)
api.add_router("/productions", spending_router)
api.add_router("/productions", approvals_router)
api.add_router("/productions", scheduling_router)
api.add_router("/productions", optimiser_router)
api.add_router("/productions", payroll_router)
api.add_router("/productions", callsheets_router)
