from django.urls import include, path

from unitbase.api import api

urlpatterns = [
    path("accounts/", include("unitbase.accounts.urls")),
    path("api/v1/", api.urls),
    path("", include("unitbase.core.urls")),
    path("", include("unitbase.productions.urls")),
    path("p/<int:production_id>/", include("unitbase.people.urls")),
    path("p/<int:production_id>/", include("unitbase.locations.urls")),
    path("p/<int:production_id>/script/", include("unitbase.scripts.urls")),
    path("p/<int:production_id>/schedule/", include("unitbase.scheduling.urls")),
    path("p/<int:production_id>/schedule/optimise/", include("unitbase.scheduling.optimise_urls")),
    path("p/<int:production_id>/callsheets/", include("unitbase.callsheets.urls")),
    path("callsheet/", include("unitbase.callsheets.public_urls")),
    path("p/<int:production_id>/approvals/", include("unitbase.approvals.urls")),
    path("p/<int:production_id>/time/", include("unitbase.payroll.urls")),
    path("p/<int:production_id>/budget/", include("unitbase.budgets.urls")),
]

handler400 = "unitbase.core.views.bad_request"
handler403 = "unitbase.core.views.permission_denied"
handler404 = "unitbase.core.views.page_not_found"
handler500 = "unitbase.core.views.server_error"
