from django.urls import path

from . import spending_views as sv
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
    path("<int:budget_id>/setup/schedule-sync/", views.setup_sync_schedule, name="setup_sync_schedule"),
    path("<int:budget_id>/setup/<str:kind>/delete/", views.setup_delete, name="setup_delete"),
    path("<int:budget_id>/setup/<str:kind>/", views.setup_save, name="setup_save"),
    path("<int:budget_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:budget_id>/import/", views.import_lines, name="import"),
    path("<int:budget_id>/accounts/<int:account_id>/", views.account_detail, name="account"),
    path("<int:budget_id>/accounts/<int:account_id>/lines/", views.line_add, name="line_add"),
    path("<int:budget_id>/lines/<int:line_id>/", views.line_row, name="line"),
    path("<int:budget_id>/lines/<int:line_id>/edit/", views.line_edit, name="line_edit"),
    path("<int:budget_id>/lines/<int:line_id>/delete/", views.line_delete, name="line_delete"),
    # spending and the cost report (spending_views.py)
    path("<int:budget_id>/cost-report/", sv.cost_report, name="cost_report"),
    path("<int:budget_id>/cost-report.pdf", sv.cost_report_pdf, name="cost_report_pdf"),
    path("<int:budget_id>/cost-report.xlsx", sv.cost_report_xlsx, name="cost_report_xlsx"),
    path("<int:budget_id>/cost-report/estimate/", sv.cost_estimate, name="cost_estimate"),
    path("spending/", sv.po_list, name="spending"),
    path("spending/po/new/", sv.po_create, name="po_create"),
    path("spending/vendors/new/", sv.vendor_create, name="vendor_create"),
    path("spending/po/<int:po_id>/", sv.po_detail, name="po"),
    path("spending/po/<int:po_id>/submit/", sv.po_submit, name="po_submit"),
    path("spending/po/<int:po_id>/close/", sv.po_close, name="po_close"),
    path("spending/po/<int:po_id>/invoices/", sv.invoice_create, name="invoice_create"),
    path("spending/invoices/<int:invoice_id>/payments/", sv.payment_create, name="payment_create"),
    path("spending/petty-cash/", sv.petty_cash, name="petty_cash"),
    path("spending/petty-cash/floats/", sv.float_issue, name="float_issue"),
    path("spending/petty-cash/floats/<int:float_id>/envelopes/", sv.envelope_open, name="envelope_open"),
    path("spending/petty-cash/envelopes/<int:envelope_id>/receipts/", sv.receipt_add, name="receipt_add"),
    path("spending/petty-cash/envelopes/<int:envelope_id>/<str:verb>/", sv.envelope_action, name="envelope_action"),
    path("spending/transactions/", sv.transactions, name="transactions"),
    path("spending/hot-cost/", sv.hot_cost, name="hot_cost"),
]
