from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "unitbase.people"
    label = "people"
    verbose_name = "People"
