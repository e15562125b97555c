from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("setup/<uuid:school_id>/finish/", views.setup_finish, name="setup-finish"),
]
