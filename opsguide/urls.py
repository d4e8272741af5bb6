from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from comparisons import views as comparison_views
from quizzes import admin_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("healthz", comparison_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg")),
    path("", include("comparisons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("onboarding.urls")),
    path("admin/statistics/", admin_views.statistics, name="admin-statistics"),
    path("admin/", admin.site.urls),
]
