"""The PostgreSQL test database (``PORTAL_TEST_DATABASE_URL``): migrated once per session, and
put back after every test to exactly what the migrations left, fast.

SQLite tests copy a migrated file instead; on PostgreSQL that would mean a new database per
test (slow), so the same result is reached by emptying the tables again: rows the migrations
inserted themselves (such as the board's themes) are remembered once and put back, and every
id sequence restarts just after them.
"""

from sqlalchemy import MetaData, create_engine, literal, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.pool import NullPool

# Each sequence with the table and column that own it (none for a free-standing sequence).
SEQUENCES = """
SELECT quote_ident(s.relname), quote_ident(t.relname), quote_ident(a.attname)
FROM pg_class s
JOIN pg_namespace n ON n.oid = s.relnamespace
LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
LEFT JOIN pg_class t ON t.oid = d.refobjid
LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
WHERE s.relkind = 'S' AND n.nspname = 'public'
"""


class MigratedPostgreSQL:
    def __init__(self, url: str):
        self.engine = create_engine(url, poolclass=NullPool)
        self.tables = []           # every table but alembic_version, parents before children
        self.migration_rows = {}   # table -> the rows the migrations inserted
        self.restart_ids = ""      # one SELECT that sets every sequence back

    def recreate_schema(self) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))

    def remember_what_the_migrations_left(self) -> None:
        metadata = MetaData()
        with self.engine.connect() as connection:
            metadata.reflect(connection)
            self.tables = [t for t in metadata.sorted_tables if t.name != "alembic_version"]
            for table in self.tables:
                columns = [column for column in table.columns if column.computed is None]
                rows = connection.execute(select(*columns)).mappings().all()
                if rows:
                    self.migration_rows[table] = [dict(row) for row in rows]
            self.restart_ids = self._restart_ids(connection)

    def empty(self) -> None:
        """Back to what the migrations left. Only tables that hold rows are truncated
        (CASCADE takes their dependants along): TRUNCATE costs a few milliseconds per table,
        even an empty one. A lock timeout turns a test that left a transaction open into a
        clear error instead of a hang."""
        with self.engine.begin() as connection:
            connection.execute(text("SET LOCAL lock_timeout = '10s'"))
            quote = connection.dialect.identifier_preparer.format_table
            filled = [quote(t) for t in self._tables_with_rows(connection)]
            if filled:
                connection.execute(text(f"TRUNCATE {', '.join(filled)} CASCADE"))
            for table, rows in self.migration_rows.items():
                connection.execute(table.insert(), rows)
            if self.restart_ids:
                connection.execute(text(self.restart_ids))

    def _tables_with_rows(self, connection: Connection) -> list:
        probes = [select(literal(i)).where(select(literal(1)).select_from(t).exists())
                  for i, t in enumerate(self.tables)]
        if not probes:
            return []
        found = connection.scalars(probes[0].union_all(*probes[1:])).all()
        return [self.tables[i] for i in found]

    @staticmethod
    def _restart_ids(connection: Connection) -> str:
        """``SELECT setval(...), ...``: each sequence just after the highest id the migrations left."""
        calls = []
        for sequence, table, column in connection.execute(text(SEQUENCES)):
            # Names from pg_catalog, quoted by quote_ident.
            highest = f"SELECT coalesce(max({column}), 0) FROM {table}"  # noqa: S608
            start = connection.scalar(text(highest)) + 1 if table else 1
            calls.append(f"setval('{sequence}', {start}, false)")
        return f"SELECT {', '.join(calls)}" if calls else ""

    def dispose(self) -> None:
        self.engine.dispose()
