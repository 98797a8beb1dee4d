from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.budget_list, name="list"),
    path("new/", views.budget_create, name="create"),
    path("compare/", views.compare, name="compare"),
    path("charts/load/", views.chart_load, name="chart_load"),
    path("charts/import/", views.chart_import, name="chart_import"),
    path("charts/<int:chart_id>/", views.chart_detail, name="chart"),
    path("charts/<int:chart_id>/accounts/<int:account_id>/rename/", views.chart_account_rename, name="chart_account_rename"),
    path("<int:budget_id>/", views.topsheet, name="topsheet"),
    path("<int:budget_id>/lock/", views.budget_lock, name="lock"),
    path("<int:budget_id>/revise/", views.budget_revise, name="revise"),
    path("<int:budget_id>/setup/", views.setup, name="setup"),
    path("<int:budget_id>/setup/<str:kind>/", views.setup_save, name="setup_save"),
    path("<int:budget_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:budget_id>/import/", views.import_lines, name="import"),
    path("<int:budget_id>/accounts/<int:account_id>/", views.account_detail, name="account"),
    path("<int:budget_id>/accounts/<int:account_id>/lines/", views.line_add, name="line_add"),
    path("<int:budget_id>/lines/<int:line_id>/", views.line_row, name="line"),
    path("<int:budget_id>/lines/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("<int:budget_id>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
]
