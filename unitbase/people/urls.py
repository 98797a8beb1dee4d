from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("crew/", views.crew, name="crew"),
    path("cast/", views.cast, name="cast"),
]
