from django.apps import AppConfig


class ScriptsConfig(AppConfig):
    name = "unitbase.scripts"
    label = "scripts"
    verbose_name = "Scripts and breakdown"
