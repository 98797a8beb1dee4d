from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "unitbase.budgets"
    label = "budgets"
    verbose_name = "Budgets"
