from django.apps import AppConfig


class BundlesConfig(AppConfig):
    name = "unitbase.bundles"
    label = "bundles"
    verbose_name = "Production bundles (export and import)"
