"""The one guard on every web path into a production."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required

from .authority import Action
from .permissions import access_production


def production_view(action: str = Action.VIEW_PRODUCTION, guard=access_production):
    """Resolve `production_id` from the URL into `request.access`, or answer 404/403.

    The view receives `access` as its first argument after `request`. An app whose data has its
    own guard built on `access_production` (budgets' `access_budget`) passes it as `guard`.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, production_id, *args, **kwargs):
            access = guard(request.user, production_id, action)
            request.access = access
            if request.user.current_production_id != access.production.pk:
                get_user_model().objects.filter(pk=request.user.pk).update(
                    current_production_id=access.production.pk
                )
            return view(request, access, *args, **kwargs)

        return wrapped

    return decorator
