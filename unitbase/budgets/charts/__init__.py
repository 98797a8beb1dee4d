"""Standard charts of accounts as data, loaded into a production by `chart_load_standard`.

Each chart is a dict: name, kind, code_pattern and categories; a category is
(code, name, level, code_from, code_to, flags, accounts) where flags may hold "fringe" (fringe
benefits post here) and "markup" (AICP: the production markup applies), and accounts are
(code, name) pairs. Sources and what is unverified: docs/budgets.md.
"""

from .commercial import AICP
from .feature import FEATURE
from .series import SERIES

STANDARD_CHARTS = {"feature": FEATURE, "series": SERIES, "commercial": AICP}
