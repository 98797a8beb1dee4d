from django.urls import path

from . import views

app_name = "scripts"
urlpatterns = [
    path("", views.script, name="script"),
    path("upload/", views.upload, name="upload"),
    path("revisions/", views.revisions, name="revisions"),
    path("revisions/<int:revision_id>/lock/", views.revision_lock, name="revision_lock"),
    path("revisions/<int:revision_id>/changes/", views.changes, name="changes"),
    path("revisions/<int:revision_id>/breakdown.csv", views.breakdown_csv, name="breakdown_csv"),
    path("revisions/<int:revision_id>/breakdown.xlsx", views.breakdown_xlsx, name="breakdown_xlsx"),
    path("revisions/<int:revision_id>/breakdown.pdf", views.breakdown_pdf, name="breakdown_pdf"),
    path("scenes/<int:scene_id>/", views.scene, name="scene"),
    path("scenes/<int:scene_id>/sheet.pdf", views.scene_pdf, name="scene_pdf"),
    path("scenes/<int:scene_id>/tags/", views.tag_add, name="tag_add"),
    path("tags/<int:tag_id>/delete/", views.tag_delete, name="tag_delete"),
    path("suggestions/", views.suggestions, name="suggestions"),
    path("suggestions/<int:tag_id>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("suggestions/<int:tag_id>/reject/", views.suggestion_reject, name="suggestion_reject"),
    path("elements/", views.elements, name="elements"),
    path("elements/<int:element_id>/", views.element_edit, name="element_edit"),
    path("elements/<int:element_id>/merge/", views.element_merge, name="element_merge"),
]
