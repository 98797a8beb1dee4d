from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm, SignInForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
            messages.success(request, f"Token “{token.name}” created. Copy it now: it is shown only once.")
            form = ApiTokenForm()
        except ValidationError as exc:
            form.add_error(None, exc)
    tokens = ApiToken.objects.filter(user=request.user)
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "accounts/profile.html", {"form": form, "tokens": tokens, "new_key": new_key}, status=status)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    try:
        token = api_token_revoke(user=request.user, token_id=token_id)
    except ApiToken.DoesNotExist:
        messages.error(request, "That token does not exist.")
    else:
        messages.success(request, f"Token “{token.name}” revoked; it no longer works.")
    return redirect("accounts:profile")
