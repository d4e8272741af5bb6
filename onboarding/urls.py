from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/read/<slug:slug>/", views.mark_read, name="mark-read"),
    path("teams/<slug:slug>/", views.team, name="team"),
    path("teams/<slug:slug>/progress.csv", views.team_csv, name="csv"),
    path("teams/<slug:slug>/track/", views.team_track, name="track"),
    path("teams/<slug:slug>/invites/", views.team_invites, name="invites"),
    path("teams/<slug:slug>/invites/<int:pk>/revoke/", views.revoke_invite, name="revoke"),
    # Tokens are URL-safe base64, which is what the slug converter matches; anything
    # else (a NUL, which PostgreSQL refuses in a query) is a 404 before the view.
    path("invite/<slug:token>/", views.invite, name="invite"),
]
