"""The display formats both languages share (Django's date format syntax)."""

DATE_FORMAT = "Y-m-d"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
YEAR_MONTH_FORMAT = "Y-m"
TIME_FORMAT = "H:i"

# Where a page asks for grouping (floatformat:"g", intcomma), thousands as statistics print them:
# 309,953 (Django's zh_Hans groups by four with no separator).
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
