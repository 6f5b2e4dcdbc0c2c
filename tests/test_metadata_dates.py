"""Dates as pages print them, read into ISO 8601; which date is the page's."""

from __future__ import annotations

import pytest

from service.engine.metadata.dates import (
    choose_date,
    first_date_line,
    header_dates,
    lead_date,
    line_date,
    url_date,
)
from service.engine.metadata.datetext import find_dates, parse_machine
from service.engine.metadata.header import Header
from service.engine.metadata.structured import Declared
from service.engine.page import Block, Page


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Posted on March 3, 2024", "2024-03-03"),
        ("30.11.2020 18:14", "2020-11-30T18:14:00"),
        ("19. Oktober 2019 15:07", "2019-10-19T15:07:00"),
        ("27 juin 2019 Par Jean Martin", "2019-06-27"),
        ("Updated May 06, 2019", "2019-05-06"),
        ("2020-10-04 15:05", "2020-10-04T15:05:00"),
        ("19 октября 2019 г.", "2019-10-19"),
        ("19 de octubre de 2019", "2019-10-19"),
        ("Jan. 28, 2020, at 5:55 AM", "2020-01-28T05:55:00"),
        ("12:39, 2 NOV 2023", "2023-11-02T12:39:00"),
        ("19.10.19, 11:29 Uhr", "2019-10-19T11:29:00"),
        ("31 Donnerstag Okt 2019", "2019-10-31"),
        ("2019年10月19日", "2019-10-19"),
        ("Dec 21 st, 2018 2:00 pm", "2018-12-21T14:00:00"),
    ],
)
def test_printed_forms_and_languages(line: str, iso: str) -> None:
    assert find_dates(line)[0].iso() == iso


def test_slashes_read_day_first_unless_the_line_says_otherwise() -> None:
    assert find_dates("Publié le 02/11/23 à 16h33")[0].day.isoformat() == "2023-11-02"
    assert find_dates("03/30/2020")[0].day.isoformat() == "2020-03-30"
    # a.m./p.m. is how US pages write the time, and they write the month first
    assert find_dates("11/08/23 5:19pm")[0].day.isoformat() == "2023-11-08"


def test_a_time_keeps_the_offset_the_page_states() -> None:
    assert parse_machine("2019-05-06T23:30:00Z").iso() == "2019-05-06T23:30:00+00:00"
    assert parse_machine("2019-05-06T10:00:00+0200").iso() == "2019-05-06T10:00:00+02:00"
    assert parse_machine("Mon, 06 May 2019 10:00:00 +0200").iso() == "2019-05-06T10:00:00+02:00"
    assert find_dates("19 de octubre de 2019 10:00 CEST")[0].iso() == "2019-10-19T10:00:00+02:00"
    # the outlet's zone: the same instant, in the outlet's offset
    assert parse_machine("2024-10-02T11:35:00Z").iso("Europe/Moscow") == "2024-10-02T14:35:00+03:00"


@pytest.mark.parametrize(
    "line",
    [
        "Ab 1. März 2024 die neue Rathauschefin am Petersberg: Claudia Brandes. Mehr im Archiv",
        "Copyright © 19.12.2019 Example GmbH. All rights reserved.",
        "Registriert: 18.09.2008, 05:56",
        "28.01.2022 – 29.01.2022",
        "— Defense of Example (@example) November 16, 2024",
        "https://www.example.com/national/2024/11/10/story/",
        "date 2024-11-10",
    ],
)
def test_lines_that_are_not_the_articles_date(line: str) -> None:
    assert line_date(line) is None


def test_an_update_line_is_marked_as_such_and_published_wins() -> None:
    found, updated = line_date("Updated May 06, 2019")
    assert updated and found.day.isoformat() == "2019-05-06"
    found, updated = line_date("Published Nov 8, 2023 Updated Nov 9, 2023")
    assert not updated and found.day.isoformat() == "2023-11-08"


def test_dates_in_urls() -> None:
    assert url_date("https://example.org/2019/10/31/a-story/").isoformat() == "2019-10-31"
    assert url_date("https://example.org/politics/story/2020-02-19/a-story").isoformat() == (
        "2020-02-19")
    assert url_date("https://example.org/a-story-123456") is None
    assert url_date("https://example.org/news/29-10-2021").isoformat() == "2021-10-29"
    assert url_date("https://example.org/news/05-10-2021") is None  # May 10 or 5 October


def _page(*lines: str) -> Page:
    return Page("\n".join(lines), [Block(line, [(i, i + 1)]) for i, line in enumerate(lines)])


def test_the_first_date_line_that_says_it_is_the_publication_date_wins() -> None:
    page = _page("Archive", "12.05.2012", "Our blog", "Publiziert am 13. Januar 2014 von uriebe")
    found = first_date_line(page)
    assert found is not None and found.found.day.isoformat() == "2014-01-13"
    assert first_date_line(_page("Home", "12.05.2012")).found.day.isoformat() == "2012-05-12"


def test_a_copyright_sign_after_the_date_does_not_disqualify_it() -> None:
    page = _page("Home", "Veröffentlicht am 5. November 2023, 14:09 / ©5min.at")
    assert first_date_line(page).found.day.isoformat() == "2023-11-05"
    assert first_date_line(_page("Home", "© 03.03.2024 Example GmbH")) is None


def test_a_header_line_with_two_dates_counts_for_the_one_the_markup_states() -> None:
    page = _page("Template news", "2018-08-29 14:15:57 2018-06-22 10:20:00",
                 "The shop's templates were changed to load their fonts locally.")
    header = header_dates(page, Header(0, 2))
    declared = Declared(published=[("2018-06-22T10:20:00", "microdata:datePublished")],
                        modified=[("2018-08-29T14:15:57", "microdata:dateModified")])
    chosen = choose_date(declared, header, [], None)
    assert chosen is not None and chosen.found.day.isoformat() == "2018-06-22"


def test_the_urls_month_never_drops_the_date_under_the_headline() -> None:
    page = _page("Police news", "10.11.2021", "A teaser", "29.10.2021",
                 "Officers stopped a car on the motorway near the border on Wednesday.")
    header = header_dates(page, Header(0, 4))
    chosen = choose_date(None, header, [], "https://example.org/news/2021/10/story.html")
    assert chosen is not None and chosen.found.day.isoformat() == "2021-11-10"


@pytest.mark.parametrize(
    ("paragraph", "iso"),
    [
        ("27.1.2022 - Bei der Erinnerung an die Verfolgten des NS-Regimes waren", "2022-01-27"),
        ("BERLIN, 3. März 2024 – Der Senat hat am Dienstag beschlossen", "2024-03-03"),
        ("01.02.2022 „Der Arbeitsmarkt ist gut in das Jahr gestartet“, sagte", "2022-02-01"),
        ("Am 3. März 2024 hat der Senat beschlossen, die Linie zu verlängern", None),
        ("The council, which met on 3 March 2024, decided to extend the line", None),
    ],
)
def test_a_dateline_that_opens_the_first_paragraph(paragraph: str, iso: str | None) -> None:
    found = lead_date(paragraph)
    assert (found.day.isoformat() if found else None) == iso
