from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.quiz_list, name="list"),
    path("<slug:slug>/", views.play, name="play"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/start/", views.start, name="start"),
    path("<slug:slug>/attempts/<uuid:attempt_id>/answer/", views.answer, name="answer"),
    path("<slug:slug>/attempts/<uuid:attempt_id>/dispute/", views.dispute, name="dispute"),
    path("<slug:slug>/results/<uuid:attempt_id>/", views.results, name="results"),
    path("<slug:slug>/results/<uuid:attempt_id>/retry/", views.retry_missed, name="retry"),
]
