"""Budgets: charts of accounts, budgets, fringes, globals, top sheet."""
