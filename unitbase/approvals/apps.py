from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "unitbase.approvals"
    label = "approvals"
    verbose_name = "Approvals"
