"""How the desk writes dates and times (British English): one form everywhere, 24-hour.

Django's own en-GB formats mix "6 Oct 2020, 8 a.m." with the desk's own
"06 Oct 2020 08:00"; every date the admin prints now reads "6 Oct 2020, 08:00".
Times are the newsroom's TIME_ZONE, which the desk names where times are shown.
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
# What a typed date or time may look like: the widgets' own forms first.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    *("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"),
    *("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"),
]
