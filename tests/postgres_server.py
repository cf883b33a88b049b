"""A real PostgreSQL server for the tests: the one in STEWARD_TEST_POSTGRES_URL, or a
throwaway cluster started here.

`python -m tests` must run every backend's contract suite on a fresh machine, so this finds
`initdb` and `pg_ctl` (PATH, then /usr/lib/postgresql/*/bin), installs Debian's
`postgresql` package when they are missing and the machine allows it (root with apt-get),
and starts a cluster in a temporary directory on a free localhost port. PostgreSQL refuses
to run as root, so as root the cluster belongs to (and runs as) the `postgres` system user.
Durability is switched off (fsync, synchronous_commit): the data is thrown away anyway, and
each test creating its own database stays fast. Every test gets its own database.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.debian import install

__all__ = ["ENV_URL", "PostgresServer", "ServerUnavailable", "binaries", "start_server"]

ENV_URL = "STEWARD_TEST_POSTGRES_URL"
SUPERUSER = "steward_test"


class ServerUnavailable(RuntimeError):
    """No PostgreSQL server could be had here; the message says why (a skip reason)."""


@dataclass
class PostgresServer:
    """A server the tests may create and drop databases on.

    `admin_url` connects to a maintenance database with the right to CREATE DATABASE.
    `stop` shuts down a cluster this module started (an external server is left alone).
    """

    admin_url: str
    data_dir: Path | None = None
    pg_ctl: str | None = None
    owner: str | None = None
    databases: list[str] = field(default_factory=list)

    def url_for(self, database: str) -> str:
        """The URL of `database` on this server: the admin URL with its dbname replaced."""
        return make_conninfo(self.admin_url, dbname=database)

    def create_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of the database `template` (no one may be
        connected to it); returns its URL."""
        name = f"steward_{uuid.uuid4().hex[:12]}"
        create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            create += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            try:  # PostgreSQL 15+: copying the small template's files is 10x faster here
                connection.execute(create + sql.SQL(" STRATEGY FILE_COPY"))
            except psycopg.errors.SyntaxError:
                connection.execute(create)
        self.databases.append(name)
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        """Drop a database `create_database` made, closing any session still on it."""
        name = conninfo_to_dict(url)["dbname"]
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(str(name))))
        if name in self.databases:
            self.databases.remove(str(name))

    def stop(self) -> None:
        if self.data_dir is None or self.pg_ctl is None:
            return
        _run_as(self.owner, [self.pg_ctl, "-D", str(self.data_dir), "-m", "fast", "-w",
                             "stop"], check=False)
        shutil.rmtree(self.data_dir.parent, ignore_errors=True)
        self.data_dir = None


def start_server() -> PostgresServer:
    """The server named by STEWARD_TEST_POSTGRES_URL, or a new local cluster; raises
    `ServerUnavailable` with the reason when neither can be had."""
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        try:
            with psycopg.connect(external, connect_timeout=10):
                pass
        except psycopg.Error as error:
            raise ServerUnavailable(f"{ENV_URL} is set but the server did not answer: "
                                    f"{error}") from error
        return PostgresServer(admin_url=external)
    found = binaries() or _install()
    if found is None:
        raise ServerUnavailable(
            "PostgreSQL is not installed (no initdb/pg_ctl on PATH or in "
            "/usr/lib/postgresql/*/bin) and could not be installed (needs root and apt-get); "
            f"install it or set {ENV_URL}.")
    return _start_cluster(*found)


def binaries() -> tuple[str, str] | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if initdb and pg_ctl:
        return initdb, pg_ctl
    for bin_dir in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                          key=lambda d: int(Path(d).parent.name) if Path(
                              d).parent.name.isdigit() else 0, reverse=True):
        initdb, pg_ctl = f"{bin_dir}/initdb", f"{bin_dir}/pg_ctl"
        if os.access(initdb, os.X_OK) and os.access(pg_ctl, os.X_OK):
            return initdb, pg_ctl
    return None


def _install() -> tuple[str, str] | None:
    """Debian's postgresql package, when running as root with apt-get (CI does)."""
    return binaries() if install("postgresql") else None


def _owner() -> str | None:
    """The user the cluster runs as: ourselves, or `postgres` when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/bin/false",
                        "postgres"], capture_output=True, check=True)
    return "postgres"


def _run_as(owner: str | None, command: list[str], check: bool = True
            ) -> subprocess.CompletedProcess[str]:
    prefix = ["runuser", "-u", owner, "--"] if owner else []
    return subprocess.run([*prefix, *command], capture_output=True, text=True, check=check)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_cluster(initdb: str, pg_ctl: str) -> PostgresServer:
    owner = _owner()
    base = Path(tempfile.mkdtemp(prefix="steward-pg-"))
    base.chmod(0o755)
    data = base / "data"
    if owner:
        user = pwd.getpwnam(owner)
        os.chown(base, user.pw_uid, user.pw_gid)
    try:
        _run_as(owner, [initdb, "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                        "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"])
    except subprocess.CalledProcessError as error:
        shutil.rmtree(base, ignore_errors=True)
        raise ServerUnavailable(f"initdb failed: {error.stderr.strip()}") from error
    last_error = ""
    for _attempt in range(3):  # another process may take the free port before we do
        port = _free_port()
        options = (f"-p {port} -h 127.0.0.1 -k {base} -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=100")
        started = _run_as(owner, [pg_ctl, "-D", str(data), "-l", str(base / "server.log"),
                                  "-o", options, "-w", "-t", "60", "start"], check=False)
        if started.returncode == 0:
            url = make_conninfo(host="127.0.0.1", port=port, user=SUPERUSER, dbname="postgres")
            return PostgresServer(admin_url=url, data_dir=data, pg_ctl=pg_ctl, owner=owner)
        log = base / "server.log"
        last_error = (started.stderr.strip() or started.stdout.strip()) + (
            "\n" + log.read_text(errors="replace")[-2000:] if log.exists() else "")
    shutil.rmtree(base, ignore_errors=True)
    raise ServerUnavailable(f"PostgreSQL did not start: {last_error}")
