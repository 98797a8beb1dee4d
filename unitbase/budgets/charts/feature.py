"""The classic feature top sheet (domain-spec 1.4): categories 1100-7900, accounts xx01-xx99.

Category codes follow the published fillable feature budget form; the accounts inside each
category follow the common sub-account convention (xx01-xx09 people, xx10 and up purchases and
rentals, xx99 fringes) and are a starting set that each production edits.
"""

FEATURE = {
    "name": "Feature film (classic)",
    "kind": "feature",
    "code_pattern": r"^\d{4}$",
    "categories": [
        ("1100", "Story & Other Rights", "atl", "1100", "1199", (), [
            ("1101", "Rights purchase / option"), ("1102", "Screenplay"), ("1103", "Writers"),
            ("1110", "Research & clearances"), ("1120", "Script timing & copies"),
        ]),
        ("1200", "Producers Unit", "atl", "1200", "1299", (), [
            ("1201", "Executive producers"), ("1202", "Producers"), ("1203", "Co-producers"),
            ("1205", "Producers' assistants"),
        ]),
        ("1300", "Direction", "atl", "1300", "1399", (), [
            ("1301", "Director"), ("1302", "Second unit director"), ("1305", "Director's assistant"),
        ]),
        ("1400", "Cast", "atl", "1400", "1499", (), [
            ("1401", "Principal cast"), ("1402", "Supporting cast"), ("1403", "Day players"),
            ("1404", "Stunt coordinator & performers"), ("1405", "Casting director"), ("1410", "Looping / ADR"),
        ]),
        ("1500", "Travel & Living (ATL)", "atl", "1500", "1599", (), [
            ("1501", "Airfares"), ("1502", "Hotels"), ("1503", "Per diem"),
        ]),
        ("1600", "Miscellaneous (ATL)", "atl", "1600", "1699", (), [("1601", "Miscellaneous")]),
        ("1900", "Fringe Benefits (ATL)", "atl", "1900", "1999", ("fringe",), [("1999", "ATL fringes")]),
        ("2000", "Production Staff", "production", "2000", "2099", (), [
            ("2001", "Unit production manager"), ("2002", "First assistant director"),
            ("2003", "Second assistant director"), ("2004", "Production coordinator"),
            ("2005", "Production accountant"), ("2006", "Script supervisor"), ("2007", "Production assistants"),
        ]),
        ("2100", "Extra Talent", "production", "2100", "2199", (), [
            ("2101", "Background"), ("2102", "Stand-ins"), ("2103", "Extras casting"),
        ]),
        ("2200", "Art Direction", "production", "2200", "2299", (), [
            ("2201", "Production designer"), ("2202", "Art director"), ("2210", "Art department supplies"),
        ]),
        ("2300", "Set Construction", "production", "2300", "2399", (), [
            ("2301", "Construction coordinator"), ("2302", "Carpenters & painters"), ("2310", "Materials"),
        ]),
        ("2400", "Set Striking", "production", "2400", "2499", (), [("2401", "Strike crew")]),
        ("2500", "Set Operations", "production", "2500", "2599", (), [
            ("2501", "Key grip"), ("2502", "Grips"), ("2505", "Craft service"), ("2506", "First aid"),
            ("2510", "Grip equipment rental"),
        ]),
        ("2600", "Special Effects", "production", "2600", "2699", (), [
            ("2601", "Special effects coordinator"), ("2610", "Special effects materials"),
        ]),
        ("2700", "Set Dressing", "production", "2700", "2799", (), [
            ("2701", "Set decorator"), ("2702", "Set dressers"), ("2710", "Purchases & rentals"),
        ]),
        ("2800", "Property", "production", "2800", "2899", (), [
            ("2801", "Property master"), ("2810", "Prop purchases & rentals"),
        ]),
        ("2900", "Men's Wardrobe", "production", "2900", "2999", (), [
            ("2901", "Costume designer"), ("2902", "Costumers"), ("2910", "Wardrobe purchases & rentals"),
        ]),
        ("3000", "Women's Wardrobe", "production", "3000", "3099", (), [
            ("3001", "Costumers"), ("3010", "Wardrobe purchases & rentals"),
        ]),
        ("3100", "Makeup & Hairdressing", "production", "3100", "3199", (), [
            ("3101", "Key makeup"), ("3102", "Key hair"), ("3110", "Supplies"),
        ]),
        ("3200", "Electrical / Set Lighting", "production", "3200", "3299", (), [
            ("3201", "Gaffer"), ("3202", "Best boy & electricians"), ("3210", "Lighting equipment rental"),
            ("3220", "Generator & fuel"),
        ]),
        ("3300", "Camera", "production", "3300", "3399", (), [
            ("3301", "Director of photography"), ("3302", "Camera operator"), ("3303", "Camera assistants"),
            ("3304", "DIT"), ("3310", "Camera equipment rental"),
        ]),
        ("3400", "Production Sound", "production", "3400", "3499", (), [
            ("3401", "Sound mixer"), ("3402", "Boom operator"), ("3410", "Sound equipment rental"),
        ]),
        ("3500", "Transportation", "production", "3500", "3599", (), [
            ("3501", "Transportation coordinator"), ("3502", "Drivers"), ("3510", "Vehicle rentals"),
            ("3520", "Fuel"),
        ]),
        ("3600", "Location Expenses", "production", "3600", "3699", (), [
            ("3601", "Location manager"), ("3610", "Site rentals"), ("3611", "Permits"),
            ("3612", "Police & fire"), ("3620", "Catering"),
        ]),
        ("3700", "Production Film & Lab", "production", "3700", "3799", (), [
            ("3701", "Media & storage"), ("3702", "Dailies"),
        ]),
        ("3800", "Stage Facilities", "production", "3800", "3899", (), [("3801", "Stage rental")]),
        ("3900", "Process / Rear Projection", "production", "3900", "3999", (), [("3901", "Process photography")]),
        ("4000", "Second Unit", "production", "4000", "4099", (), [("4001", "Second unit crew"), ("4010", "Second unit equipment")]),
        ("4100", "Tests", "production", "4100", "4199", (), [("4101", "Camera & makeup tests")]),
        ("4900", "Fringe Benefits (Production)", "production", "4900", "4999", ("fringe",), [("4999", "Production fringes")]),
        ("5000", "Editing", "post", "5000", "5099", (), [
            ("5001", "Editor"), ("5002", "Assistant editors"), ("5010", "Editing equipment & rooms"),
        ]),
        ("5100", "Music", "post", "5100", "5199", (), [
            ("5101", "Composer"), ("5102", "Music supervisor"), ("5110", "Licences"),
        ]),
        ("5200", "Post-production Sound", "post", "5200", "5299", (), [
            ("5201", "Sound editorial"), ("5202", "Mix"), ("5203", "Foley"),
        ]),
        ("5300", "Post-production Film & Lab", "post", "5300", "5399", (), [
            ("5301", "Conform & DI"), ("5302", "Colour"), ("5303", "Deliverables"),
        ]),
        ("5400", "Main & End Titles", "post", "5400", "5499", (), [("5401", "Titles")]),
        ("5900", "Fringe Benefits (Post)", "post", "5900", "5999", ("fringe",), [("5999", "Post fringes")]),
        ("6500", "Publicity", "other", "6500", "6599", (), [("6501", "Unit publicist"), ("6502", "Stills photographer")]),
        ("6700", "Insurance", "other", "6700", "6799", (), [("6701", "Production package"), ("6702", "E&O")]),
        ("6800", "General Expense", "other", "6800", "6899", (), [
            ("6801", "Legal"), ("6802", "Accounting & payroll services"), ("6803", "Office rent"),
            ("6804", "Shipping"),
        ]),
        ("7500", "Fees, Charges & Miscellaneous", "other", "7500", "7599", (), [("7501", "Bank charges")]),
        ("7900", "Fringe Benefits (Other)", "other", "7900", "7999", ("fringe",), [("7999", "Other fringes")]),
    ],
}
