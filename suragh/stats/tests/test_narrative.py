"""The trends report's sentences, checked against the pairs seed 000 itself describes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from suragh.stats.narrative import (
    Trend,
    change,
    fold,
    format_count,
    format_percent,
    format_quantity,
    format_tonnes,
    sentence,
)

YEARS = (2022, 2023)


@pytest.mark.parametrize(
    ("seed_words", "before", "after", "trend"),
    [
        ("Sindh cases decreased", 9708, 8420, Trend.FALL),
        # +3.9%: within the band the seed itself calls slight (Punjab's cannabis, −3.7%); still a rise.
        ("Balochistan cases rose", 1977, 2055, Trend.SLIGHT_RISE),
        ("Punjab charas remained consistent", Decimal("35824"), Decimal("35824.000"), Trend.CONSISTENT),
        ("Punjab cannabis saw a slight decline", Decimal("74658"), Decimal("71912"), Trend.SLIGHT_FALL),
        ("AJK a slight decrease in cases", 878, 868, Trend.SLIGHT_FALL),
        ("AJK a notable rise in arrests", 1216, 1307, Trend.RISE),
        ("ICT convictions dropped", 321, 280, Trend.FALL),
        ("ICT acquittals rising", 84, 124, Trend.SHARP_RISE),
        ("GB convictions dropped significantly", 113, 61, Trend.SHARP_FALL),
        ("Balochistan conviction rates fell sharply", Decimal("57"), Decimal("18"), Trend.SHARP_FALL),
        ("KP convictions improved slightly", 7895, 8036, Trend.SLIGHT_RISE),
        ("Railways registered cases increased", 167, 201, Trend.RISE),
        ("KP arrests: a 5.7% increase", 35981, 38032, Trend.RISE),
    ],
)
def test_the_seeds_pairs_are_named_as_the_seed_names_them(seed_words, before, after, trend):
    assert change(before, after).trend == trend, seed_words


def test_balochistans_heroin_is_fivefold_and_ice_fourfold():
    heroin = change(Decimal("59.719"), Decimal("298.599"))
    ice = change(Decimal("10.561"), Decimal("41.662"))
    assert (heroin.trend, heroin.multiple) == (Trend.MULTIPLE, 5)
    assert (ice.trend, ice.multiple) == (Trend.MULTIPLE, 4)
    text = sentence(
        "recoveries of heroin by the Balochistan Police", Decimal("59.719"), Decimal("298.599"), YEARS, kind="quantity"
    )
    assert text == (
        "Recoveries of heroin by the Balochistan Police rose fivefold, from 59.719 kg in 2022 to 298.599 kg in 2023."
    )


def test_a_multiple_is_rounded_half_up():
    assert change(10, 24).multiple == 2
    assert change(10, 25).multiple == 3
    assert change(3, 9).multiple == 3
    assert fold(2) == "twofold" and fold(10) == "tenfold" and fold(12) == "12-fold"


def test_sentences_read_like_the_seeds():
    assert (
        sentence("cases registered by the Sindh Police", 9708, 8420, YEARS)
        == "Cases registered by the Sindh Police fell from 9,708 in 2022 to 8,420 in 2023 (down 13.3%)."
    )
    assert (
        sentence("convictions in cases of the ICT Police", 321, 280, YEARS)
        == "Convictions in cases of the ICT Police fell from 321 in 2022 to 280 in 2023 (down 12.8%)."
    )
    assert (
        sentence("recoveries of charas by the Punjab Police", 35824, 35824, YEARS, kind="quantity")
        == "Recoveries of charas by the Punjab Police remained consistent at 35,824 kg in 2022 and 2023."
    )
    assert (
        sentence("cases registered by the AJK Police", 878, 868, YEARS)
        == "Cases registered by the AJK Police fell slightly, from 878 in 2022 to 868 in 2023 (down 1.1%)."
    )
    assert (
        sentence("the conviction rate of the Balochistan Police", Decimal("57"), Decimal("18"), YEARS, kind="rate")
        == "The conviction rate of the Balochistan Police fell sharply, from 57% in 2022 to 18% in 2023 (down 68.4%)."
    )


def test_nothing_in_one_year_is_said_in_words_not_divided_by():
    assert (
        sentence("recoveries of cocaine by the Sindh Police", None, 20, YEARS, kind="quantity")
        == "No recoveries of cocaine by the Sindh Police were recorded in 2022; 20 kg in 2023."
    )
    assert (
        sentence("recoveries of charas by the ICT Police", Decimal("688.465"), 0, YEARS, kind="quantity")
        == "Recoveries of charas by the ICT Police fell from 688.465 kg in 2022 to none recorded in 2023."
    )
    assert change(0, 5).direction == "up" and change(Decimal("688.465"), None).direction == "down"
    assert sentence("recoveries of cocaine by the GB Police", None, 0, YEARS, kind="quantity") == ""
    assert change(None, None).direction == ""


def test_numbers_are_written_as_the_seed_writes_them():
    assert format_count(9708) == "9,708" and format_count(Decimal("163468.000000")) == "163,468"
    assert format_quantity(Decimal("35824")) == "35,824 kg"
    assert format_quantity(Decimal("298.599000")) == "298.599 kg"
    assert format_quantity(Decimal("546.69")) == "546.690 kg"
    assert format_quantity(Decimal("0.003")) == "3 g" and format_quantity(Decimal("0.805")) == "805 g"
    assert format_quantity(Decimal("0.0005")) == "0.5 g"
    assert format_quantity(Decimal("1200"), "tablet") == "1,200 tablets"
    assert format_quantity(Decimal("35.5"), "L") == "35.500 L"
    assert format_tonnes(Decimal("245942")) == "245.942 MT"
    assert format_percent(Decimal("10.60")) == "10.6%"
    assert format_percent(Decimal("0.55")) == "0.55%" and format_percent(Decimal("57.00")) == "57%"
