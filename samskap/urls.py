from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from samskap.accounts.oidc import SSO
from samskap.api import api
from samskap.core import views as core_views

admin.site.site_header = _("Samskap administration")
admin.site.site_title = _("Samskap")

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, extra_context={"sso": SSO}),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/", include("samskap.accounts.urls")),
    path("konto/meldinger/", include("samskap.core.outbox.urls")),
    path("api/v1/", api.urls),
    path("", include("samskap.agreements.urls")),
    path("", include("samskap.health.urls")),
    path("", include("samskap.measurement.urls")),
    path("", include("samskap.valuation.urls")),
    path("", include("samskap.reports.urls")),
    path("", include("samskap.registry.urls")),
]
