"""English as our international readers (and Finnish readers in English) expect dates: day first.

Only these formats differ from Django's English ones (which are American, month first).
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
