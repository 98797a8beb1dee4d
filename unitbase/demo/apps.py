from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "unitbase.demo"
    label = "demo"
    verbose_name = "Demo production"
