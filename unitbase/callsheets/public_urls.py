"""Personal call sheet links for recipients (no sign-in; the token is the key)."""

from django.urls import path

from . import views

app_name = "callsheet_links"
urlpatterns = [
    path("bounces/", views.bounce_webhook, name="bounces"),
    path("<str:token>/", views.personal, name="personal"),
    path("<str:token>/confirm/", views.personal_confirm, name="confirm"),
    path("<str:token>/pdf/", views.personal_pdf, name="pdf"),
]
