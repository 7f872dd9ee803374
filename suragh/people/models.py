"""Persons and what identifies them."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from suragh.core.records import Record

from .choices import IdentifierKind, Relation, Script, Sex

JUVENILE_AGE = 18


class Person(Record):
    """A person as one agency recorded them; the same human may appear as several persons."""

    name_latin = models.CharField("name (Latin script)", max_length=150, blank=True)
    name_urdu = models.CharField("name (Urdu script)", max_length=150, blank=True)
    relation = models.CharField(max_length=3, choices=Relation.choices, blank=True)
    father_or_husband_name = models.CharField("father's or husband's name", max_length=150, blank=True)
    cnic = models.CharField("CNIC", max_length=13, blank=True, db_index=True)
    passport_number = models.CharField(max_length=20, blank=True, db_index=True)
    date_of_birth = models.DateField(null=True, blank=True)
    age_years = models.PositiveSmallIntegerField("age (years)", null=True, blank=True)
    age_recorded_on = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    nationality = models.CharField(max_length=3, default="PAK", help_text="ISO 3166-1 alpha-3")
    address = models.TextField(blank=True)
    district = models.ForeignKey("core.District", on_delete=models.PROTECT, null=True, blank=True)
    is_juvenile = models.BooleanField(
        "juvenile", default=False, help_text="Under 18 when the case against or about them arose."
    )
    is_trafficking_victim = models.BooleanField("victim of trafficking", default=False)
    is_drug_dependent = models.BooleanField("drug-dependent", default=False)
    is_repeat_offender = models.BooleanField("repeat offender", default=False)

    class Meta:
        ordering = ["name_latin"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cnic="") | Q(cnic__regex=r"^[0-9]{13}$"),
                name="person_cnic_13_digits",
                violation_error_message="CNIC must be 13 digits.",
            ),
            models.CheckConstraint(
                condition=~Q(name_latin="", name_urdu=""),
                name="person_has_a_name",
                violation_error_message="A person needs a name in Latin or Urdu script.",
            ),
        ]

    def __str__(self) -> str:
        return self.name_latin or self.name_urdu

    @classmethod
    def sensitive_q(cls) -> Q:
        """Juveniles, trafficking victims, and anyone who is a victim or informant on any case."""
        from suragh.cases.choices import SENSITIVE_ROLES
        from suragh.cases.models import CaseParty

        on_a_case = CaseParty.objects.filter(role__in=SENSITIVE_ROLES).values("person_id")
        return Q(is_juvenile=True) | Q(is_trafficking_victim=True) | Q(pk__in=on_a_case)

    @classmethod
    def reach_q(cls, user) -> Q:
        """Persons on cases the user may see, except victims, informants and juveniles, who are
        reached only from cases whose sensitive parts the user may see."""
        from suragh.cases.choices import SENSITIVE_ROLES
        from suragh.cases.models import Case, CaseParty
        from suragh.core.access import sees_sensitive_q, visible_q

        parties = CaseParty.objects.filter(
            Q(case__in=Case.objects.filter(visible_q(user, Case)))
            & ~Q(role__in=SENSITIVE_ROLES)
            & ~Q(person__is_juvenile=True)
            & ~Q(person__is_trafficking_victim=True)
            | Q(case__in=Case.objects.filter(sees_sensitive_q(user, Case)))
        )
        return Q(pk__in=parties.values("person_id"))

    @property
    def is_foreign_national(self) -> bool:
        return self.nationality != "PAK"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth:
            born = self.date_of_birth
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if self.age_years is not None and self.age_recorded_on:
            return self.age_years + (day - self.age_recorded_on).days // 365
        return self.age_years

    def is_juvenile_on(self, day: date) -> bool:
        age = self.age_on(day)
        return age is not None and age < JUVENILE_AGE

    @property
    def cnic_display(self) -> str:
        from .normalize import format_cnic

        return format_cnic(self.cnic)


class PersonAlias(models.Model):
    """Another name the person is known by, in either script."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=150)
    script = models.CharField(max_length=5, choices=Script.choices, default=Script.LATIN)

    def __str__(self) -> str:
        return self.name


class Identifier(models.Model):
    """A phone, vehicle, account, wallet or handle tied to a person, stored normalized for matching."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(max_length=120, help_text="As recorded")
    normalized = models.CharField(max_length=120, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind", "normalized"], name="identifier_once_per_person")
        ]
        indexes = [models.Index(fields=["kind", "normalized"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class MatchFeatures(models.Model):
    """What identity resolution compares of a person, derived from the record (people.matching) and kept beside it,
    so that a new person is matched against everyone through indexes instead of by reading every record."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="match_features")
    name = models.CharField(max_length=150, db_index=True, help_text="Given names and clans, in Latin letters")
    name_skeleton = models.CharField(max_length=150)
    name_key = models.CharField(max_length=40, help_text="Skeleton of the first given name that is not Muhammad")
    clans = models.CharField(max_length=100, blank=True)
    father_name = models.CharField(max_length=150, blank=True)
    father_key = models.CharField(max_length=40, blank=True)
    birth_year = models.SmallIntegerField(null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["name_key", "father_key"], name="match_name_father"),
            models.Index(fields=["name_key", "birth_year"], name="match_name_birth"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.name_key})"


