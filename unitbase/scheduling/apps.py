from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "unitbase.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"

    def ready(self):
        from unitbase.approvals import registry
        from unitbase.productions.authority import Action, Role

        from . import services

        # Changing a locked, applied schedule: approved by the UPM by default (domain spec); who may
        # decide also needs approve_schedule_change in the authority matrix. Editable per production.
        registry.register(registry.ApprovalKind(
            key=services.CHANGE_KIND,
            label="Schedule change",
            action=Action.APPROVE_SCHEDULE_CHANGE,
            defaults=(registry.PolicyDefault(steps=((Role.UPM.value,),)),),
            describe=services.schedule_change_describe,
            url_of=services.schedule_change_url,
            on_approved=services.schedule_change_on_approved,
            on_rejected=services.schedule_change_on_rejected,
            on_withdrawn=services.schedule_change_on_withdrawn,
        ))

        from unitbase.locations.hooks import register_shoot_day_provider

        from .location_days import shoot_days_for_sets

        register_shoot_day_provider(shoot_days_for_sets)
