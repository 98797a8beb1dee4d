"""The AICP commercial bid form (domain-spec 1.5) as a chart: one category per section, account
codes "<section letter><two digits>". Sections A-F follow the vendor paraphrase marked verified in
the spec; G-P names are marked UNVERIFIED there. Sections A-K are "live" costs that carry the one
production markup (flag "markup"); L (director/creative fees), M-N (talent), O (post) and P (usage)
do not. Levels: L-N above the line, A-K production, O post, P other."""

AICP = {
    "name": "Commercial (AICP bid form)",
    "kind": "commercial",
    "code_pattern": r"^[A-P]\d{2}$",
    "categories": [
        ("A", "Pre-production & wrap labor", "production", "A01", "A99", ("markup",), [
            ("A01", "Line producer"), ("A02", "Assistant director"), ("A03", "Director of photography (prep)"),
            ("A04", "Production assistants"),
        ]),
        ("B", "Shooting crew labor", "production", "B01", "B99", ("markup",), [
            ("B01", "Line producer"), ("B02", "Assistant director"), ("B03", "Director of photography"),
            ("B04", "Camera assistants"), ("B05", "Gaffer & electricians"), ("B06", "Key grip & grips"),
            ("B07", "Sound"), ("B08", "Hair, makeup & wardrobe"),
        ]),
        ("C", "Pre-production & wrap expenses", "production", "C01", "C99", ("markup",), [
            ("C01", "Casting"), ("C02", "Scouting"), ("C03", "Vehicles"), ("C04", "Meals"),
        ]),
        ("D", "Location & travel expenses", "production", "D01", "D99", ("markup",), [
            ("D01", "Location fees"), ("D02", "Permits"), ("D03", "Catering"), ("D04", "Craft service"),
            ("D05", "Trucking"), ("D06", "Travel"),
        ]),
        ("E", "Props, wardrobe & animals", "production", "E01", "E99", ("markup",), [
            ("E01", "Props"), ("E02", "Wardrobe"), ("E03", "Makeup supplies"), ("E04", "Animals & handlers"),
        ]),
        ("F", "Studio rental & expenses", "production", "F01", "F99", ("markup",), [
            ("F01", "Stage rental"), ("F02", "Power"), ("F03", "Studio expenses"),
        ]),
        ("G", "Art department labor", "production", "G01", "G99", ("markup",), [
            ("G01", "Production designer"), ("G02", "Art crew"), ("G03", "Construction crew"),
        ]),
        ("H", "Art department expenses", "production", "H01", "H99", ("markup",), [
            ("H01", "Set dressing"), ("H02", "Construction materials"),
        ]),
        ("I", "Equipment rental", "production", "I01", "I99", ("markup",), [
            ("I01", "Camera"), ("I02", "Lighting"), ("I03", "Grip"), ("I04", "Sound"),
        ]),
        ("J", "Media & processing", "production", "J01", "J99", ("markup",), [("J01", "Media & data")]),
        ("K", "Miscellaneous", "production", "K01", "K99", ("markup",), [("K01", "Miscellaneous")]),
        ("L", "Director / creative fees", "atl", "L01", "L99", (), [("L01", "Director prep"), ("L02", "Director shoot")]),
        ("M", "Talent labor", "atl", "M01", "M99", (), [("M01", "On-camera principals"), ("M02", "Extras")]),
        ("N", "Talent expenses", "atl", "N01", "N99", (), [("N01", "Talent wardrobe & travel")]),
        ("O", "Editorial / post-production", "post", "O01", "O99", (), [("O01", "Editorial"), ("O02", "Finishing")]),
        ("P", "Usage", "other", "P01", "P99", (), [("P01", "Usage fees")]),
    ],
}
