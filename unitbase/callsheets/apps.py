from django.apps import AppConfig


class CallsheetsConfig(AppConfig):
    name = "unitbase.callsheets"
    label = "callsheets"
    verbose_name = "Call sheets and production reports"

    def ready(self):
        from unitbase.productions.dashboard import register_panel

        from .selectors import shoot_progress_panel

        register_panel("callsheets.shoot_progress", shoot_progress_panel)
