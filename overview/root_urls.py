"""The site's root page, outside any namespace: `reverse("home")` and LOGIN_REDIRECT_URL name it."""

from django.urls import path

from . import views

urlpatterns = [path("", views.home, name="home")]
