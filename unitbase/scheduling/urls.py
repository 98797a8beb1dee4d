from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("", views.home, name="home"),
    path("create/", views.create, name="create"),
    path("versions/", views.versions, name="versions"),
    path("compare/", views.compare, name="compare"),
    path("changes/", views.change_request, name="change_request"),
    path("changes/<int:change_id>/", views.change, name="change"),
    path("changes/<int:change_id>/<str:verb>/", views.change_decide, name="change_decide"),
    path("availability/", views.availability, name="availability"),
    path("preferences/", views.preferences, name="preferences"),
    path("calendar/<int:unit_id>/", views.calendar_page, name="calendar"),
    path("feeds/", views.feed_create, name="feed_create"),
    path("feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("ical/<str:token>.ics", views.ical, name="ical"),
    path("v/<int:version_id>/", views.board, name="board"),
    path("v/<int:version_id>/move/", views.move, name="move"),
    path("v/<int:version_id>/breaks/", views.day_break_add, name="day_break_add"),
    path("v/<int:version_id>/banners/", views.banner_add, name="banner_add"),
    path("v/<int:version_id>/auto/", views.auto_breaks, name="auto_breaks"),
    path("v/<int:version_id>/sort/", views.sort, name="sort"),
    path("v/<int:version_id>/strips/<int:strip_id>/remove/", views.strip_remove, name="strip_remove"),
    path("v/<int:version_id>/strips/<int:strip_id>/split/", views.strip_split, name="strip_split"),
    path("v/<int:version_id>/strips/<int:strip_id>/edit/", views.strip_edit, name="strip_edit"),
    path("v/<int:version_id>/<str:verb>/", views.version_action, name="version_action"),
    path("v/<int:version_id>/report/dood/", views.dood, name="dood"),
    path("v/<int:version_id>/report/one-liner/", views.oneliner, name="oneliner"),
    path("v/<int:version_id>/report/shooting/", views.shooting, name="shooting"),
]
