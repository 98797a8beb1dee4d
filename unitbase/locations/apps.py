from django.apps import AppConfig


class LocationsConfig(AppConfig):
    name = "unitbase.locations"
    label = "locations"
    verbose_name = "Locations"
