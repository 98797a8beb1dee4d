from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "unitbase.payroll"
    label = "payroll"
    verbose_name = "Payroll"

    def ready(self):
        from unitbase.approvals import registry
        from unitbase.productions.authority import Action, Role

        from . import services

        registry.register(registry.ApprovalKind(
            key="timecard",
            label="Timecard",
            action=Action.APPROVE_TIMECARDS,
            # Department head, then production (accountant, PM or UPM); editable per production.
            defaults=(registry.PolicyDefault(steps=(
                (Role.DEPARTMENT_HEAD.value,),
                (Role.PRODUCTION_ACCOUNTANT.value, Role.PRODUCTION_MANAGER.value, Role.UPM.value),
            )),),
            describe=services.timecard_describe,
            amount_of=services.timecard_amount,
            url_of=services.timecard_url,
            on_approved=services.timecard_on_approved,
            on_rejected=services.timecard_on_rejected,
            on_withdrawn=services.timecard_on_withdrawn,
        ))

        from unitbase.scheduling.rest_hooks import register_rest_checker

        from . import selectors

        register_rest_checker(selectors.cast_rest_checker)

        from unitbase.budgets.commitment_sources import register as register_commitments

        from .commitments import labour_commitments

        register_commitments("labour", "Labour (payroll deals)", labour_commitments)

        from unitbase.budgets.hotcost_sources import register as register_hot_cost

        from .hotcost import timecard_day_figures

        register_hot_cost("timecards", "Timecards", timecard_day_figures)
