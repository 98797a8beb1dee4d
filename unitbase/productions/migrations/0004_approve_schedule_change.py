from django.db import migrations

APPROVER_ROLES = ["upm", "producer"]


def add_approve_schedule_change(apps, schema_editor):
    """Changing a locked, applied schedule became its own action: give it to the UPM and producer of
    every production (the roles the scheduling app hard-coded before)."""
    Production = apps.get_model("productions", "Production")
    AuthorityRule = apps.get_model("productions", "AuthorityRule")
    for production_id in Production.objects.values_list("pk", flat=True):
        for role in APPROVER_ROLES:
            AuthorityRule.objects.get_or_create(
                production_id=production_id, action="approve_schedule_change", role=role, defaults={"scope": "all"}
            )


def remove_approve_schedule_change(apps, schema_editor):
    apps.get_model("productions", "AuthorityRule").objects.filter(action="approve_schedule_change").delete()


class Migration(migrations.Migration):
    dependencies = [("productions", "0003_authority_action_choices")]
    operations = [migrations.RunPython(add_approve_schedule_change, remove_approve_schedule_change)]
