"""The suite-wide check that no statement on a wijk's table leaves the wijk out.

``tests/conftest.py`` listens to every statement the app's engine sends in every test. A
statement that reads, changes or deletes rows of a table with a ``district_id`` must have a
condition on that table's ``district_id`` (the scope in ``portal/wijk.py`` adds it); an insert
must fill it.
Exceptions, each safe by construction:

* a statement on one table whose only condition is that table's primary key: the unit of
  work writing a row it loaded (through the scope) or made (with the current wijk), or reading
  back a counter it just wrote;
* statements sent with ``execution_options(all_wijken=True)``: those that span the wijken on
  purpose (the platform admin's list).
"""

import re

from portal.extensions import db
from portal.wijk import ALL_WIJKEN

REFERENCE = re.compile(
    r'\b(FROM|JOIN|UPDATE|INTO)\s+"?(\w+)"?(?:\s+(?:AS\s+)?"?(\w+)"?)?', re.IGNORECASE
)
NOT_AN_ALIAS = {
    "where", "on", "set", "join", "left", "right", "inner", "outer", "cross", "full", "order",
    "group", "limit", "offset", "values", "select", "union", "having", "returning", "using",
    "natural", "default", "as", "for", "window", "except", "intersect", "lateral",
}
ONE_TABLE = re.compile(
    r"^(?:UPDATE (\w+) SET .*?|DELETE FROM (\w+)|SELECT [\w.,() ]+? FROM (\w+)) WHERE (.*)$", re.IGNORECASE
)
PARAMETER = r"(?:\?|%\(\w+\)s(?:::\w+)?|:\w+)"  # SQLite, psycopg (with its cast), named


def wijk_tables() -> dict[str, set[str]]:
    """Each wijk table with the names of its primary key columns."""
    return {table.name: {column.name for column in table.primary_key}
            for table in db.metadata.sorted_tables
            if "district_id" in table.c and table.name != "districts"}


def by_primary_key(flat: str, tables: dict[str, set[str]]) -> bool:
    found = ONE_TABLE.match(flat)
    if not found:
        return False
    table = next(name for name in found.groups()[:3] if name)
    if table.lower() not in tables:
        return False
    terms = re.split(r"\s+AND\s+", found.group(4), flags=re.IGNORECASE)
    keys = tables[table.lower()]
    for term in terms:
        term_match = re.fullmatch(rf"(?:{table}\.)?(\w+) = {PARAMETER}", term.strip(), re.IGNORECASE)
        if not term_match or term_match.group(1).lower() not in keys:
            return False
    return True


LEAD_BY_PRIMARY_KEY = re.compile(r"^SELECT .*? FROM (\w+) .* WHERE (.*)$", re.IGNORECASE)


def lead_row_by_primary_key(flat: str, tables: dict[str, set[str]]) -> str | None:
    """The lead table of a select whose last WHERE holds only that table's primary key (an
    object of the session refreshed with what it joins): the lead table may go without, the
    joined tables still need their condition."""
    found = LEAD_BY_PRIMARY_KEY.match(flat)
    if not found or found.group(1).lower() not in tables or "(select" in found.group(2).lower():
        return None
    table, keys = found.group(1), tables[found.group(1).lower()]
    for term in re.split(r"\s+AND\s+", found.group(2), flags=re.IGNORECASE):
        term_match = re.fullmatch(rf"{table}\.(\w+) = {PARAMETER}", term.strip(), re.IGNORECASE)
        if not term_match or term_match.group(1).lower() not in keys:
            return None
    return table.lower()


def missing_wijk(statement: str, tables: dict[str, set[str]]) -> list[str]:
    """The wijk tables ``statement`` touches without their ``district_id``."""
    flat = " ".join(statement.replace('"', "").split())
    lowered = flat.lower()
    if not lowered.startswith(("select", "update", "delete", "insert", "with")):
        return []
    if by_primary_key(flat, tables):
        return []
    exempt = lead_row_by_primary_key(flat, tables)
    missing = []
    for verb, table, alias in REFERENCE.findall(flat):
        table = table.lower()
        if table not in tables or (table == exempt and verb.lower() == "from"):
            continue
        if verb.lower() == "into":
            columns = lowered.split(table, 1)[1].split(")", 1)[0]
            if "district_id" not in columns:
                missing.append(table)
            continue
        name = alias.lower() if alias and alias.lower() not in NOT_AN_ALIAS else table
        # A condition on it (not the column in the select list): "posts.district_id = ?".
        if not re.search(rf"\b{name}\.district_id\s*(=|in\b)", lowered):
            missing.append(table)
    return missing


class StatementCheck:
    """Collects the offending statements; the test fails at its end when there are any."""

    def __init__(self):
        self.tables = wijk_tables()
        self.offending: list[tuple[str, list[str]]] = []

    def __call__(self, _conn, _cursor, statement, _parameters, context, _executemany):
        if context is not None and context.execution_options.get(ALL_WIJKEN):
            return
        missing = missing_wijk(statement, self.tables)
        if missing:
            self.offending.append((statement, missing))
