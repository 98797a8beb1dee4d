app_name = "callsheets"
urlpatterns: list = []
