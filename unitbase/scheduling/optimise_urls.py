from django.urls import path

from . import optimise_views as views

app_name = "optimiser"
urlpatterns = [
    path("", views.start, name="start"),
    path("run/<str:run_id>/", views.run, name="run"),
    path("run/<str:run_id>/stop/", views.cancel, name="cancel"),
    path("v/<int:version_id>/", views.explanation, name="explanation"),
]
