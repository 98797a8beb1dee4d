"""A URLconf for the API tests: the budgets router on its own NinjaAPI with the main API's
authentication and error handlers, so the tests do not depend on unitbase/api.py mounting it."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from unitbase import api as main
from unitbase.accounts.api import TokenAuth
from unitbase.budgets.api import router
from unitbase.budgets.costreport_api import router as costreport_router
from unitbase.budgets.spending_api import router as spending_router

test_api = NinjaAPI(auth=TokenAuth(), urls_namespace="budgets_test_api")
for exc, handler in [(Http404, main.not_found), (ObjectDoesNotExist, main.does_not_exist),
                     (PermissionDenied, main.forbidden), (ValidationError, main.invalid),
                     (NinjaValidationError, main.schema_invalid)]:
    test_api.add_exception_handler(exc, handler)
test_api.add_router("/productions", router)
test_api.add_router("/productions", spending_router)
test_api.add_router("/productions", costreport_router)

urlpatterns = [path("api/v1/", test_api.urls)]
