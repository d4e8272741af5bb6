from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("", views.review_page, name="page"),
    path("answer/", views.answer, name="answer"),
    path("reminders/", views.reminders, name="reminders"),
]
