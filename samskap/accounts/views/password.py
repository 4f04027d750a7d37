"""Password reset by e-mail, with Django's views and token generator.

The reset link works once, for PASSWORD_RESET_TIMEOUT seconds (settings). The message is
written in the language the person used to ask for it and sent through the outbox
(EMAIL_BACKEND), never inside the request. The answer is the same whether the address is
known or not, so the form tells nobody who has an account.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from samskap.core import outbox, throttle


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's form, with the message queued in the outbox in the language of the page."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        outbox.send(
            to=to_email,
            template="accounts_password_reset",
            context=context,
            language=translation.get_language(),
            cause=context["user"],
        )


class PasswordResetView(auth_views.PasswordResetView):
    form_class = OutboxPasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form) -> HttpResponse:
        if not throttle.hit(
            "password_reset",
            self.request,
            limit=settings.SAMSKAP_PASSWORD_RESET_LIMIT_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many reset requests from your network. Try again later."))
            return render(self.request, self.template_name, {"form": form}, status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["timeout_hours"] = settings.PASSWORD_RESET_TIMEOUT // 3600
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
