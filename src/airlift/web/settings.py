"""Web app settings (pydantic-settings): environment variables ``AIRLIFT_<NAME>``.

``AIRLIFT_DB_URL`` and ``AIRLIFT_DATA_DIR`` are the same variables the CLI and the store read,
so ``airlift serve`` and ``airlift schedule`` agree on where things are.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from airlift.store.db import default_url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIRLIFT_", extra="ignore")

    db_url: str | None = None
    """SQLAlchemy URL; None: ``sqlite:///<data_dir>/airlift.sqlite``."""
    data_dir: Path | None = None
    """User data folder; None: ``$AIRLIFT_DATA_DIR`` or the platform's user data folder."""
    secure_cookies: bool = True
    """Session cookies are always HttpOnly and SameSite=Strict; Secure (HTTPS only) unless
    this is turned off for plain-HTTP use on localhost."""
    tile_url: str | None = None
    """Base-map tile server URL template (``https://.../{z}/{x}/{y}.png``); None: no base map
    (the app works offline)."""
    worker_processes: int = Field(default=1, ge=1, le=64)
    """Schedule runs solved at the same time (each in its own process)."""
    session_hours: float = Field(default=12.0, gt=0, le=24 * 30)
    """Lifetime of a browser session, hours."""
    login_max_failures: int = Field(default=5, ge=1)
    """Failed logins per username and client within ``login_window_min`` before HTTP 429."""
    login_window_min: int = Field(default=15, ge=1)
    trusted_proxies: str = ""
    """Comma-separated addresses of reverse proxies whose ``X-Forwarded-For`` names the
    client (for the login rate limit and the logs). Empty (the default): the header is
    ignored and the client is the peer of the connection, whatever a client claims."""
    dask_scheduler: str = ""
    """The Dask cluster studies run on (``tcp://HOST:PORT``); empty (the default): a
    LocalCluster of ``study_workers`` processes, started for each study."""
    study_workers: int | None = Field(default=None, ge=0, le=256)
    """Worker processes of that LocalCluster; None: one per core; 0: the runs one after
    another in the server's study thread (small machines, tests)."""
    access_log: bool = False
    """Log every HTTP request to the console (off by default, as in gunicorn: a line per
    request cost 7 % of the server's time in ``benchmarks/bench_api.py``; changes are in
    the audit log either way)."""

    def studies_dir(self) -> Path:
        """Where each study's results and report go (``<data dir>/studies/<id>/``)."""
        from airlift.airfields import data_dir

        return (self.data_dir or data_dir()) / "studies"

    def database_url(self) -> str:
        """The URL to connect to: ``db_url``, else a SQLite file in ``data_dir``."""
        if self.db_url:
            return self.db_url
        if self.data_dir is not None:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{self.data_dir / 'airlift.sqlite'}"
        return default_url()
