"""English dates as every page shows them: day, month, year ("17 May 2021"), the same order as in French.

Django's own English formats ("May 17, 2021") would make the meeting list read otherwise than the itinerary.
Only the formats shown to readers are changed; those that parse input stay Django's.
"""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
