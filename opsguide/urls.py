from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from comparisons import views as comparison_views
from opsguide.ratelimit import client_ip, login_username, ratelimit
from quizzes import admin_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("healthz", comparison_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg")),
    path("", include("comparisons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path(
        "accounts/login/",
        ratelimit("login", key=client_ip)(
            ratelimit("login_user", key=login_username)(auth_views.LoginView.as_view())
        ),
        name="login",
    ),
    path(
        "accounts/password_reset/",
        ratelimit("password_reset", key=client_ip)(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("onboarding.urls")),
    path("admin/statistics/", admin_views.statistics, name="admin-statistics"),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK_BASELINE:
    # The floor for `make bench`: a trivial view rendering a small static template.
    urlpatterns.append(
        path("_bench/baseline/", TemplateView.as_view(template_name="bench/baseline.html"))
    )
