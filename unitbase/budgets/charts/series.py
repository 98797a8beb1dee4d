"""An episodic series chart (domain-spec 1.4, "TV"): the same 1100-series ATL blocks (the writers'
room lives in 1100), production, post and other blocks. Per-episode versus season-wide costs are
told apart with each detail line's episode tag rather than separate charts (pattern/amortisation
budgets are left for later)."""

SERIES = {
    "name": "Series (episodic)",
    "kind": "series",
    "code_pattern": r"^\d{4}$",
    "categories": [
        ("1100", "Story & Writers", "atl", "1100", "1199", (), [
            ("1101", "Rights & format"), ("1102", "Showrunner"), ("1103", "Writers' room"),
            ("1104", "Episode scripts"), ("1110", "Script coordinator & research"),
        ]),
        ("1200", "Producers", "atl", "1200", "1299", (), [
            ("1201", "Executive producers"), ("1202", "Producers"), ("1203", "Co-producers"),
        ]),
        ("1300", "Directors", "atl", "1300", "1399", (), [("1301", "Episode directors"), ("1302", "Director prep & post")]),
        ("1400", "Cast", "atl", "1400", "1499", (), [
            ("1401", "Series regulars"), ("1402", "Recurring cast"), ("1403", "Guest cast"),
            ("1404", "Stunts"), ("1405", "Casting"),
        ]),
        ("1500", "Travel & Living (ATL)", "atl", "1500", "1599", (), [("1501", "ATL travel & living")]),
        ("1900", "Fringe Benefits (ATL)", "atl", "1900", "1999", ("fringe",), [("1999", "ATL fringes")]),
        ("2000", "Production Staff", "production", "2000", "2099", (), [
            ("2001", "Unit production manager"), ("2002", "Assistant directors"), ("2004", "Production office"),
            ("2005", "Accounting"), ("2006", "Script supervisor"),
        ]),
        ("2100", "Background", "production", "2100", "2199", (), [("2101", "Background & stand-ins")]),
        ("2200", "Art Department", "production", "2200", "2299", (), [
            ("2201", "Production designer & art directors"), ("2210", "Art purchases & rentals"),
        ]),
        ("2300", "Construction", "production", "2300", "2399", (), [("2301", "Construction labour"), ("2310", "Materials")]),
        ("2500", "Set Operations & Grip", "production", "2500", "2599", (), [("2501", "Grips"), ("2510", "Grip equipment")]),
        ("2700", "Set Dressing & Props", "production", "2700", "2899", (), [("2701", "Set dressing"), ("2801", "Props")]),
        ("2900", "Wardrobe", "production", "2900", "2999", (), [("2901", "Costume department"), ("2910", "Wardrobe purchases")]),
        ("3100", "Hair & Makeup", "production", "3100", "3199", (), [("3101", "Hair & makeup crew"), ("3110", "Supplies")]),
        ("3200", "Set Lighting", "production", "3200", "3299", (), [("3201", "Electricians"), ("3210", "Lighting equipment")]),
        ("3300", "Camera", "production", "3300", "3399", (), [("3301", "Camera crew"), ("3310", "Camera equipment")]),
        ("3400", "Production Sound", "production", "3400", "3499", (), [("3401", "Sound crew"), ("3410", "Sound equipment")]),
        ("3500", "Transportation", "production", "3500", "3599", (), [("3501", "Drivers"), ("3510", "Vehicles")]),
        ("3600", "Locations", "production", "3600", "3699", (), [("3601", "Location staff"), ("3610", "Site fees & permits"), ("3620", "Catering")]),
        ("3800", "Stages & Standing Sets", "production", "3800", "3899", (), [("3801", "Stage rental")]),
        ("4400", "Visual Effects", "production", "4400", "4499", (), [("4401", "VFX supervisor"), ("4410", "VFX vendors")]),
        ("4900", "Fringe Benefits (Production)", "production", "4900", "4999", ("fringe",), [("4999", "Production fringes")]),
        ("5000", "Editorial", "post", "5000", "5099", (), [("5001", "Editors"), ("5010", "Edit rooms & equipment")]),
        ("5100", "Music", "post", "5100", "5199", (), [("5101", "Composer"), ("5110", "Licences")]),
        ("5200", "Post Sound", "post", "5200", "5299", (), [("5201", "Sound editorial & mix")]),
        ("5300", "Picture Finishing", "post", "5300", "5399", (), [("5301", "Online, colour & deliverables")]),
        ("5900", "Fringe Benefits (Post)", "post", "5900", "5999", ("fringe",), [("5999", "Post fringes")]),
        ("6500", "Publicity", "other", "6500", "6599", (), [("6501", "Unit publicity & stills")]),
        ("6700", "Insurance", "other", "6700", "6799", (), [("6701", "Production package")]),
        ("6800", "General Expense", "other", "6800", "6899", (), [("6801", "Legal"), ("6802", "Office & payroll services")]),
        ("7900", "Fringe Benefits (Other)", "other", "7900", "7999", ("fringe",), [("7999", "Other fringes")]),
    ],
}
