"""What-if studies in the database: every read and write of ``studies``.

A study is queued (:func:`create_study`: its TOML checked by the studies parser first), taken
by a server's study worker (:func:`claim`: ``running``, with a heartbeat), kept alive by it
(:func:`beat`, :func:`record_progress`: it answers whether a cancel was asked for), and ends
``done`` (:func:`record_done`, with the outcome summary), ``failed`` or ``cancelled``
(:func:`cancel_study` for a queued study). As for schedule runs (``store/runs.py``), every
worker write names ``status = 'running'``, and a running study whose heartbeat is older than
the lease has a dead worker: :func:`mark_interrupted_studies` fails it.

Functions take the caller's session and never commit, except :func:`claim`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session, defer, sessionmaker

from airlift.errors import Conflict, FieldError, NotFound, Where
from airlift.store.db import transaction
from airlift.store.models import StudyRow, utcnow
from airlift.store.rows import audit, flush
from airlift.store.runs import LEASE_S, TERMINAL, db_clock, request_cancel, rowcount

INTERRUPTED = "interrupted: the server stopped while this study ran; launch it again"
SOURCE = "study_toml"
"""How errors name the study text sent to the API (as the CLI names the study file)."""
MAX_TOML_CHARS = 100_000
"""A study file is a few dozen lines; this is far beyond any."""
BASE_PATHS = ("requests", "fleet", "scenario")
"""``[base]`` keys naming files: a study sent to the server runs on the demo week (a client
must not make the server read its files)."""


# --- check, queue, read, cancel (the API) -------------------------------------------------------


def check_study_toml(text: str) -> Any:
    """The :class:`~airlift.studies.Study` of ``text``, every key checked as ``airlift study``
    checks a file (and against the base fleet); a bad one is a FieldError whose ``field`` is
    ``study_toml.<key>``. ``[base]`` file paths are refused."""
    from airlift.formats import toml_loads
    from airlift.studies.apply import check_against_base
    from airlift.studies.study import parse_study

    if len(text) > MAX_TOML_CHARS:
        raise FieldError(SOURCE, f"{SOURCE}: at most {MAX_TOML_CHARS:,} characters")
    try:
        raw = toml_loads(text, SOURCE)
        base = raw.get("base")
        given = base if isinstance(base, dict) else {}
        for key in BASE_PATHS:
            if key in given:
                raise FieldError(
                    f"base.{key}",
                    f"{key}: studies launched in the web app run on the demo week; "
                    "file paths are for `airlift study` on the command line",
                    Where(file=SOURCE, section="base"),
                )
        study = parse_study(raw, SOURCE, Path.cwd())
        check_against_base(study)
    except FieldError as exc:
        raise exc.inside(SOURCE) from None
    return study


def create_study(session: Session, text: str, username: str, name: str | None = None) -> StudyRow:
    """Queue the study of ``text`` (checked first) for a study worker."""
    from airlift.studies.design import runs

    study = check_study_toml(text)
    given = (name or "").strip()
    label = given or study.name
    if not label or len(label) > 64 or not label.isprintable():
        field = "name" if given else f"{SOURCE}.name"
        raise FieldError(field, f"name must be 1 to 64 printable characters, got {label!r}")
    row = StudyRow(
        name=label,
        status="queued",
        study_toml=text,
        created_by=username[:64],
        created_at=utcnow(),
        runs_total=len(runs(study)),
        runs_done=0,
        runs_failed=0,
        error="",
        out_dir="",
        cancel_requested=False,
    )
    session.add(row)
    flush(session, "study")
    audit(session, username, "run", "studies", row.id, {"name": label, "runs": row.runs_total})
    return row


def get_study(session: Session, study_id: int, with_toml: bool = False) -> StudyRow:
    """The study (its TOML only when asked for); :class:`NotFound` if none."""
    query = select(StudyRow).where(StudyRow.id == study_id)
    if not with_toml:
        query = query.options(defer(StudyRow.study_toml))
    row = session.scalar(query)
    if row is None:
        raise NotFound(f"no study {study_id}")
    return row


def list_studies(session: Session, limit: int = 50) -> list[StudyRow]:
    """Studies newest first, without their TOML."""
    query = (
        select(StudyRow)
        .options(defer(StudyRow.study_toml))
        .order_by(StudyRow.created_at.desc(), StudyRow.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def cancel_study(session: Session, study_id: int, username: str) -> StudyRow:
    """A queued study is cancelled at once; a running one gets ``cancel_requested`` (its
    worker stops after the runs under way). Cancelled: returned as it is; done or failed:
    :class:`Conflict`."""
    row = get_study(session, study_id)
    if row.status == "cancelled":
        return row
    if row.status in TERMINAL:
        raise Conflict(f"study {study_id} is {row.status}: nothing to cancel")
    request_cancel(session, StudyRow, study_id)
    audit(session, username, "cancel", "studies", study_id, {})
    session.expire(row)
    return get_study(session, study_id)


# --- the worker's side --------------------------------------------------------------------------


def claim(
    sessions: sessionmaker[Session], reads: sessionmaker[Session] | None = None
) -> tuple[int, str] | None:
    """Take the oldest queued study (status ``running``, heartbeat now): its id and TOML, or
    None. Atomic, as ``store.runs.claim``: of two workers exactly one takes it. With
    ``reads`` (read-only sessions), an idle worker looks first without SQLite's write lock."""
    if reads is not None:
        with reads() as s:
            if s.scalar(select(StudyRow.id).where(StudyRow.status == "queued").limit(1)) is None:
                return None
    while True:
        with transaction(sessions) as s:
            found = s.execute(
                select(StudyRow.id, StudyRow.study_toml)
                .where(StudyRow.status == "queued")
                .order_by(StudyRow.created_at, StudyRow.id)
                .limit(1)
            ).first()
            if found is None:
                return None
            taken = s.execute(
                update(StudyRow)
                .where(StudyRow.id == found.id, StudyRow.status == "queued")
                .values(status="running", started_at=utcnow(), heartbeat_at=db_clock(s))
                .execution_options(synchronize_session=False)
            )
            if rowcount(taken) == 1:
                return int(found.id), str(found.study_toml)


