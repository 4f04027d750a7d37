from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "samskap.reports"
    label = "reports"
    verbose_name = _("Portfolio and reports")
