"""The one guard on every web path into a production."""

from functools import wraps

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required

from .authority import Action
from .permissions import access_production


def production_view(action: str = Action.VIEW_PRODUCTION):
    """Resolve `production_id` from the URL into `request.access`, or answer 404/403.

    The view receives `access` as its first argument after `request`.
    """

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, production_id, *args, **kwargs):
            access = access_production(request.user, production_id, action)
            request.access = access
            if request.user.current_production_id != access.production.pk:
                get_user_model().objects.filter(pk=request.user.pk).update(
                    current_production_id=access.production.pk
                )
            return view(request, access, *args, **kwargs)

        return wrapped

    return decorator
