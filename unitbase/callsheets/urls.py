from django.urls import path

from . import views

app_name = "callsheets"
urlpatterns = [
    path("", views.index, name="index"),
    path("build/", views.build, name="build"),
    path("settings/", views.preferences, name="preferences"),
    path("locations/", views.locations, name="locations"),
    path("<int:call_sheet_id>/", views.detail, name="detail"),
    path("<int:call_sheet_id>/edit/", views.update, name="update"),
    path("<int:call_sheet_id>/cast/<int:row_id>/", views.cast_row, name="cast_row"),
    path("<int:call_sheet_id>/crew-call/", views.crew_call, name="crew_call"),
    path("<int:call_sheet_id>/background/", views.background_add, name="background_add"),
    path("<int:call_sheet_id>/publish/", views.publish, name="publish"),
    path("<int:call_sheet_id>/revise/", views.revise, name="revise"),
    path("<int:call_sheet_id>/pdf/", views.pdf, name="pdf"),
    path("<int:call_sheet_id>/distribution/", views.distribution, name="distribution"),
    path("<int:call_sheet_id>/recipients/", views.recipient_add, name="recipient_add"),
    path("<int:call_sheet_id>/recipients/<int:recipient_id>/email/", views.recipient_email, name="recipient_email"),
    path("<int:call_sheet_id>/resend/", views.resend, name="resend"),
    path("<int:call_sheet_id>/retry/", views.retry, name="retry"),
    path("reports/start/", views.dpr_start, name="dpr_start"),
    path("reports/<int:report_id>/", views.dpr, name="dpr"),
    path("reports/<int:report_id>/scene/", views.dpr_scene, name="dpr_scene"),
    path("reports/<int:report_id>/delay/", views.dpr_delay, name="dpr_delay"),
    path("reports/<int:report_id>/cast/<int:row_id>/", views.dpr_cast_time, name="dpr_cast_time"),
    path("reports/<int:report_id>/crew/<int:row_id>/", views.dpr_crew_time, name="dpr_crew_time"),
    path("reports/<int:report_id>/unshot/", views.dpr_unshot, name="dpr_unshot"),
    path("reports/<int:report_id>/approve/", views.dpr_approve, name="dpr_approve"),
    path("reports/<int:report_id>/pdf/", views.dpr_export, name="dpr_pdf"),
]
