"""The REST API at /api/v1/: one NinjaAPI, one router per app, token authentication."""

import logging

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError as NinjaValidationError

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
