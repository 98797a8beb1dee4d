import os
from decimal import Decimal

import pytest

from unitbase.callsheets import services
from unitbase.callsheets.exports import callsheet_pdf
from unitbase.callsheets.selectors import sheet_data
from unitbase.locations import services as locations

from .helpers import DAY1, build_world

pytestmark = pytest.mark.django_db


def test_pdf_renders_scene_list():
    world = build_world()
    ad = world["ad"]
    harbour = locations.location_create(
        access=ad, name="Newlyn Harbour", address="The Strand, Newlyn TR18 5HW",
        latitude=Decimal("50.1030"), longitude=Decimal("-5.5490"), parking="North quay car park",
        base_camp="Fish market yard", hospital_name="West Cornwall Hospital",
        hospital_address="St Clare St, Penzance TR18 2PF", hospital_phone="01736 874000")
    locations.set_location_assign(access=ad, set_key="HARBOUR", location_id=harbour.pk)
    sheet = services.callsheet_build_from_schedule(access=ad, unit_id=world["unit"].pk, shoot_date=DAY1)
    services.callsheet_update(access=ad, call_sheet_id=sheet.pk, weather="Showers, 11°C / 7°C, wind SW 20 mph",
                              walkie_channels="1: Production\n2: Open\n3: Camera\n4: Grip/Electric",
                              department_notes="Props: wet-weather covers for the nets\nWardrobe: doubles of Maren's coat (rain)")
    sheet.refresh_from_db()
    pdf = callsheet_pdf(sheet_data(sheet), draft=True)
    assert pdf.startswith(b"%PDF")
    if os.environ.get("CALLSHEET_PDF_OUT"):
        with open(os.environ["CALLSHEET_PDF_OUT"], "wb") as f:
            f.write(pdf)
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "\n".join(page.extract_text() or "" for page in doc.pages)
        assert 1 <= len(doc.pages) <= 2
    assert "HARBOUR" in text and "COTTAGE" in text
    # The hospital name may wrap inside its box, so look for its first words and its address.
    assert "West Cornwall" in text and "St Clare St, Penzance" in text
    assert "Day 1 of 3" in text
    assert "Showers" in text and "Sunrise" in text.title()
