"""The demo production "Low Water": who works on it, who plays whom, and who can sign in.

Plain data, read by `unitbase.demo.services.demo_create`. The screenplay is
`data/low-water.fountain`; the cast list below matches its speaking characters, numbered in order
of importance. Names, e-mails and phone numbers are invented (phone numbers are in Ofcom's
07700 900xxx range reserved for drama; e-mail domains are reserved test domains).
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

TITLE = "Low Water"
COMPANY = "Tidewrack Pictures"
SCREENPLAY = Path(__file__).resolve().parent / "data" / "low-water.fountain"
CURRENCY = "GBP"
TIME_ZONE = "Europe/London"
PASSWORD = "unitbase-demo"  # noqa: S105 (the published demo password)
SECOND_UNIT = "Second unit"

# The calendar: prep, shoot, wrap.
PREP_START = date(2027, 2, 1)
CREW_PREP = date(2027, 2, 22)
SHOOT_START = date(2027, 3, 1)
SECOND_UNIT_START = date(2027, 3, 15)
SHOOT_END = date(2027, 3, 19)
WRAP_END = date(2027, 3, 26)

# Logins, in the order the command prints them. "person" names the crew row below that the
# account is linked to (Person.user).
LOGINS = [
    {"email": "producer@demo.unitbase.test", "full_name": "Harriet Vance", "role": "producer",
     "department": None, "person": "Harriet Vance"},
    {"email": "upm@demo.unitbase.test", "full_name": "Kwame Mensah", "role": "upm",
     "department": None, "person": "Kwame Mensah"},
    {"email": "lineproducer@demo.unitbase.test", "full_name": "Isla Fairbairn", "role": "line_producer",
     "department": None, "person": "Isla Fairbairn"},
    {"email": "pm@demo.unitbase.test", "full_name": "Rory Gallacher", "role": "production_manager",
     "department": None, "person": "Rory Gallacher"},
    {"email": "camera.head@demo.unitbase.test", "full_name": "Ana Sobral", "role": "department_head",
     "department": "Camera", "person": "Ana Sobral"},
    {"email": "crew@demo.unitbase.test", "full_name": "Jamie Okoro", "role": "crew",
     "department": "Camera", "person": "Jamie Okoro"},
    # The financier reads the cost summary; a contact of the production, not on the crew list.
    {"email": "financier@demo.unitbase.test", "full_name": "Celia Brandt", "role": "financier",
     "department": None, "person": "Celia Brandt"},
]

# An invitation left open, so that the members page shows one.
OPEN_INVITATION = {"email": "coordinator@demo.unitbase.test", "full_name": "Priya Nair",
                   "role": "production_coordinator", "department": "Production"}


def _crew(name, department, position, weekly, start=SHOOT_START, end=SHOOT_END, unit=None, unit_rate="week",
          unions="", phone_suffix="000"):
    return {
        "name": name, "department": department, "position": position, "rate_amount": Decimal(weekly),
        "rate_unit": unit_rate, "start_date": start, "end_date": end, "unit": unit, "unions": unions,
        "email": name.lower().replace(" ", ".").replace("'", "") + "@example.org",
        "phone": f"+44 7700 900{phone_suffix}",
    }


# 33 crew in 16 departments; weekly rates in GBP unless marked flat.
CREW = [
    _crew("Harriet Vance", "Production", "Producer", "15000.00", PREP_START, WRAP_END, unit_rate="flat",
          phone_suffix="101"),
    _crew("Kwame Mensah", "Production", "Unit Production Manager", "2400.00", PREP_START, WRAP_END,
          phone_suffix="102"),
    _crew("Isla Fairbairn", "Production", "Line Producer", "2600.00", PREP_START, WRAP_END, phone_suffix="103"),
    _crew("Rory Gallacher", "Production", "Production Manager", "1900.00", PREP_START, WRAP_END,
          phone_suffix="104"),
    _crew("Priya Nair", "Production", "Production Coordinator", "1250.00", date(2027, 2, 8), WRAP_END,
          phone_suffix="105"),
    _crew("Callum Reid", "Production", "Floor Runner", "650.00", CREW_PREP, SHOOT_END, phone_suffix="106"),
    _crew("Bea Lindqvist", "Direction", "Director", "20000.00", PREP_START, SHOOT_END, unit_rate="flat",
          unions="Directors UK", phone_suffix="111"),
    _crew("Tom Ashdown", "Direction", "1st Assistant Director", "2100.00", date(2027, 2, 8), SHOOT_END,
          phone_suffix="112"),
    _crew("Mhairi Campbell", "Direction", "2nd Assistant Director", "1500.00", CREW_PREP, SHOOT_END,
          phone_suffix="113"),
    _crew("Ana Sobral", "Camera", "Director of Photography", "3500.00", date(2027, 2, 15), SHOOT_END,
          unions="BSC", phone_suffix="121"),
    _crew("Jamie Okoro", "Camera", "1st AC", "1650.00", CREW_PREP, SHOOT_END, unions="BECTU",
          phone_suffix="122"),
    _crew("Lewis Dunn", "Camera", "2nd AC", "1250.00", CREW_PREP, SHOOT_END, unions="BECTU", phone_suffix="123"),
    _crew("Chloe Marr", "Camera", "DIT", "1400.00", CREW_PREP, SHOOT_END, phone_suffix="124"),
    _crew("Ewan Stroud", "Camera", "2nd Unit Director of Photography", "2800.00", date(2027, 3, 8), SHOOT_END,
          unit=SECOND_UNIT, phone_suffix="125"),
    _crew("Hana Petrovic", "Camera", "Drone Operator", "1800.00", SECOND_UNIT_START, SHOOT_END,
          unit=SECOND_UNIT, phone_suffix="126"),
    _crew("Sam Whitlock", "Grip", "Key Grip", "1600.00", CREW_PREP, SHOOT_END, unions="BECTU",
          phone_suffix="131"),
    _crew("Duncan Rae", "Grip", "Dolly Grip", "1400.00", SHOOT_START, SHOOT_END, phone_suffix="132"),
    _crew("Morag Finlay", "Electric", "Gaffer", "1700.00", CREW_PREP, SHOOT_END, unions="BECTU",
          phone_suffix="141"),
    _crew("Kofi Asante", "Electric", "Best Boy Electric", "1350.00", SHOOT_START, SHOOT_END, phone_suffix="142"),
    _crew("Elena Ruiz", "Sound", "Production Sound Mixer", "1800.00", CREW_PREP, SHOOT_END, phone_suffix="151"),
    _crew("Angus Moir", "Sound", "Boom Operator", "1300.00", SHOOT_START, SHOOT_END, phone_suffix="152"),
    _crew("Fiona Baird", "Art", "Production Designer", "2400.00", PREP_START, WRAP_END, phone_suffix="161"),
    _crew("Niall Hendry", "Art", "Art Director", "1800.00", date(2027, 2, 8), WRAP_END, phone_suffix="162"),
    _crew("Georgie Platt", "Props", "Props Master", "1400.00", date(2027, 2, 15), WRAP_END, phone_suffix="171"),
    _crew("Leila Haddad", "Wardrobe", "Costume Designer", "1900.00", date(2027, 2, 8), WRAP_END,
          phone_suffix="181"),
    _crew("Ben Cairns", "Wardrobe", "Costume Assistant", "950.00", CREW_PREP, SHOOT_END, phone_suffix="182"),
    _crew("Joanna Kerr", "Hair and makeup", "Hair and Makeup Designer", "1600.00", CREW_PREP, SHOOT_END,
          phone_suffix="191"),
    _crew("Alasdair Munro", "Locations", "Location Manager", "1600.00", PREP_START, WRAP_END, phone_suffix="201"),
    _crew("Gary Whyte", "Transport", "Transport Captain", "1200.00", CREW_PREP, WRAP_END, phone_suffix="211"),
    _crew("Rosa Bianchi", "Catering", "Caterer", "1100.00", SHOOT_START, SHOOT_END, phone_suffix="221"),
    _crew("Anna Kowalczyk", "Script", "Script Supervisor", "1500.00", CREW_PREP, SHOOT_END, phone_suffix="231"),
    _crew("Douglas Strang", "Stunts", "Marine Coordinator", "2200.00", date(2027, 2, 15), SHOOT_END,
          unit=SECOND_UNIT, phone_suffix="241"),
    _crew("Keir Dalgleish", "Special effects", "Rain and Wind Effects Supervisor", "1800.00", CREW_PREP,
          SHOOT_END, phone_suffix="251"),
]

# The speaking parts of the screenplay, numbered in order of importance; daily rates in GBP.
CAST = [
    {"character": "MAREN", "name": "Siobhan Kerrigan", "rate_amount": Decimal("1200.00"),
     "start_date": SHOOT_START, "end_date": SHOOT_END, "agency": "Harbour Lights Management",
     "agent_name": "Morven Shaw", "agent_contact": "morven@harbourlights.example.org", "unions": "Equity"},
    {"character": "ELLIS", "name": "Malcolm Dewar", "rate_amount": Decimal("1200.00"),
     "start_date": SHOOT_START, "end_date": SHOOT_END, "agency": "Dewar & Lyle Associates",
     "agent_name": "Fraser Lyle", "agent_contact": "fraser@dewarlyle.example.org", "unions": "Equity"},
    {"character": "TOBY", "name": "Ruairidh Quinn", "rate_amount": Decimal("650.00"),
     "start_date": SHOOT_START, "end_date": date(2027, 3, 17), "agency": "Young Performers Scotland",
     "agent_name": "Gail Ritchie", "agent_contact": "gail@ypscotland.example.org", "unions": ""},
    {"character": "PASK", "name": "Adrian Fell", "rate_amount": Decimal("900.00"),
     "start_date": date(2027, 3, 2), "end_date": date(2027, 3, 12), "agency": "Northlight Artists",
     "agent_name": "Tessa Goodwin", "agent_contact": "tessa@northlight.example.org", "unions": "Equity"},
    {"character": "NELL", "name": "Eilidh Strachan", "rate_amount": Decimal("800.00"),
     "start_date": date(2027, 3, 2), "end_date": date(2027, 3, 11), "agency": "Northlight Artists",
     "agent_name": "Tessa Goodwin", "agent_contact": "tessa@northlight.example.org", "unions": "Equity"},
    {"character": "RUTH", "name": "Adaeze Nwosu", "rate_amount": Decimal("700.00"),
     "start_date": date(2027, 3, 8), "end_date": date(2027, 3, 10), "agency": "Meridian Talent",
     "agent_name": "Oliver Brandt", "agent_contact": "oliver@meridian.example.org", "unions": "Equity"},
    {"character": "DEV", "name": "Sanjay Mistry", "rate_amount": Decimal("700.00"),
     "start_date": date(2027, 3, 3), "end_date": date(2027, 3, 12), "agency": "Meridian Talent",
     "agent_name": "Oliver Brandt", "agent_contact": "oliver@meridian.example.org", "unions": "Equity"},
    {"character": "FINN", "name": "Cameron Laing", "rate_amount": Decimal("600.00"),
     "start_date": date(2027, 3, 4), "end_date": date(2027, 3, 16), "agency": "Harbour Lights Management",
     "agent_name": "Morven Shaw", "agent_contact": "morven@harbourlights.example.org", "unions": "Equity"},
    {"character": "SORCHA", "name": "Kirsty Galbraith", "rate_amount": Decimal("600.00"),
     "start_date": date(2027, 3, 9), "end_date": date(2027, 3, 16), "agency": "Dewar & Lyle Associates",
     "agent_name": "Fraser Lyle", "agent_contact": "fraser@dewarlyle.example.org", "unions": "Equity"},
]
