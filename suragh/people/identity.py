"""Identities: which person records are one human.

Records are never changed by resolution. What it writes is beside them: the features it compares (`MatchFeatures`),
the links it found (`MatchLink`), the merges that joined identities (`Merge`), and, for each merged record, the
identity it belongs to (`Identity`, named by the smallest person id among its records). An identity is a connected
component of merged links, so undoing a merge recomputes the components of the records it touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Identity, MatchFeatures, MatchLink, Merge, Person
from .names import parse_name, split_relation


def birth_year(person: Person) -> int | None:
    """From the date of birth, else from an age and the day it was recorded (to within a year)."""
    if person.date_of_birth:
        return person.date_of_birth.year
    if person.age_years is not None:
        on = person.age_recorded_on or person.created_at.date()
        return on.year - person.age_years
    return None


def features_of(person: Person) -> MatchFeatures:
    """The values the identity model compares, from the Latin name when there is one, else the Urdu."""
    written = person.name_latin or person.name_urdu
    own, father_written = split_relation(written)
    name = parse_name(own)
    father = parse_name(person.father_or_husband_name or father_written)
    compared, skeletons = name.compared
    return MatchFeatures(
        person=person,
        name=" ".join(compared)[:150],
        name_skeleton=" ".join(skeletons)[:150],
        name_key=name.key[:40],
        clans=" ".join(name.clans)[:100],
        father_name=" ".join(father.compared[0])[:150],
        father_key=father.key[:40],
        birth_year=birth_year(person),
    )


def refresh_features(persons: Iterable[Person]) -> int:
    """Write the features of these persons, replacing what was there."""
    rows = [features_of(p) for p in persons]
    MatchFeatures.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["name", "name_skeleton", "name_key", "clans", "father_name", "father_key", "birth_year"],
        batch_size=2000,
    )
    return len(rows)


FEATURE_SOURCES = ("name_latin", "name_urdu", "father_or_husband_name", "date_of_birth", "age_years", "age_recorded_on")


def refresh_all_features(chunk: int = 5000) -> int:
    """Write the features of every person record (after a bulk load, or when the name rules change)."""
    written = 0
    batch: list[Person] = []
    for person in Person.objects.only(*FEATURE_SOURCES, "created_at").order_by("pk").iterator(chunk_size=chunk):
        batch.append(person)
        if len(batch) == chunk:
            written += refresh_features(batch)
            batch = []
    return written + refresh_features(batch)


def identity_of(person_id: int) -> int:
    row = Identity.objects.filter(person_id=person_id).values_list("identity", flat=True).first()
    return row or person_id


def members_of(identity: int) -> list[int]:
    """Every person record of an identity, its own record first."""
    members = set(Identity.objects.filter(identity=identity).values_list("person_id", flat=True))
    return sorted(members | {identity})


@transaction.atomic
def merge(links: list[MatchLink], *, by=None) -> Merge | None:
    """Join the identities on either side of `links` (saved or not) and mark the links merged.

    Returns None when the records already are one identity: the links are stored as merged, with no merge to undo."""
    first = links[0]
    left, right = identity_of(first.left_id), identity_of(first.right_id)
    now = timezone.now()
    joined = None
    if left != right:
        left_members, right_members = members_of(left), members_of(right)
        joined = Merge.objects.create(left_members=left_members, right_members=right_members, made_by=by, made_at=now)
        _assign(min(left, right), left_members + right_members)
    for link in links:
        link.state = MatchLink.State.MERGED
        link.merge = joined
        if by is not None:
            link.decided_by, link.decided_at = by, now
        link.save()
    return joined


@transaction.atomic
def undo(merge_done: Merge, *, by, reason: str) -> list[list[int]]:
    """Part what a merge joined: its links are marked undone and the identities of its records are recomputed from
    the merged links that remain. Returns the identities they form now."""
    merge_done.links.update(state=MatchLink.State.UNDONE, decided_by=by, decided_at=timezone.now())
    merge_done.undone_by, merge_done.undone_at, merge_done.undo_reason = by, timezone.now(), reason
    merge_done.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    touched = set(merge_done.left_members) | set(merge_done.right_members)
    for person_id in list(touched):
        touched.update(members_of(identity_of(person_id)))
    return recompute(touched)


def recompute(person_ids: Iterable[int]) -> list[list[int]]:
    """Connected components of the merged links among these records (and whatever they still reach)."""
    pending = set(person_ids)
    seen: set[int] = set()
    edges: dict[int, set[int]] = defaultdict(set)
    while pending:
        batch = pending - seen
        seen |= batch
        links = MatchLink.objects.filter(state=MatchLink.State.MERGED).filter(
            Q(left_id__in=batch) | Q(right_id__in=batch)
        )
        pending = set()
        for a, b in links.values_list("left_id", "right_id"):
            edges[a].add(b)
            edges[b].add(a)
            pending |= {a, b} - seen
    components, placed = [], set()
    for start in sorted(seen):
        if start in placed:
            continue
        component, stack = set(), [start]
        while stack:
            node = stack.pop()
            if node not in component:
                component.add(node)
                stack.extend(edges[node] - component)
        placed |= component
        members = sorted(component)
        _assign(members[0], members)
        components.append(members)
    return components


def _assign(identity: int, members: Iterable[int]) -> None:
    members = list(members)
    Identity.objects.filter(person_id__in=members).delete()
    if len(members) > 1:
        Identity.objects.bulk_create(Identity(person_id=m, identity=identity) for m in members)


def document_groups(persons: Iterable[Person] | None = None) -> list[tuple[str, list[int]]]:
    """Records that share a CNIC, or a passport of one nationality: (basis, person ids) for each document held by
    more than one record. With `persons`, only the documents those persons carry; without, every document."""
    from django.db.models import Count

    groups: list[tuple[str, list[int]]] = []
    for basis, fields in (
        (MatchLink.Basis.CNIC, ("cnic",)),
        (MatchLink.Basis.PASSPORT, ("passport_number", "nationality")),
    ):
        records = Person.objects.exclude(**{fields[0]: ""})
        if persons is not None:
            wanted = {tuple(getattr(p, f) for f in fields) for p in persons if getattr(p, fields[0])}
            if not wanted:
                continue
            records = records.filter(**{f"{fields[0]}__in": {w[0] for w in wanted}})
        shared = records.values(*fields).annotate(n=Count("pk")).filter(n__gt=1).values_list(*fields)
        by_document: dict[tuple, list[int]] = defaultdict(list)
        for row in records.filter(**{f"{fields[0]}__in": [s[0] for s in shared]}).values_list(*fields, "pk"):
            by_document[row[:-1]].append(row[-1])
        groups += [(basis, sorted(ids)) for document, ids in by_document.items() if len(ids) > 1]
    return groups


@transaction.atomic
def link_by_documents(persons: Iterable[Person] | None = None) -> list[MatchLink]:
    """Merge the records that carry one CNIC or passport, whatever their names; `persons` limits it to theirs.

    A pair an analyst rejected, or whose merge was undone, is left apart."""
    made = []
    for basis, ids in document_groups(persons):
        first = ids[0]
        for other in ids[1:]:
            link, created = MatchLink.objects.get_or_create(
                left_id=first, right_id=other, defaults={"basis": basis, "state": MatchLink.State.PENDING}
            )
            if created or link.state == MatchLink.State.PENDING:
                merge([link])
                made.append(link)
    return made


def person_recorded(persons: list[Person]) -> None:
    """What identity resolution does when persons are recorded: their features and their documents' links now,
    and, once the records are committed, a match against everyone in the background."""
    from .tasks import match_recorded

    refresh_features(persons)
    link_by_documents(persons)
    ids = [p.pk for p in persons]
    transaction.on_commit(lambda: match_recorded(ids))
