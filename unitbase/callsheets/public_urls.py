"""Personal call sheet links for recipients (no sign-in; the token is the key)."""

app_name = "callsheet_links"
urlpatterns: list = []
