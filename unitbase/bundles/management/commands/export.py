"""`unitbase export PRODUCTION_ID --as EMAIL [-o FILE]`: the whole production as one JSON bundle."""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from unitbase.bundles.services import BundleError, production_export
from unitbase.productions.authority import Action
from unitbase.productions.permissions import ActionDenied, ProductionNotFound, access_production


class Command(BaseCommand):
    help = "Export a whole production as one versioned JSON bundle (see docs/bundles.md)."

    def add_arguments(self, parser):
        parser.add_argument("production_id", help="The production's id (shown in its URL).")
        parser.add_argument("--as", dest="as_email", required=True, metavar="EMAIL",
                            help="The e-mail of the acting user; their role must allow exporting the production.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write to FILE instead of standard output.")

    def handle(self, *args, production_id, as_email, output, **options):
        user = get_user_model().objects.filter(email__iexact=as_email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user with the e-mail {as_email}", returncode=2)
        try:
            access = access_production(user, production_id, Action.EXPORT_PRODUCTION)
        except ProductionNotFound:
            raise CommandError(f"production {production_id}: no such production for {user.email}",
                               returncode=2) from None
        except ActionDenied as exc:
            raise CommandError(f"production {production_id}: {exc}", returncode=2) from None
        try:
            bundle = production_export(access=access)
        except BundleError as exc:
            lines = "\n".join(f"  {line}" for line in exc.errors[:50])
            more = f"\n  ... and {len(exc.errors) - 50} more" if len(exc.errors) > 50 else ""
            raise CommandError(f"production {production_id} was not exported:\n{lines}{more}", returncode=2) from None
        text = json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Exported {access.production.title!r} to {output}.")
        else:
            self.stdout.write(text, ending="")
