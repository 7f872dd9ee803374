from django.db import models


class Conveyance(models.TextChoices):
    PERSON = "person", "On a person"
    VEHICLE = "vehicle", "Vehicle"
    VESSEL = "vessel", "Vessel"
    CONTAINER = "container", "Container"
    AIR_CARGO = "air_cargo", "Air cargo"
    AIR_PASSENGER = "air_passenger", "Air passenger"
    POSTAL = "postal", "Postal / courier"
    PREMISES = "premises", "Premises"
    ANIMAL = "animal", "Pack animal"
    OTHER = "other", "Other"


class Concealment(models.TextChoices):
    NONE = "none", "Not concealed"
    BODY = "body", "On or in the body"
    LUGGAGE = "luggage", "Luggage"
    VEHICLE_CAVITY = "vehicle_cavity", "Vehicle cavity"
    FUEL_TANK = "fuel_tank", "Fuel tank"
    GOODS = "goods", "Among declared goods"
    PARCEL = "parcel", "Parcel"
    BURIED = "buried", "Buried / stored"
    OTHER = "other", "Other"
