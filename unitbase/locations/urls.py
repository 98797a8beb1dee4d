from django.urls import path

from . import views

app_name = "locations"
urlpatterns = [
    path("locations/", views.location_list, name="list"),
    path("locations/new/", views.location_add, name="add"),
    path("locations/sets/", views.sets, name="sets"),
    path("locations/<int:location_id>/", views.location_detail, name="detail"),
    path("locations/<int:location_id>/edit/", views.location_edit, name="edit"),
    path("locations/<int:location_id>/delete/", views.location_delete, name="delete"),
    path("locations/<int:location_id>/availability/", views.availability, name="availability"),
]
