"""`unitbase demo`: create the demo production "Low Water" (idempotent)."""

from django.core.management.base import BaseCommand

from unitbase.demo import data
from unitbase.demo.services import demo_create


class Command(BaseCommand):
    help = "Create the demo production with its crew, cast, screenplay and sign-ins (does nothing if it exists)."

    def handle(self, *args, **options):
        production, created = demo_create()
        if created:
            self.stdout.write(self.style.SUCCESS(
                f"Created the demo production {production.title!r} (id {production.pk}): "
                f"{production.crew.count()} crew, {production.cast.count()} cast."
            ))
        else:
            self.stdout.write(f"The demo production {production.title!r} (id {production.pk}) already exists; "
                              "nothing was created.")
        self.stdout.write(f"Screenplay: {data.SCREENPLAY}")
        self.stdout.write(f"\nSign in with any of these (password: {data.PASSWORD}):\n")
        width = max(len(login["email"]) for login in data.LOGINS)
        self.stdout.write(f"  {'E-mail'.ljust(width)}  Role")
        for login in data.LOGINS:
            role = login["role"].replace("_", " ")
            where = f" ({login['department']})" if login["department"] else ""
            self.stdout.write(f"  {login['email'].ljust(width)}  {role}{where}")
