app_name = "seizures"
urlpatterns: list = []
