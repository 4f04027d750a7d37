"""Move signed agreements into force on their start date and end them after their end date."""

from django.core.management.base import BaseCommand

from samskap.agreements.services import agreements_sync_states


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options) -> None:
        moved = agreements_sync_states()
        self.stdout.write(f"{moved} agreement(s) changed state.")
