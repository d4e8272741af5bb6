from django.contrib import admin
from django.urls import include, path

from comparisons import views as comparison_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("healthz", comparison_views.healthz, name="healthz"),
    path("", include("comparisons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("admin/", admin.site.urls),
]
