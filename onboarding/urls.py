from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/read/<slug:slug>/", views.mark_read, name="mark-read"),
    path("me/my-data.json", views.my_data, name="my-data"),
    path("me/delete/", views.delete_account, name="delete-account"),
    path("teams/<slug:slug>/", views.team, name="team"),
    path("teams/<slug:slug>/progress.csv", views.team_csv, name="csv"),
    path("teams/<slug:slug>/learn/", views.lead_learns, name="lead-learns"),
    path("teams/<slug:slug>/members/<int:user_id>/", views.member, name="member"),
    path(
        "teams/<slug:slug>/members/<int:user_id>/remove/",
        views.remove_member,
        name="remove-member",
    ),
    path("teams/<slug:slug>/track/", views.team_track, name="track"),
    path("teams/<slug:slug>/track/<int:pk>/remove/", views.remove_step, name="remove-step"),
    path("teams/<slug:slug>/invites/", views.team_invites, name="invites"),
    path("teams/<slug:slug>/invites/<int:pk>/revoke/", views.revoke_invite, name="revoke"),
    # Tokens are URL-safe base64, which is what the slug converter matches; anything
    # else (a NUL, which PostgreSQL refuses in a query) is a 404 before the view.
    path("invite/<slug:token>/", views.invite, name="invite"),
]
