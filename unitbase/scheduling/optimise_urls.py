app_name = "optimiser"
urlpatterns: list = []
