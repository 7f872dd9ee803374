from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Male"
    FEMALE = "F", "Female"
    TRANSGENDER = "X", "Transgender"
    UNKNOWN = "U", "Unknown"


class Relation(models.TextChoices):
    SON_OF = "s/o", "son of"
    DAUGHTER_OF = "d/o", "daughter of"
    WIFE_OF = "w/o", "wife of"


class Script(models.TextChoices):
    LATIN = "latin", "Latin"
    URDU = "urdu", "Urdu"


class IdentifierKind(models.TextChoices):
    PHONE = "phone", "Phone"
    VEHICLE = "vehicle", "Vehicle registration"
    BANK_ACCOUNT = "bank_account", "Bank account"
    WALLET = "wallet", "Crypto wallet"
    HANDLE = "handle", "Online handle"
    EMAIL = "email", "Email"
