from django.urls import path

from . import oidc
from .views import invitations, municipalities, organisations, password, profile, tokens

app_name = "accounts"

urlpatterns = [
    path("", profile.profile, name="profile"),
    path("passord/", profile.PasswordChangeView.as_view(), name="password_change"),
    path("glemt-passord/", password.PasswordResetView.as_view(), name="password_reset"),
    path(
        "glemt-passord/sendt/",
        password.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        password.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "nytt-passord/ferdig/",
        password.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sso/start/", oidc.SignInStart.as_view(), name="oidc_authentication_init"),
    path("sso/tilbake/", oidc.SignInCallback.as_view(), name="oidc_authentication_callback"),
    path("sso/ingen-tilgang/", oidc.sign_in_refused, name="sso_refused"),
    path("api-nokler/", tokens.api_tokens, name="api_tokens"),
    path("api-nokler/<int:pk>/slett/", tokens.api_token_revoke, name="api_token_revoke"),
    path(
        "kommuner/<slug:slug>/innstillinger/",
        municipalities.municipality_settings,
        name="municipality_settings",
    ),
    path("organisasjoner/ny/", organisations.organisation_create, name="organisation_create"),
    path(
        "organisasjoner/<slug:slug>/rediger/",
        organisations.organisation_edit,
        name="organisation_edit",
    ),
    path("invitasjoner/", invitations.invitation_list, name="invitations"),
    path(
        "invitasjoner/<int:pk>/trekk-tilbake/",
        invitations.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path(
        "invitasjoner/<int:pk>/send-igjen/",
        invitations.invitation_resend,
        name="invitation_resend",
    ),
    path("invitasjon/<str:token>/", invitations.invitation_accept, name="invitation"),
]
