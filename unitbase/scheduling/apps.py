from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "unitbase.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
