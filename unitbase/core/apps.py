from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "unitbase.core"
    label = "core"
    verbose_name = "Core"
