from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "unitbase.payroll"
    label = "payroll"
    verbose_name = "Payroll"
