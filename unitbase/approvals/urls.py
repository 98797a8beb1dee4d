from django.urls import path

from . import views

app_name = "approvals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/decide/", views.decide, name="decide"),
    path("requests/<int:request_id>/withdraw/", views.withdraw, name="withdraw"),
    path("policies/", views.policies, name="policies"),
    path("policies/add/", views.policy_edit, name="policy_add"),
    path("policies/<int:policy_id>/", views.policy_edit, name="policy_edit"),
    path("policies/<int:policy_id>/delete/", views.policy_delete, name="policy_delete"),
    path("policies/reset/<slug:kind>/", views.policies_reset, name="policies_reset"),
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:delegation_id>/end/", views.delegation_end, name="delegation_end"),
]
