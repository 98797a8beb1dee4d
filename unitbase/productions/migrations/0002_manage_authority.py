from django.db import migrations

FLOOR_ROLES = ["producer", "upm"]


def add_manage_authority(apps, schema_editor):
    """Matrix editing became its own action: give it to the producer and UPM of every production."""
    Production = apps.get_model("productions", "Production")
    AuthorityRule = apps.get_model("productions", "AuthorityRule")
    for production_id in Production.objects.values_list("pk", flat=True):
        for role in FLOOR_ROLES:
            AuthorityRule.objects.get_or_create(
                production_id=production_id, action="manage_authority", role=role, defaults={"scope": "all"}
            )


def remove_manage_authority(apps, schema_editor):
    apps.get_model("productions", "AuthorityRule").objects.filter(action="manage_authority").delete()


class Migration(migrations.Migration):
    dependencies = [("productions", "0001_initial")]
    operations = [migrations.RunPython(add_manage_authority, remove_manage_authority)]