def beat(session: Session, study_id: int, **progress: Any) -> tuple[bool, bool]:
    """Heartbeat, with ``runs_done`` / ``runs_failed`` / ``runs_total`` / ``out_dir`` if
    given: ``(still running, cancel requested)``."""
    result = session.execute(
        update(StudyRow)
        .where(StudyRow.id == study_id, StudyRow.status == "running")
        .values(heartbeat_at=db_clock(session), **progress)
        .execution_options(synchronize_session=False)
    )
    cancel = session.scalar(select(StudyRow.cancel_requested).where(StudyRow.id == study_id))
    return rowcount(result) == 1, bool(cancel)


def record_end(session: Session, study_id: int, status: str, **values: Any) -> bool:
    """End a running study (``done`` with its ``summary``, ``failed`` with its ``error``,
    ``cancelled``); False (nothing written) if it is no longer running."""
    result = session.execute(
        update(StudyRow)
        .where(StudyRow.id == study_id, StudyRow.status == "running")
        .values(status=status, finished_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def mark_interrupted_studies(session: Session, lease_s: float = LEASE_S) -> int:
    """Fail every running study whose worker is dead (heartbeat older than ``lease_s`` or
    missing); how many. A study whose worker beats is left alone."""
    expired: tuple[ColumnElement[bool], ...] = (
        StudyRow.status == "running",
        or_(
            StudyRow.heartbeat_at.is_(None),
            StudyRow.heartbeat_at < db_clock(session) - timedelta(seconds=lease_s),
        ),
    )
    result = session.execute(
        update(StudyRow)
        .where(*expired)
        .values(status="failed", error=INTERRUPTED, finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    failed = rowcount(result)
    if failed:
        audit(session, "system", "fail", "studies", "", {"count": failed, "error": INTERRUPTED})
    return failed


__all__ = [
    "INTERRUPTED",
    "MAX_TOML_CHARS",
    "beat",
    "cancel_study",
    "check_study_toml",
    "claim",
    "create_study",
    "get_study",
    "list_studies",
    "mark_interrupted_studies",
    "record_end",
]
