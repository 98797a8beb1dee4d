"""`unitbase import FILE --as EMAIL [--rename TITLE]`: a production bundle into this database."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from unitbase.bundles.services import MAX_BUNDLE_BYTES, BundleError, bundle_parse, production_import


class Command(BaseCommand):
    help = "Import a production bundle made by `unitbase export` as a new production (see docs/bundles.md)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The bundle (JSON) to import; - reads standard input.")
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL",
                            help="The e-mail of the acting user; they become producer unless the bundle "
                                 "already makes them a member.")
        parser.add_argument("--rename", metavar="TITLE",
                            help="Import under this title (needed when a production with the title exists).")

    def handle(self, *args, file, as_email, rename, **options):
        user = get_user_model().objects.filter(email__iexact=as_email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user with the e-mail {as_email}", returncode=2)
        try:
            if file == "-":
                import sys

                raw = sys.stdin.buffer.read(MAX_BUNDLE_BYTES + 1)
            else:
                path = Path(file)
                if path.stat().st_size > MAX_BUNDLE_BYTES:
                    raise BundleError([f"{file}: larger than the limit of {MAX_BUNDLE_BYTES // 2**20} MB"])
                raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read it ({exc.strerror})", returncode=2) from None
        try:
            bundle = bundle_parse(raw)
            production = production_import(actor=user, bundle=bundle, title=rename)
        except BundleError as exc:
            lines = "\n".join(f"  {line}" for line in exc.errors[:50])
            more = f"\n  ... and {len(exc.errors) - 50} more" if len(exc.errors) > 50 else ""
            raise CommandError(
                f"{file} was not imported; nothing was changed:\n{lines}{more}", returncode=2
            ) from None
        self.stdout.write(self.style.SUCCESS(
            f"Imported {production.title!r} as production {production.pk}."
        ))
