from django.urls import path

from . import views

app_name = "productions"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch, name="switch"),
    path("productions/new/", views.production_new, name="new"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("p/<int:production_id>/", views.dashboard, name="dashboard"),
    path("p/<int:production_id>/settings/", views.settings_view, name="settings"),
    path("p/<int:production_id>/members/", views.members, name="members"),
    path("p/<int:production_id>/members/invite/", views.invite, name="invite"),
    path("p/<int:production_id>/members/<int:membership_id>/", views.member_edit, name="member_edit"),
    path("p/<int:production_id>/invitations/<int:invitation_id>/revoke/", views.invitation_revoke_view,
         name="invitation_revoke"),
    path("p/<int:production_id>/authority/", views.authority, name="authority"),
    path("p/<int:production_id>/audit/", views.audit, name="audit"),
    path("p/<int:production_id>/tasks/", views.tasks, name="tasks"),
]
