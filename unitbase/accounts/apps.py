from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unitbase.accounts"
    label = "accounts"
    verbose_name = "Accounts"
