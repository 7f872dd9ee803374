"""Pakistani names, reduced to forms in which one person's spellings meet.

The same man is 'Muhammad Rehmatullah Khan' at one agency, 'M. Rehmat Ullah' at another and 'محمد رحمت اللہ' at a
third. `parse_name` separates what a name is made of: titles said before it (Haji, Chaudhry), which are dropped;
caste and tribe names (Khan, Awan, Bhatti), which one record gives and another leaves out; and the given name, with
Muhammad and its abbreviations made one token and compound names (-ullah, -ud-Din, Abdul …) made one word.
`skeleton` writes a word in either script as its consonants, the form in which Urdu script (which leaves short
vowels unwritten) and the many Latin spellings of one name ('Rehman', 'Rahman', 'Rehmaan') coincide.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from suragh.core.yaml_data import parse_yaml

WORDS_FILE = Path(__file__).parent / "data" / "name_words.yaml"
MUHAMMAD = "muhammad"

URDU_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
URDU_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED]")
# 'Asif s/o Aslam', 'Asif son of Aslam', 'آصف ولد اسلم': a name with the father's (or husband's) name written in.
RELATION_WORDS = re.compile(r"\s+(?:s/o|d/o|w/o|son\s+of|daughter\s+of|wife\s+of|ولد|بنت|زوجہ|دختر)\s+", re.IGNORECASE)
ABDUL = re.compile(r"^abd(?:u|a|e)?(?:l|r|s|n|z|sh|d|t)?$")
# Latin writes the Arabic article as it is said ('Abdur Rehman', 'Salah-ud-Din'), Urdu as it is spelt (عبدالرحمن,
# صلاح الدین); skeletons take the spelling, so that both scripts meet.
ARTICLE = re.compile(r"^(?:u|a)(?:l|d|r|s|n|z|t|sh)$")
ARTICLE_SUFFIX = re.compile(r"(?:u|a|e)(?:d|dd)(?:i|ee)n$")
ABDUL_WORD = re.compile(r"^abd[uae]?(?:(r|s|n|z|d|t)(?=\1)|sh(?=sh))")

# Latin spellings of one Urdu sound, as the skeleton writes it ('ch' is c, a lone 'c' is k, 'sh' is x).
LATIN_SOUNDS = {"kh": "k", "gh": "g", "sh": "x", "ch": "c", "ph": "p", "th": "t", "dh": "d", "bh": "b", "jh": "j"}
LATIN_SOUNDS |= {"zh": "z", "ck": "k", "q": "k", "v": "w", "c": "k"}
LATIN_SOUND = re.compile("|".join(sorted(LATIN_SOUNDS, key=len, reverse=True)))
URDU_CONSONANTS = {
    "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ٹ": "t", "ث": "s", "س": "s", "ص": "s", "ج": "j", "چ": "c",
    "ح": "h", "ہ": "h", "ۂ": "h", "ه": "h", "خ": "k", "د": "d", "ڈ": "d", "ذ": "z", "ز": "z", "ض": "z",
    "ظ": "z", "ژ": "z", "ر": "r", "ڑ": "r", "ش": "x", "غ": "g", "ف": "f", "ق": "k", "ک": "k", "ك": "k",
    "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n",
}  # fmt: skip
URDU_VOWEL_CARRIERS = {"ا": "a", "آ": "a", "أ": "a", "إ": "a", "ع": "a", "و": "w", "ؤ": "w"}
URDU_VOWEL_CARRIERS |= {"ی": "y", "ي": "y", "ے": "y", "ى": "y", "ئ": "y"}
URDU_SILENT = {"ء", "ھ", "ۃ", "ة", "\u200c", "\u200d"}
# A readable Latin form of an Urdu word no list names: consonants as above, long vowels written out.
URDU_READABLE = URDU_CONSONANTS | {"ا": "a", "آ": "a", "أ": "a", "إ": "i", "ع": "", "و": "o", "ؤ": "o"}
URDU_READABLE |= {"ی": "i", "ي": "i", "ے": "e", "ى": "a", "ئ": "i", "ش": "sh", "خ": "kh", "غ": "gh", "چ": "ch"}
URDU_READABLE |= {"ھ": "h", "ق": "q", "ذ": "z", "ء": "", "ۃ": "a", "ة": "a"}


@dataclass(frozen=True)
class Words:
    """The lists in name_words.yaml, keyed by every spelling, in both scripts."""

    titles: dict[str, str]
    clans: dict[str, str]
    muhammad: frozenset[str]
    connectors: frozenset[str]
    suffixes: dict[str, str]
    urdu: dict[str, str]  # an Urdu word of the lists → its Latin form


@cache
def words() -> Words:
    data = parse_yaml(WORDS_FILE.read_text(encoding="utf-8"))
    urdu: dict[str, str] = {}

    def spellings(entries: list[dict]) -> dict[str, str]:
        found = {}
        for entry in entries:
            shown = entry["latin"][0]
            found.update({spelling.replace("-", ""): shown for spelling in entry["latin"]})
            urdu.update({spelling: shown for spelling in entry.get("urdu", [])})
        return found

    titles, clans = spellings(data["titles"]), spellings(data["clans"])
    urdu.update({spelling: MUHAMMAD for spelling in data["muhammad"]["urdu"]})
    suffixes = {spelling.replace("-", ""): forms[0] for forms in data["suffixes"] for spelling in forms}
    urdu.update({"اللہ": "ullah", "الله": "ullah", "الدین": "uddin", "دین": "din"})
    return Words(
        titles=titles,
        clans=clans,
        muhammad=frozenset(data["muhammad"]["latin"]),
        connectors=frozenset(data["connectors"]),
        suffixes=suffixes,
        urdu=urdu,
    )


def is_urdu(text: str) -> bool:
    return bool(URDU_LETTER.search(text or ""))


def skeleton(word: str) -> str:
    """The consonants of a word in either script: 'Rehman', 'Rahmaan' and 'رحمان' are all 'rhmn'.

    A first vowel is kept as 'a' (whatever it was), later vowels and the half-vowels w and y are dropped,
    aspiration is ignored and doubled letters are written once."""
    letters = _urdu_skeleton_letters(word) if is_urdu(word) else _latin_skeleton_letters(word)
    collapsed = []
    for letter in letters:
        if not collapsed or collapsed[-1] != letter:
            collapsed.append(letter)
    return "".join(collapsed)


def _latin_skeleton_letters(word: str) -> list[str]:
    text = re.sub(r"[^a-z]", "", _ascii(word).lower())
    text = LATIN_SOUND.sub(lambda sound: LATIN_SOUNDS[sound.group()], text)
    if not text:
        return []
    head, rest = text[0], text[1:]
    letters = ["a" if head in "aeiou" else head]
    letters += [c for c in rest if c not in "aeiouyw"]
    if letters[-1:] == ["h"] and len(letters) > 1:
        letters.pop()
    return letters


def _urdu_skeleton_letters(word: str) -> list[str]:
    text = URDU_MARKS.sub("", unicodedata.normalize("NFC", word))
    letters: list[str] = []
    for char in text:
        if char in URDU_SILENT:
            if char == "ھ" and not letters:
                letters.append("h")
            continue
        if char in URDU_CONSONANTS:
            letters.append(URDU_CONSONANTS[char])
        elif char in URDU_VOWEL_CARRIERS and not letters:
            letters.append(URDU_VOWEL_CARRIERS[char])
    if letters[-1:] == ["h"] and len(letters) > 1 and text[-1] in "ہۂه":
        letters.pop()  # a final gol he is the vowel of 'Fatima' (فاطمہ), not a consonant
    return letters


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def urdu_to_latin(word: str) -> str:
    """A Latin form of one Urdu word: the lists' spelling when they name it, else one written letter by letter."""
    known = words().urdu.get(word)
    if known:
        return known
    text = URDU_MARKS.sub("", unicodedata.normalize("NFC", word))
    out = []
    for i, char in enumerate(text):
        if (char == "ہ" and i == len(text) - 1 and i > 0) or (char == "ع" and i == 0):
            out.append("a")  # a final gol he is a vowel; a first ain carries one
        else:
            out.append(URDU_READABLE.get(char, ""))
    return "".join(out)


