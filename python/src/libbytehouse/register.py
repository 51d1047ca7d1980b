"""``bytehouse-odbc``: registers the driver bundled in this package with unixODBC.

pyodbc and SQLAlchemy find the bundled driver without this (see :mod:`libbytehouse.driver`); other
ODBC applications (isql, DBeaver, Excel-style tools) need it registered by name in odbcinst.ini:

* ``bytehouse-odbc register`` writes the system file (the one ``odbcinst -j`` names as DRIVERS,
  which ``$ODBCSYSINI`` moves), ``--user`` the user's ``~/.odbcinst.ini``, which unixODBC also reads;
* ``bytehouse-odbc unregister [--user]`` removes the entry;
* ``bytehouse-odbc path`` prints the bundled library.

The writing is unixODBC's own ``odbcinst`` tool, pointed at the user's file through ``ODBCSYSINI`` and
``ODBCINSTINI`` for ``--user``. odbcinst counts installs (UsageCount) for package managers; a
registration here is one decision of the user's, so ``register`` replaces an entry of the same name
and ``unregister`` removes it whatever its count.
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

from .driver import BUNDLED_LIBRARY, REGISTERED_NAME

# odbcinst -u lowers UsageCount by one; an entry is gone after at most this many (a guard, not a limit
# anyone reaches: each install raises the count by one).
MOST_UNINSTALLS = 1000
USER_FILE = ".odbcinst.ini"


class RegistrationError(RuntimeError):
    """odbcinst is missing or failed; the message says what to do."""


def odbcinst_environment(user: bool, environ: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    """The environment in which odbcinst writes the chosen file: for ``--user``, ``~/.odbcinst.ini``."""
    environment = dict(os.environ if environ is None else environ)
    if user:
        environment["ODBCSYSINI"] = str(Path(environment.get("HOME") or Path.home()))
        environment["ODBCINSTINI"] = USER_FILE
    return environment


def _odbcinst(arguments: List[str], environment: Dict[str, str]) -> str:
    program = shutil.which("odbcinst", path=environment.get("PATH"))
    if program is None:
        raise RegistrationError("odbcinst was not found: install unixODBC (Debian: apt-get install odbcinst)")
    done = subprocess.run([program, *arguments], capture_output=True, text=True, env=environment, check=False)
    if done.returncode != 0:
        raise RegistrationError(f"odbcinst {' '.join(arguments)} failed: {(done.stderr or done.stdout).strip()}")
    return done.stdout


def drivers_file(environment: Dict[str, str]) -> str:
    """The odbcinst.ini that odbcinst writes in this environment, from its ``-j`` DRIVERS line (which
    names only the folder when ``ODBCINSTINI`` names the file)."""
    for line in _odbcinst(["-j"], environment).splitlines():
        key, _, value = line.partition(":")
        if key.strip(" .") == "DRIVERS":
            value = value.strip()
            return value + environment.get("ODBCINSTINI", "odbcinst.ini") if value.endswith("/") else value
    raise RegistrationError("odbcinst -j named no DRIVERS file")


def is_registered(name: str, file: str) -> bool:
    """Whether the file itself has the entry (``odbcinst -q`` would also see the other file's)."""
    entries = configparser.ConfigParser(interpolation=None, strict=False, allow_no_value=True)
    try:
        entries.read(file)
    except configparser.Error as error:
        raise RegistrationError(f"{file} cannot be read as an ini file: {error}") from None
    return entries.has_section(name)


def unregister(name: str, environment: Dict[str, str]) -> bool:
    """Removes the entry, however many times it was installed; False when there was none."""
    file = drivers_file(environment)
    if not is_registered(name, file):
        return False
    for _ in range(MOST_UNINSTALLS):
        _odbcinst(["-u", "-d", "-n", name], environment)
        if not is_registered(name, file):
            return True
    raise RegistrationError(f"odbcinst kept [{name}] after {MOST_UNINSTALLS} uninstalls")


def register(name: str, library: Path, environment: Dict[str, str]) -> None:
    if "\n" in name or "]" in name:
        raise RegistrationError(f"{name!r} cannot be a driver name in odbcinst.ini")
    unregister(name, environment)
    template = (
        f"[{name}]\n"
        "Description = ByteHouse / ClickHouse ODBC driver (libbytehouse)\n"
        f"Driver = {library}\n"
        "Threading = 0\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".ini", prefix="bytehouse-odbcinst-") as file:
        file.write(template)
        file.flush()
        _odbcinst(["-i", "-d", "-f", file.name], environment)


def bundled_library() -> Path:
    if not BUNDLED_LIBRARY.is_file():
        raise RegistrationError(f"{BUNDLED_LIBRARY} is missing: this installation of libbytehouse bundles no driver")
    return BUNDLED_LIBRARY


def check_writable(file: str, user: bool) -> None:
    """odbcinst's own message for a file it cannot write is only "failed"; this one says why."""
    existing = Path(file) if Path(file).exists() else Path(file).parent
    if not os.access(existing, os.W_OK):
        raise RegistrationError(f"{file} cannot be written" + ("" if user else ": use sudo, or --user"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bytehouse-odbc", description="Register the libbytehouse ODBC driver of this package with unixODBC."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for command, what in (
        ("register", "add the bundled driver to odbcinst.ini"),
        ("unregister", "remove the driver from odbcinst.ini"),
    ):
        sub = commands.add_parser(command, help=what)
        sub.add_argument("--user", action="store_true", help="the user's ~/.odbcinst.ini, not the system file")
        sub.add_argument("--name", default=REGISTERED_NAME, help=f"the driver's name (default {REGISTERED_NAME})")
    commands.add_parser("path", help="print the path of the bundled driver library")
    return parser


def main(argv: Optional[List[str]] = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "path":
            print(bundled_library())
            return 0
        environment = odbcinst_environment(arguments.user)
        where = drivers_file(environment)
        check_writable(where, arguments.user)
        if arguments.command == "register":
            library = bundled_library()
            register(arguments.name, library, environment)
            print(f"registered [{arguments.name}] = {library} in {where}")
        elif unregister(arguments.name, environment):
            print(f"removed [{arguments.name}] from {where}")
        else:
            print(f"[{arguments.name}] was not registered in {where}")
        return 0
    except RegistrationError as error:
        print(f"bytehouse-odbc: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
