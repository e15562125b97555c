from django.urls import path

app_name = "provision"

urlpatterns: list = []
