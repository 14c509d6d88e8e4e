"""Russian dates as every page shows them ("17 мая 2021"): day, month, year like the English and French.

Django's own Russian formats add "г." and drop the hour's leading zero ("17 мая 2021 г. 9:00"); ours read
as the other languages' do. After a day the month takes the genitive ("E": "мая"); alone with a year it
stays nominative ("F": "Май 2021", capitalised as a heading). Number formats stay Django's: a decimal comma
and a no-break space between thousands ("1 234,5").
"""

DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
