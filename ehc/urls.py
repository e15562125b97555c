from django.urls import path

app_name = "ehc"

urlpatterns: list = []
