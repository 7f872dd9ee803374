"""One person's names, as five agencies write them, reduce to forms that meet; different people's do not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suragh.people.names import parse_name, skeleton, split_relation, urdu_to_latin


@pytest.mark.parametrize(
    ("latin", "urdu"),
    [
        ("Rehman", "رحمان"),
        ("Chaudhry", "چودھری"),
        ("Bhatti", "بھٹی"),
        ("Imran", "عمران"),
        ("Usman", "عثمان"),
        ("Yousaf", "یوسف"),
        ("Ayub", "ایوب"),
        ("Fatima", "فاطمہ"),
        ("Shahzad", "شہزاد"),
        ("Qureshi", "قریشی"),
        ("Zulfiqar", "ذوالفقار"),
        ("Awan", "اعوان"),
        ("Muhammad", "محمد"),
        ("Waseem", "وسیم"),
        ("Ghulam", "غلام"),
        ("Khalid", "خالد"),
    ],
)
def test_a_name_in_latin_and_in_urdu_script_has_one_skeleton(latin, urdu):
    assert skeleton(latin) == skeleton(urdu) != ""


@pytest.mark.parametrize(
    "spellings",
    [
        ["Rehman", "Rahman", "Rehmaan", "Rahmaan"],
        ["Yousaf", "Yusuf", "Yousuf", "Yoosuf"],
        ["Waseem", "Wasim", "Vaseem"],
        ["Chaudhry", "Chaudhary", "Choudhry"],
        ["Farooq", "Farook", "Faruq"],
    ],
)
def test_latin_spellings_of_one_name_have_one_skeleton(spellings):
    assert len({skeleton(s) for s in spellings}) == 1


@pytest.mark.parametrize(
    "variants",
    [
        ["Muhammad Asif", "Mohammad Asif", "Mohd. Asif", "M. Asif", "Muhammed Asif", "محمد آصف", "Haji Muhammad Asif"],
        ["Rehmatullah", "Rehmat Ullah", "Rehmat-ullah", "رحمت اللہ"],
        ["Salah-ud-Din", "Salahuddin", "Salah Uddin", "Salah ud Deen", "صلاح الدین"],
        ["Abdur Rehman", "Abdul Rahman", "Abdurrehman", "Abd-ur-Rehman", "عبدالرحمن"],
        ["Aziz-ur-Rehman", "Aziz ur Rehman", "عزیز الرحمن"],
        ["Zia ul Haq", "Zia-ul-Haq", "ضیاء الحق"],
        ["Inam Ullah Khan", "Inamullah Khan", "انعام اللہ خان"],
    ],
)
def test_one_mans_name_as_five_agencies_write_it_has_one_key(variants):
    """The key is what blocking groups on: every spelling of one name must share it."""
    names = [parse_name(v) for v in variants]
    assert len({n.key for n in names}) == 1, {v: n.key for v, n in zip(variants, names, strict=True)}


def test_muhammad_in_any_spelling_is_one_token_and_not_what_tells_people_apart():
    for written in ("Muhammad Asif", "Mohd Asif", "M. Asif", "Md. Asif", "محمد آصف"):
        name = parse_name(written)
        assert name.given[0] == "muhammad"
        assert name.distinctive == (name.given[1],)
    assert parse_name("Muhammad Asif").key != parse_name("Muhammad Arif").key


def test_titles_are_dropped_and_castes_kept_apart():
    name = parse_name("Haji Chaudhry Muhammad Aslam Gujjar")
    assert name.titles == ("haji", "chaudhry")
    assert name.given == ("muhammad", "aslam")
    assert name.clans == ("gujjar",)
    assert parse_name("Aslam Gujjar").key == parse_name("Ch. Aslam").key == name.key


def test_a_title_that_ends_a_name_is_the_familys_name():
    assert parse_name("Malik Asif").titles == ("malik",)
    assert parse_name("Asif Malik").clans == ("malik",)


def test_a_single_word_is_a_name_even_when_it_is_also_a_title_or_caste():
    assert parse_name("Malik").given == ("malik",)
    assert parse_name("Khan Muhammad").given == ("khan", "muhammad")
    assert parse_name("Shah Nawaz").given[0] == "shah"


def test_urdu_titles_and_castes_are_known_too():
    name = parse_name("حاجی محمد اسلم اعوان")
    assert name.titles == ("haji",)
    assert name.given[0] == "muhammad"
    assert name.clans == ("awan",)
    assert parse_name("مسماۃ فاطمہ بی بی").given == (urdu_to_latin("فاطمہ"),)


def test_a_fathers_name_written_into_a_name_is_split_off():
    assert split_relation("Asif s/o Aslam") == ("Asif", "Aslam")
    assert split_relation("Kausar w/o Rafiq Ahmed") == ("Kausar", "Rafiq Ahmed")
    assert split_relation("آصف ولد اسلم") == ("آصف", "اسلم")
    assert split_relation("Asif Khan") == ("Asif Khan", "")
    assert parse_name("Asif s/o Aslam").given == ("asif",)


def test_different_people_keep_different_keys():
    keys = {parse_name(n).key for n in ("Asif", "Arif", "Aslam", "Akram", "Imran", "Irfan", "Tariq", "Tahir")}
    assert len(keys) == 8


@given(st.text(max_size=40))
def test_any_text_parses_without_error(text):
    name = parse_name(text)
    assert len(name.skeletons) == len(name.given) + len(name.clans)
    assert all(word == word.lower() for word in name.given + name.clans)
