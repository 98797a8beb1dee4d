from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_add, name="person_add"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("crew/", views.crew, name="crew"),
    path("crew/export.csv", views.crew_csv, name="crew_csv"),
    path("crew/export.xlsx", views.crew_xlsx, name="crew_xlsx"),
    path("crew/hire/", views.crew_hire, name="crew_hire"),
    path("crew/<int:crew_member_id>/edit/", views.crew_edit, name="crew_edit"),
    path("crew/<int:crew_member_id>/release/", views.crew_release, name="crew_release"),
    path("cast/", views.cast, name="cast"),
    path("cast/export.csv", views.cast_csv, name="cast_csv"),
    path("cast/export.xlsx", views.cast_xlsx, name="cast_xlsx"),
    path("cast/add/", views.cast_add, name="cast_add"),
    path("cast/<int:cast_member_id>/edit/", views.cast_edit, name="cast_edit"),
    path("cast/<int:cast_member_id>/remove/", views.cast_remove, name="cast_remove"),
]
