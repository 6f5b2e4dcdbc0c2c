"""Bylines in the forms and languages pages print them: names apart from roles and agencies."""

from __future__ import annotations

import pytest

from service.engine.metadata.authors import (
    byline_names,
    dateline_names,
    desk_name,
    name_line,
    split_byline_names,
    split_names,
)
from service.engine.metadata.names import given_name_first


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"]),
        ("By TOM KRISHER, AP Auto Writer", ["Tom Krisher"]),
        ("Par Jean Dupont et Marie Curie", ["Jean Dupont", "Marie Curie"]),
        ("von Max Mustermann", ["Max Mustermann"]),
        ("Автор: Иван Петров", ["Иван Петров"]),
        ("Posted on March 3, 2024 by Jane Whitfield", ["Jane Whitfield"]),
        ("Veröffentlicht am 11. Juni 2019 von Anna Schmidt", ["Anna Schmidt"]),
        ("Written by Grant Example, PhD on April 29, 2018", ["Grant Example"]),
        ("By Ana Lopez Feb 8, 2020 5 min read", ["Ana Lopez"]),
        ("Posted by marc | Leave a comment", ["marc"]),
        ("责任编辑： 王伟", ["王伟"]),
        ("By Evan Halper Staff Writer", ["Evan Halper"]),
        ("By Evan HalperStaff Writer", ["Evan Halper"]),
        ("Posted on Freitag, 15. April 2016 by LD", ["LD"]),
        ("Posted on August 2, 2019 Author Daniel Lemire Categories", ["Daniel Lemire"]),
    ],
)
def test_byline_grammar(line: str, names: list[str]) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize(
    "line",
    [
        "By the way, this is great",
        "Ein Beitrag geteilt von Jane Doe (@janedoe) am 17. Juni 2019",
        "Read more by clicking here",
        "cc-by 4.0",
    ],
)
def test_not_bylines(line: str) -> None:
    assert byline_names(line) is None


def test_roles_agencies_and_the_sites_own_name_are_not_authors() -> None:
    assert split_names("Jane Doe, Staff Reporter", set()) == ["Jane Doe"]
    assert split_names("Reuters", set()) == []
    assert split_names("Daily Example", {"dailyexample"}) == []


def test_the_name_on_a_date_line() -> None:
    assert dateline_names("Gunter Example / 22.04.2020 / 06:15") == ["Gunter Example"]
    assert dateline_names("Veröffentlicht am 11. Juni 2019") is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("Marie Merlet | lundi 9 décembre 2019 à 09h08", ["Marie Merlet"]),
        ("23.06.2016 um 16:14 Uhr - Markus Reuter - 91 Ergänzungen", ["Markus Reuter"]),
        ("26. September 2019 Ulrike Example Schreibe einen Kommentar", ["Ulrike Example"]),
        ("Accueil | Par Loïc Le Clerc | 30 septembre 2018", ["Loïc Le Clerc"]),
        ("Loïc Le Clerc am 3. März 2020", ["Loïc Le Clerc"]),
        ("Richard Adams Education editor 20 Jan 2020", ["Richard Adams"]),
        ("Politik | 3. März 2020", None),
        ("macbacchi 28.09.19 12:44", ["macbacchi"]),
        ("1. November 2016 1. November 2016 surfguard", ["surfguard"]),
        ("HansEhrlich 17.10.2019, 13:56 Uhr", ["HansEhrlich"]),
        ("03.03.2020 update", None),
        ("3. März 2020 stuttgart", None),
        ("opublikowano: 7 kwietnia 2021", None),
        ("Am 3. März 2020 | Jane Doe", ["Jane Doe"]),
    ],
)
def test_names_on_date_lines(line: str, names: list[str] | None) -> None:
    assert dateline_names(line) == names


def test_a_byline_split_over_two_lines() -> None:
    assert split_byline_names("Von", ["Claus Example-Theile"], set()) == (
        ["Claus Example-Theile"], 1)
    assert split_byline_names("By :", ["Todd Bates", "Share"], set()) == (["Todd Bates"], 1)
    assert split_byline_names("Autor", ["Recent Posts"], set()) is None  # not a name
    assert split_byline_names("Posted by the team", ["Todd Bates"], set()) is None
    assert split_byline_names("Kommentar von", ["Ingo Arztmann"], set()) == (["Ingo Arztmann"], 1)
    assert split_byline_names("By", ["James Whittaker"], set()) == (["James Whittaker"], 1)
    assert split_byline_names("By", ["David Brand", "and", "Ramsey Khalifeh", "Share"],
                              set()) == (["David Brand", "Ramsey Khalifeh"], 3)


def test_a_name_lines_first_word_is_a_given_name() -> None:
    assert given_name_first("Elizabeth Gibney")
    assert given_name_first("Kathrin Hofmeister")
    assert not given_name_first("Aktuelle Themen")
    assert not given_name_first("Startseite Menü")
    assert not given_name_first("Recent Posts")  # an English word, not a name
    assert not given_name_first("April Roach")  # a month opens dates too often
    assert name_line("Cookie Einstellungen", set()) is None


@pytest.mark.parametrize(
    ("line", "desk"),
    [
        ("von Redaktion, 24. Januar 2022", "Redaktion"),
        ("Redaktion - 31. Januar 2022", "Redaktion"),
        ("Posted on 25. Januar 2022 Author Redaktion", "Redaktion"),
        ("by HLNF Staff Report", "HLNF Staff Report"),
        ("By Jane Doe", None),
        ("Politik | 3. März 2022", None),
        ("Die Redaktion empfiehlt heute drei Bücher", None),
    ],
)
def test_a_desk_credited_instead_of_a_person(line: str, desk: str | None) -> None:
    assert desk_name(line) == desk
