from django.urls import path

from . import views

app_name = "payroll"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("cards/", views.cards, name="cards"),
    path("cards/new/", views.create, name="create"),
    path("cards/<int:timecard_id>/", views.detail, name="detail"),
    path("cards/<int:timecard_id>/edit/", views.edit, name="edit"),
    path("cards/<int:timecard_id>/calculate/", views.calculate, name="calculate"),
    path("cards/<int:timecard_id>/submit/", views.submit, name="submit"),
    path("cards/<int:timecard_id>/approve/", views.approve, name="approve"),
    path("cards/<int:timecard_id>/reject/", views.reject, name="reject"),
    path("cards/<int:timecard_id>/withdraw/", views.withdraw, name="withdraw"),
    path("cards/<int:timecard_id>/correct/", views.correct, name="correct"),
    path("cards/<int:timecard_id>/timecard.pdf", views.card_pdf, name="card_pdf"),
    path("export/payroll.csv", views.export_csv, name="export_csv"),
    path("cards/<int:timecard_id>/import-dpr/", views.import_dpr, name="import_dpr"),
    path("export/payroll.xlsx", views.export_xlsx, name="export_xlsx"),
    path("export/timecards.pdf", views.export_pdf, name="export_pdf"),
    path("deals/", views.deals, name="deals"),
    path("deals/<str:kind>/<int:engagement_id>/", views.deal_edit, name="deal_edit"),
    path("packs/", views.packs, name="packs"),
    path("packs/copy/", views.pack_copy, name="pack_copy"),
    path("packs/shipped/<slug:pack_id>/<str:version>/", views.pack_shipped, name="pack_shipped"),
    path("packs/<int:pack_pk>/", views.pack_edit, name="pack_edit"),
]
