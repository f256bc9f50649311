"""Shared storage: the only code that reads and writes the database.

SQLite file in the user data directory by default (WAL mode, nothing to install);
PostgreSQL for a shared planning cell (``--db postgresql://...`` or ``AIRLIFT_DB_URL``).

models       SQLAlchemy ORM models; migrations/ (Alembic) and migrate.py keep the schema
db           engines, sessions, ``transaction``
rows         what the parts share: flush (-> Conflict), audit log, column limits, row_dict
collections  the editable collections, one typed object each (REQUESTS, TAILS, SCENARIOS,
             AIRFIELD_OVERRIDES, AIRCRAFT_TYPES): list, get, create, update, delete
validation   raw values -> column values, checked by the file readers' code
imports      uploaded request and fleet files: parse, report every row error, upsert
domain       rows <-> domain objects (derived from scheduling/fields.py), aircraft lookup
accounts     users, passwords, API tokens, web sessions, logins, the last-admin rule
demo         the shipped demo week into an empty database
runs         schedule runs: every read and write of their rows, the workers' heartbeats and lease
health       whether the database answers
revisions    per-table change counters (the web app's read cache)
"""
