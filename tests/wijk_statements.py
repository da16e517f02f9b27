"""The suite-wide check that no statement on a wijk's table leaves the wijk out.

``tests/conftest.py`` listens to every statement the app's engine sends in every test. A
statement that reads, changes or deletes rows of a table with a ``district_id`` must name that
table's ``district_id`` (the scope in ``portal/wijk.py`` adds it); an insert must fill it.
Exceptions, each safe by construction:

* an UPDATE or DELETE by primary key only: the unit of work writing a row it loaded (through
  the scope) or made (with the current wijk);
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
BY_PRIMARY_KEY = re.compile(
    r'^\s*(UPDATE\s+"?(\w+)"?\s+SET\s.*|DELETE\s+FROM\s+"?(\w+)"?\s+)'
    r'WHERE\s+"?\w+"?\.?"?id"?\s*(=\s*(\?|%\(\w+\)s|:\w+)|IN\s*\([^)]*\))\s*$',
    re.IGNORECASE | re.DOTALL,
)


def wijk_tables() -> set[str]:
    return {table.name for table in db.metadata.sorted_tables
            if "district_id" in table.c and table.name != "districts"}


def missing_wijk(statement: str, tables: set[str]) -> list[str]:
    """The wijk tables ``statement`` touches without their ``district_id``."""
    flat = " ".join(statement.replace('"', "").split())
    lowered = flat.lower()
    if not lowered.startswith(("select", "update", "delete", "insert", "with")):
        return []
    if BY_PRIMARY_KEY.match(flat):
        return []
    missing = []
    for verb, table, alias in REFERENCE.findall(flat):
        table = table.lower()
        if table not in tables:
            continue
        if verb.lower() == "into":
            columns = lowered.split(table, 1)[1].split(")", 1)[0]
            if "district_id" not in columns:
                missing.append(table)
            continue
        name = alias.lower() if alias and alias.lower() not in NOT_AN_ALIAS else table
        if f"{name}.district_id" not in lowered:
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
