from django.db import migrations

FIELDS = ["address", "latitude", "longitude", "parking", "base_camp", "hospital_name", "hospital_address",
          "hospital_phone"]
MOVED_STATUSES = {"unavailable", "hold"}


def forwards(apps, schema_editor):
    """Call sheets kept a location per set (callsheets.CallSheetLocation): each becomes a Location (sets
    whose location has the same name and address share one) and a set → location mapping. Set-keyed
    availability rows of scheduling (unavailable / on hold) for a set that now has a location become
    the location's availability; other set rows stay where they are."""
    CallSheetLocation = apps.get_model("callsheets", "CallSheetLocation")
    Location = apps.get_model("locations", "Location")
    SetLocation = apps.get_model("locations", "SetLocation")
    LocationAvailability = apps.get_model("locations", "LocationAvailability")
    Availability = apps.get_model("scheduling", "Availability")
    Scene = apps.get_model("scripts", "Scene")
    for old in CallSheetLocation.objects.order_by("production_id", "pk"):
        name = (old.name or old.set_key).strip()[:200]
        same = Location.objects.filter(production_id=old.production_id, name=name).first()
        if same is not None and any(getattr(same, f) != getattr(old, f) for f in FIELDS):
            suffix = 2
            while Location.objects.filter(production_id=old.production_id, name=f"{name} ({suffix})").exists():
                suffix += 1
            name, same = f"{name} ({suffix})", None
        location = same or Location.objects.create(
            production_id=old.production_id, name=name, status="confirmed", notes=old.notes or "",
            **{f: getattr(old, f) for f in FIELDS},
        )
        set_name = (
            Scene.objects.filter(revision__production_id=old.production_id, set_key=old.set_key)
            .values_list("set_name", flat=True).first() or old.set_key
        )
        SetLocation.objects.get_or_create(production_id=old.production_id, set_key=old.set_key,
                                          defaults={"set_name": set_name, "location": location})
    for mapping in SetLocation.objects.all():
        rows = Availability.objects.filter(production_id=mapping.production_id, set_key=mapping.set_key,
                                           cast_member__isnull=True, status__in=MOVED_STATUSES)
        for row in rows:
            LocationAvailability.objects.get_or_create(location_id=mapping.location_id, date=row.date,
                                                       defaults={"status": row.status, "note": row.note})
        rows.delete()


def backwards(apps, schema_editor):
    """Copy locations back to per-set call sheet rows and location availability back to set rows."""
    CallSheetLocation = apps.get_model("callsheets", "CallSheetLocation")
    SetLocation = apps.get_model("locations", "SetLocation")
    Availability = apps.get_model("scheduling", "Availability")
    for mapping in SetLocation.objects.select_related("location"):
        loc = mapping.location
        CallSheetLocation.objects.get_or_create(
            production_id=mapping.production_id, set_key=mapping.set_key,
            defaults={"name": loc.name, "notes": loc.notes[:300], **{f: getattr(loc, f) for f in FIELDS}},
        )
        for row in loc.availability.all():
            Availability.objects.get_or_create(
                production_id=mapping.production_id, set_key=mapping.set_key, date=row.date,
                defaults={"set_name": mapping.set_name, "status": row.status, "note": row.note},
            )


class Migration(migrations.Migration):
    dependencies = [
        ("locations", "0001_initial"),
        ("callsheets", "0002_key_contacts_unshot_moves"),
        ("scheduling", "0001_initial"),
        ("scripts", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
