from django.db import models


class PeriodType(models.TextChoices):
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"


class ReturnSource(models.TextChoices):
    IMPORT = "import", "Imported from a file"
    ENTERED = "entered", "Entered by hand"
