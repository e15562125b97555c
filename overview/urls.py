from django.urls import path

from . import views

app_name = "overview"

urlpatterns = [
    path("ehc-plans/<uuid:plan_id>/section-f/", views.section_f, name="section-f"),
    path("ehc-plans/<uuid:plan_id>/section-f/new/", views.section_f_add, name="section-f-add"),
]
