from django.urls import path

from . import views

app_name = "comparisons"

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("compare/<slug:slug>/", views.dimension, name="dimension"),
    path("practices/", views.practices, name="practices"),
    path("practices/<slug:slug>/", views.practice, name="practice"),
    path("tools/", views.tools, name="tools"),
    path("sources/", views.sources, name="sources"),
    path("sorting-rule/", views.rule, name="rule"),
]
