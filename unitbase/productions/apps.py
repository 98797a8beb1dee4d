from django.apps import AppConfig


class ProductionsConfig(AppConfig):
    name = "unitbase.productions"
    label = "productions"
    verbose_name = "Productions"
