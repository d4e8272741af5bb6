from django.urls import path

from . import views

urlpatterns = [
    path("baseline/", views.baseline),
    path("learner-bound/<uuid:attempt_id>/", views.learner_bound),
]
