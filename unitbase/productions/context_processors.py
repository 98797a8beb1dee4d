from django.utils.functional import SimpleLazyObject


def current_production(request):
    """The production access that the view resolved (set by `production_view`) and the
    productions the user may switch to (queried only when a template asks)."""
    access = getattr(request, "access", None)

    def productions():
        from .selectors import production_list_for_user

        return list(production_list_for_user(user=request.user).only("id", "title"))

    return {
        "access": access,
        "production": access.production if access else None,
        "user_productions": SimpleLazyObject(productions),
    }
