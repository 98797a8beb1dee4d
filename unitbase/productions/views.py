from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from .decorators import production_view
from .selectors import production_list_for_user


@login_required
def home(request):
    productions = production_list_for_user(user=request.user)
    current = request.user.current_production_id
    if current and productions.filter(pk=current).exists() and not request.GET.get("all"):
        return redirect("productions:dashboard", current)
    return render(request, "productions/home.html", {"productions": productions})


@login_required
def switch(request):
    production_id = request.GET.get("production", "")
    if not production_id.isdigit():
        return redirect("/?all=1")
    return redirect("productions:dashboard", int(production_id))


@production_view()
def dashboard(request, access):
    return render(request, "productions/dashboard.html", {})


def _pending(*args, **kwargs):
    raise Http404("Not built yet.")


production_new = login_required(_pending)
invitation_accept_view = _pending
settings_view = members = invite = member_edit = invitation_revoke_view = authority = audit = tasks = _pending
