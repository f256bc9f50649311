"""Shared storage: SQLAlchemy models, Alembic migrations, repositories.

SQLite file in the user data directory by default (WAL mode, nothing to install);
PostgreSQL for a shared planning cell (``--db postgresql://...`` or ``AIRLIFT_DB_URL``).
"""
