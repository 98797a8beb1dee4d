"""The REST API at /api/v1/: one NinjaAPI, one router per app, token authentication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from unitbase.accounts.api import TokenAuth
from unitbase.accounts.api import router as accounts_router
from unitbase.people.api import router as people_router
from unitbase.productions.api import router as productions_router

api = NinjaAPI(
    title="Unitbase API",
    version="1",
    description="The production office's data: productions, units, people, crew, cast and members. "
    "Authenticate with `Authorization: Bearer <token>`; create tokens on your account page.",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Not allowed."}, status=403)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    if hasattr(exc, "error_dict"):
        errors = [{"loc": [field], "msg": " ".join(str(m) for m in messages)}
                  for field, messages in exc.message_dict.items()]
    else:
        errors = [{"loc": [], "msg": m} for m in exc.messages]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(NinjaValidationError)
def schema_invalid(request, exc):
    errors = [{"loc": [str(p) for p in e.get("loc", [])], "msg": e.get("msg", "Invalid value.")} for e in exc.errors]
    return api.create_response(request, {"detail": errors}, status=422)


api.add_router("/", accounts_router)
api.add_router("/productions", productions_router)
api.add_router("/productions", people_router)
