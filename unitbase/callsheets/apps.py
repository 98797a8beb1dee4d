from django.apps import AppConfig


class CallsheetsConfig(AppConfig):
    name = "unitbase.callsheets"
    label = "callsheets"
    verbose_name = "Call sheets and production reports"

    def ready(self):
        from unitbase.productions.dashboard import register_panel

        from .selectors import shoot_progress_panel

        register_panel("callsheets.shoot_progress", shoot_progress_panel)

        from unitbase.budgets.hotcost_sources import register as register_hot_cost

        from .hotcost import dpr_day_figures

        # A reporting source: the DPR's hours and extra days; the timecards win where they exist.
        register_hot_cost("dpr", "Production report", dpr_day_figures, pays=False)
