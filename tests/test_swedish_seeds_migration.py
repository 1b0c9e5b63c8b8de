"""The seeded outreach categories and indicators are Swedish (issue 13, finding 7): a new database is seeded in
Swedish, an older one is renamed by 13d0c0ffee04 (only rows still carrying the seeded English name), and back down."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tests.test_stats_migration import alembic, on_database

PREVIOUS = "16c0c0ffee03"
ENGLISH_CATEGORIES = ["Escort ads", "Sugar dating", "LGBTQ community", "Social media", "Forum", "Other"]
SWEDISH_CATEGORIES = [
    "Annonser om sex mot ersättning",
    "Sugardejting",
    "HBTQ-gemenskap",
    "Sociala medier",
    "Forum",
    "Annat",
]
ENGLISH_INDICATORS = [
    "Obscured phone numbers",
    '"Trustworthiness" language',
    "Stated ethnicity",
    "Language suggesting youth",
]
SWEDISH_INDICATORS = ["Dolda telefonnummer", "Betonar pålitlighet", "Uppgiven etnicitet", "Språk som antyder låg ålder"]


def names(url: str, table: str) -> list[str]:
    def read(connection: Connection) -> list[str]:
        return [name for (name,) in connection.execute(sa.text(f"SELECT name FROM {table} ORDER BY id"))]

    return on_database(url, read)


def run(url: str, statement: str) -> None:
    on_database(url, lambda connection: connection.execute(sa.text(statement)))


def test_a_new_database_is_seeded_in_swedish(database_url: str) -> None:
    assert names(database_url, "space_category") == SWEDISH_CATEGORIES
    assert names(database_url, "indicator") == SWEDISH_INDICATORS


def test_english_seeds_are_renamed_and_admins_edits_kept_both_ways(database_url: str) -> None:
    alembic("downgrade", PREVIOUS, database_url)
    assert (
        names(database_url, "space_category") == ENGLISH_CATEGORIES
    )  # as a database seeded before this migration has them
    assert names(database_url, "indicator") == ENGLISH_INDICATORS

    run(
        database_url, "UPDATE space_category SET name = 'Sugar dating sites' WHERE name = 'Sugar dating'"
    )  # an admin's edit
    run(
        database_url, "INSERT INTO indicator (name, active) VALUES ('uppgiven etnicitet', true)"
    )  # an admin's own, new name
    alembic("upgrade", "head", database_url)
    assert names(database_url, "space_category") == [
        "Annonser om sex mot ersättning",
        "Sugar dating sites",
        "HBTQ-gemenskap",
        "Sociala medier",
        "Forum",
        "Annat",
    ]
    # names are unique regardless of case: the seeded row keeps its English name beside the admin's
    assert names(database_url, "indicator") == [
        "Dolda telefonnummer",
        "Betonar pålitlighet",
        "Stated ethnicity",
        "Språk som antyder låg ålder",
        "uppgiven etnicitet",
    ]

    run(database_url, "UPDATE indicator SET name = 'Dolda nummer' WHERE name = 'Dolda telefonnummer'")
    alembic("downgrade", PREVIOUS, database_url)
    assert names(database_url, "space_category") == [
        "Escort ads",
        "Sugar dating sites",
        "LGBTQ community",
        "Social media",
        "Forum",
        "Other",
    ]
    assert names(database_url, "indicator") == [
        "Dolda nummer",
        '"Trustworthiness" language',
        "Stated ethnicity",
        "Language suggesting youth",
        "uppgiven etnicitet",
    ]
