from django.apps import AppConfig


class CallsheetsConfig(AppConfig):
    name = "unitbase.callsheets"
    label = "callsheets"
    verbose_name = "Call sheets and production reports"
