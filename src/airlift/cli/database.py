"""``airlift db`` and ``airlift users``: the web server's shared database and its accounts.

Also the helpers ``serve`` shares: the URL shown without its password, database errors as one
line, the schema upgrade.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from airlift.cli.common import out
from airlift.errors import AirliftError, InputError

db_app = typer.Typer(no_args_is_help=True, help="The shared database: schema migrations.")
users_app = typer.Typer(no_args_is_help=True, help="Web users: admins, planners, viewers.")

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL, e.g. postgresql://user:pass@host/airlift "
        "(default: $AIRLIFT_DB_URL, else the SQLite file in the user data folder).",
    ),
]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from the first line of standard input (for scripts).",
    ),
]


def shown_url(url: str | None) -> str:
    """The database URL without its password."""
    from sqlalchemy.engine import make_url

    from airlift.store.db import default_url

    try:
        return make_url(url or default_url()).render_as_string(hide_password=True)
    except Exception:  # a malformed URL: say so where it is used
        return "(unreadable URL)"


def database_error(url: str | None, exc: Exception) -> AirliftError:
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(orig).split())
    return AirliftError(f"database {shown_url(url)}: {text}")


def upgrade_schema(url: str | None) -> str | None:
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from airlift.store import migrate

    try:
        migrate.upgrade(url)
        return migrate.current(url)
    except (SQLAlchemyError, ArgumentError) as exc:
        raise database_error(url, exc) from None


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None) -> None:
    """Create the tables of an empty database, or migrate it to this version's schema."""
    revision = upgrade_schema(db)
    out.print(f"database {shown_url(db)} is at revision {revision}")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline().removesuffix("\n").removesuffix("\r")
        if not line:
            raise InputError("--password-stdin: standard input holds no password")
        return line
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


def _create_user(
    username: str, role: str, nation: str | None, password_stdin: bool, db: str | None
) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from airlift.store.accounts import ROLES, check_password, create_user
    from airlift.store.db import make_engine, session_factory, transaction

    if role not in ROLES:
        raise InputError(f"--role must be one of {', '.join(ROLES)}, got {role!r}")
    password = _read_password(password_stdin)
    check_password(password)
    upgrade_schema(db)
    engine = make_engine(db)
    try:
        with transaction(session_factory(engine)) as session:
            user = create_user(session, username, password, role, nation, actor="cli")
            name, nation = user.username, user.nation
    except SQLAlchemyError as exc:
        raise database_error(db, exc) from None
    finally:
        engine.dispose()
    scope = f"nation {nation}" if nation else "coalition staff"
    out.print(f"created {role} {name} ({scope}) in {shown_url(db)}")


@users_app.command("create-admin")
def users_create_admin(
    username: Annotated[str, typer.Argument(help="Login name of the new administrator.")],
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Add an administrator (asks for the password twice unless --password-stdin)."""
    _create_user(username, "admin", None, password_stdin, db)


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument(help="Login name of the new user.")],
    role: Annotated[str, typer.Option("--role", help="viewer, planner or admin.")] = "viewer",
    nation: Annotated[
        str | None,
        typer.Option(
            "--nation", help="2-3 letter country code: the user edits that nation's tails only."
        ),
    ] = None,
    password_stdin: PasswordStdinOpt = False,
    db: DbOpt = None,
) -> None:
    """Add a user (asks for the password twice unless --password-stdin)."""
    _create_user(username, role, nation, password_stdin, db)
