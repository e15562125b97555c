from django.urls import path

from . import views

app_name = "deadlines"

urlpatterns = [
    path("", views.deadline_list, name="deadline-list"),
    path("calendar/", views.deadline_calendar, name="deadline-calendar"),
    path("<uuid:deadline_id>/excuse/", views.deadline_excuse, name="deadline-excuse"),
    path("<uuid:deadline_id>/excused/", views.deadline_excused, name="deadline-excused"),
    path("feed/", views.feed_settings, name="feed-settings"),
    path("feed/new/", views.feed_issue, name="feed-issue"),
    path("feed/revoke/", views.feed_revoke, name="feed-revoke"),
    path("feed/<urltoken:token>.ics", views.feed, name="feed"),
]
