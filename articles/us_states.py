"""The United States' states, by name and as AP style and the postal service abbreviate them.

Shared by the wire parser (a dateline's state) and the matcher (a city named with one).
"""

# A city with one after it ("ATHENS, Ga.") is American, whatever capital shares its name.
US_STATES = {
    "Alabama": ("Ala.", "AL"),
    "Alaska": ("AK",),
    "Arizona": ("Ariz.", "AZ"),
    "Arkansas": ("Ark.", "AR"),
    "California": ("Calif.", "CA"),
    "Colorado": ("Colo.", "CO"),
    "Connecticut": ("Conn.", "CT"),
    "Delaware": ("Del.", "DE"),
    "Florida": ("Fla.", "FL"),
    "Georgia": ("Ga.", "GA"),
    "Hawaii": ("HI",),
    "Idaho": ("ID",),
    "Illinois": ("Ill.", "IL"),
    "Indiana": ("Ind.", "IN"),
    "Iowa": ("IA",),
    "Kansas": ("Kan.", "KS"),
    "Kentucky": ("Ky.", "KY"),
    "Louisiana": ("La.", "LA"),
    "Maine": ("ME",),
    "Maryland": ("Md.", "MD"),
    "Massachusetts": ("Mass.", "MA"),
    "Michigan": ("Mich.", "MI"),
    "Minnesota": ("Minn.", "MN"),
    "Mississippi": ("Miss.", "MS"),
    "Missouri": ("Mo.", "MO"),
    "Montana": ("Mont.", "MT"),
    "Nebraska": ("Neb.", "NE"),
    "Nevada": ("Nev.", "NV"),
    "New Hampshire": ("N.H.", "NH"),
    "New Jersey": ("N.J.", "NJ"),
    "New Mexico": ("N.M.", "NM"),
    "New York": ("N.Y.", "NY"),
    "North Carolina": ("N.C.", "NC"),
    "North Dakota": ("N.D.", "ND"),
    "Ohio": ("OH",),
    "Oklahoma": ("Okla.", "OK"),
    "Oregon": ("Ore.", "OR"),
    "Pennsylvania": ("Pa.", "PA"),
    "Rhode Island": ("R.I.", "RI"),
    "South Carolina": ("S.C.", "SC"),
    "South Dakota": ("S.D.", "SD"),
    "Tennessee": ("Tenn.", "TN"),
    "Texas": ("Tex.", "TX"),
    "Utah": ("UT",),
    "Vermont": ("Vt.", "VT"),
    "Virginia": ("Va.", "VA"),
    "Washington": ("Wash.", "WA"),
    "West Virginia": ("W.Va.", "W.Va", "WV"),
    "Wisconsin": ("Wis.", "WI"),
    "Wyoming": ("Wyo.", "WY"),
    "District of Columbia": ("D.C.", "DC"),
}
US_STATE_NAMES = {
    spelling.casefold(): state
    for state, abbreviations in US_STATES.items()
    for spelling in (state, *abbreviations)
}