@dataclass(frozen=True)
class Name:
    """A name taken apart: `given` in order ('muhammad' for any of its spellings), then `clans`, and the `titles`
    that were said with it, all in lower-case Latin whichever script the name was written in; and the `skeletons`
    of given names and clans, taken from the script they were written in."""

    given: tuple[str, ...] = ()
    clans: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    skeletons: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.given or self.clans)

    @property
    def text(self) -> str:
        """The name to compare letter by letter: given names, then clans."""
        return " ".join(self.given + self.clans)

    @property
    def compared(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Words and skeletons to compare: Muhammad is left out, being in half of all men's names, unless it is
        the only given name."""
        words_ = self.given + self.clans
        keep = [i for i, word in enumerate(words_) if word != MUHAMMAD] if self.distinctive else range(len(words_))
        return tuple(words_[i] for i in keep), tuple(self.skeletons[i] for i in keep)

    @property
    def distinctive(self) -> tuple[str, ...]:
        """Given names that tell people apart: not Muhammad, not an initial."""
        return tuple(word for word in self.given if word != MUHAMMAD and len(word) > 1)

    @property
    def first_distinctive(self) -> str:
        distinctive = self.distinctive
        return distinctive[0] if distinctive else (self.given[0] if self.given else "")

    @property
    def key(self) -> str:
        """The skeleton of the first distinctive given name: 'Muhammad Asif' and 'M. Aasif' share 'asf'."""
        for word, bones in zip(self.given, self.skeletons, strict=False):
            if word != MUHAMMAD and len(word) > 1:
                return bones
        return self.skeletons[0] if self.skeletons else ""


@dataclass
class _Word:
    latin: str
    written: str  # as written, in its own script, for its skeleton


def split_relation(raw: str) -> tuple[str, str]:
    """'Asif s/o Aslam' → ('Asif', 'Aslam'); a name without one → (name, '')."""
    parts = RELATION_WORDS.split(raw or "", maxsplit=1)
    return (parts[0].strip(), parts[1].strip()) if len(parts) == 2 else ((raw or "").strip(), "")


def _words(raw: str) -> list[_Word]:
    """The words of a name: punctuation and hyphens dropped ('M.' is 'm', 'Salah-ud-Din' is 'salah ud din'),
    Urdu words given a Latin form."""
    found = []
    for word in re.split(r"[\s.,\-_'’`/()]+", unicodedata.normalize("NFC", raw or "")):
        if is_urdu(word):
            found.append(_Word(urdu_to_latin(word), word))
        elif latin := re.sub(r"[^a-z]", "", _ascii(word).lower()):
            written = ABDUL_WORD.sub("abdul", latin)
            written = ARTICLE_SUFFIX.sub("uldin", written) if len(written) > 6 else written
            found.append(_Word(latin, written))
    return found


@lru_cache(maxsize=100_000)
def parse_name(raw: str) -> Name:
    """Take a name apart (see `Name`). A father's name written into it ('s/o …') is left out: see `split_relation`."""
    lists = words()
    own, _ = split_relation(raw)
    parts = _joined(_words(own), lists)
    given: list[_Word] = []
    clans: list[_Word] = []
    titles: list[str] = []
    for i, word in enumerate(parts):
        latin = word.latin
        if latin in lists.muhammad and (len(latin) > 1 or i == 0):
            given.append(_Word(MUHAMMAD, MUHAMMAD))
        elif latin in lists.titles and (i < len(parts) - 1 or latin not in lists.clans) and len(parts) > 1:
            # 'Malik Asif': a title; 'Asif Malik': his family's name.
            titles.append(lists.titles[latin])
        elif latin in lists.clans and (given or i > 0):
            clans.append(_Word(lists.clans[latin], word.written))
        else:
            given.append(word)
    if not given and clans:
        given, clans = clans[:1], clans[1:]
    return Name(
        given=tuple(w.latin for w in given),
        clans=tuple(w.latin for w in clans),
        titles=tuple(titles),
        skeletons=tuple(skeleton(w.written) for w in given + clans),
    )


def _joined(parts: list[_Word], lists: Words) -> list[_Word]:
    """Compound names made one word: 'rehmat ullah' → 'rehmatullah', 'salah ud din' → 'salahuddin',
    'abdur rehman' → 'abdulrehman'."""
    joined: list[_Word] = []
    i = 0
    while i < len(parts):
        word = parts[i]
        following = parts[i + 1] if i + 1 < len(parts) else None
        if ABDUL.match(word.latin) and following:
            if ARTICLE.match(following.latin) and i + 2 < len(parts):  # 'Abd-ur-Rehman'
                i += 1
                following = parts[i + 1]
            written = word.written if is_urdu(word.written) else "abdul"
            joined.append(_Word("abdul" + following.latin, written + following.written))
            i += 2
        elif word.latin in lists.connectors and joined and following:
            article = "ul" if ARTICLE.match(word.written) else word.written
            joined[-1] = _Word(
                joined[-1].latin + word.latin + following.latin,
                joined[-1].written + article + following.written,
            )
            i += 2
        elif word.latin in lists.suffixes and joined and joined[-1].latin not in lists.muhammad:
            suffix = lists.suffixes[word.latin]
            written = ARTICLE_SUFFIX.sub("uldin", word.written) if suffix == "uddin" else word.written
            joined[-1] = _Word(
                joined[-1].latin + ("uddin" if suffix == "din" else suffix), joined[-1].written + written
            )
            i += 1
        elif joined and word.written.startswith("ال") and len(word.written) > 3:
            joined[-1] = _Word(joined[-1].latin + word.latin, joined[-1].written + word.written)
            i += 1
        else:
            joined.append(word)
            i += 1
    return joined
