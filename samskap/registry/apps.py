from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "samskap.registry"
    label = "registry"
    verbose_name = _("Initiative registry")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .search import register_sqlite_functions

        # The search triggers (migration 0005) call samskap_stems on every SQLite connection.
        connection_created.connect(register_sqlite_functions, dispatch_uid="samskap_stems")