class MatchModel(models.Model):
    """A trained identity-resolution model: splink's settings and parameters, versioned, with the thresholds that
    decide which pairs are merged and which go to review. One is active at a time."""

    version = models.PositiveIntegerField(unique=True)
    settings = models.JSONField(help_text="The model as splink saves it")
    trained_at = models.DateTimeField(default=timezone.now)
    trained_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    summary = models.JSONField(default=dict, help_text="What it was trained on: records, labelled pairs, steps")
    merge_at = models.FloatField(default=0.99, help_text="Pairs at or above this probability are merged")
    review_from = models.FloatField(default=0.80, help_text="Pairs from this probability up to merge_at are reviewed")
    is_active = models.BooleanField(default=False)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_match_model"),
            models.CheckConstraint(condition=Q(review_from__lte=models.F("merge_at")), name="match_review_below_merge"),
        ]

    def __str__(self) -> str:
        return f"identity model v{self.version}"


class Merge(models.Model):
    """One decision that joined two identities; it is undone as a whole, which parts them as they were."""

    left_members = models.JSONField(help_text="Person ids of the one identity, as it was before the merge")
    right_members = models.JSONField(help_text="Person ids of the other")
    made_by = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="Empty: automatic"
    )
    made_at = models.DateTimeField(default=timezone.now)
    undone_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"merge {self.pk}"


class MatchLink(models.Model):
    """Two person records found to be, or perhaps to be, one human, and on what evidence."""

    class Basis(models.TextChoices):
        CNIC = "cnic", "same CNIC"
        PASSPORT = "passport", "same passport"
        MODEL = "model", "identity model"
        ANALYST = "analyst", "an analyst's decision"

    class State(models.TextChoices):
        MERGED = "merged", "merged"
        PENDING = "pending", "waiting for review"
        REJECTED = "rejected", "not the same person"
        UNDONE = "undone", "merge undone"

    left = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    right = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    basis = models.CharField(max_length=10, choices=Basis.choices)
    probability = models.FloatField(null=True, blank=True)
    match_weight = models.FloatField(null=True, blank=True)
    model = models.ForeignKey(MatchModel, on_delete=models.PROTECT, null=True, blank=True, related_name="links")
    state = models.CharField(max_length=10, choices=State.choices)
    merge = models.ForeignKey(Merge, on_delete=models.PROTECT, null=True, blank=True, related_name="links")
    found_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], name="one_link_per_pair"),
            models.CheckConstraint(condition=Q(left__lt=models.F("right")), name="link_left_below_right"),
        ]
        indexes = [models.Index(fields=["state", "-probability"], name="link_state_probability")]

    def __str__(self) -> str:
        return f"{self.left_id}–{self.right_id} ({self.state})"


class Identity(models.Model):
    """Which identity a person record belongs to: the smallest person id among the records merged with it.
    A person with no row is an identity of one."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="identity")
    identity = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"{self.person_id} → {self.identity}"


RUN_STALLS_AFTER = timedelta(hours=24)
STAGE_PERCENT = {"queued": 0, "features": 5, "loading": 15, "training": 30, "scoring": 50, "writing": 80, "done": 100}


class ResolutionRun(models.Model):
    """One full run of identity resolution over every person record, with its progress."""

    class Stage(models.TextChoices):
        QUEUED = "queued", "queued"
        FEATURES = "features", "deriving match features"
        LOADING = "loading", "reading persons"
        TRAINING = "training", "training the model"
        SCORING = "scoring", "scoring pairs"
        WRITING = "writing", "writing links and merges"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    requested_by = models.ForeignKey("core.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    retrain = models.BooleanField(default=False)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.QUEUED)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    model = models.ForeignKey(MatchModel, on_delete=models.PROTECT, null=True, blank=True, related_name="runs")
    persons = models.PositiveIntegerField(default=0)
    pairs_scored = models.PositiveIntegerField(default=0, help_text="Pairs at or above the review threshold")
    merged = models.PositiveIntegerField(default=0)
    to_review = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"resolution run {self.pk} ({self.stage})"

    @classmethod
    def running(cls) -> models.QuerySet[ResolutionRun]:
        """Runs queued or under way. One not finished a day after it was asked for has stalled (its worker was
        stopped) and holds no one up."""
        return cls.objects.filter(finished_at__isnull=True, requested_at__gt=timezone.now() - RUN_STALLS_AFTER)

    @property
    def is_stalled(self) -> bool:
        return self.finished_at is None and timezone.now() - self.requested_at > RUN_STALLS_AFTER

    @property
    def seconds(self) -> int | None:
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds())
        return None

    @property
    def percent(self) -> int:
        """Stages take roughly these shares of a run; writing advances with the pairs written."""
        if self.stage == self.Stage.WRITING and self.pairs_scored:
            start = STAGE_PERCENT[self.Stage.WRITING]
            return start + (100 - start) * (self.merged + self.to_review) // self.pairs_scored
        return STAGE_PERCENT.get(self.stage, 0)


class DeconflictionAlert(models.Model):
    """A search that found a record its searcher may not open. The searcher learns only that a match exists, which
    unit holds it and whom to ask; the holder learns who searched. Either side may take it further: the searcher
    by asking the holder for access."""

    searched_by = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    searcher_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    holder_unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    matched_on = models.CharField(max_length=20, help_text="CNIC, passport, an identifier's kind, or name")
    created_at = models.DateTimeField(default=timezone.now)
    grant = models.ForeignKey("core.AccessGrant", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["searched_by", "person", "-created_at"], name="alert_search_person")]

    def __str__(self) -> str:
        return f"{self.searcher_unit} found a record of {self.holder_unit} by {self.matched_on}"
