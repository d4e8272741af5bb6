from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from comparisons import views as comparison_views
from opsguide.ratelimit import client_ip, login_username, ratelimit
from quizzes import admin_views

urlpatterns = [
    path("", comparison_views.home, name="home"),
    path("healthz", comparison_views.healthz, name="healthz"),
    path("favicon.ico", RedirectView.as_view(url=settings.STATIC_URL + "favicon.svg")),
    path("", include("comparisons.urls")),
    path("quizzes/", include("quizzes.urls")),
    path("review/", include("review.urls")),
    # Django's auth views with the site's own templates (templates/accounts/);
    # the admin keeps its own registration/ templates for its password pages.
    path(
        "accounts/login/",
        ratelimit("login", key=client_ip)(
            ratelimit("login_user", key=login_username)(
                auth_views.LoginView.as_view(template_name="accounts/login.html")
            )
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(template_name="accounts/password_change_form.html"),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "accounts/password_reset/",
        ratelimit("password_reset", key=client_ip)(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset_form.html",
                email_template_name="accounts/password_reset_email.html",
                subject_template_name="accounts/password_reset_subject.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html"
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("", include("onboarding.urls")),
    path("admin/statistics/", admin_views.statistics, name="admin-statistics"),
    path("admin/", admin.site.urls),
]

if settings.BENCHMARK_BASELINE:
    # `make bench`'s baseline and bound views (bench/views.py).
    urlpatterns.append(path("_bench/", include("bench.urls")))

handler500 = "opsguide.responses.server_error"
