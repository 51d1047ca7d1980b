"""``bytehouse-odbc`` of an installed wheel, run as a user would, with HOME and ODBCSYSINI in temporary
folders (never /etc): register and unregister in the system and the user file, what unixODBC then
lists, and the errors."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from libbytehouse.driver import BUNDLED_LIBRARY

COMMAND = shutil.which("bytehouse-odbc")


@pytest.fixture
def environment(tmp_path):
    home, system = tmp_path / "home", tmp_path / "etc"
    home.mkdir()
    system.mkdir()
    return {**os.environ, "HOME": str(home), "ODBCSYSINI": str(system)}


def run(environment, *arguments, expect=0):
    done = subprocess.run([COMMAND, *arguments], env=environment, capture_output=True, text=True, check=False)
    assert done.returncode == expect, done.stdout + done.stderr
    return done.stdout + done.stderr


def entries(path):
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path)
    return {name: dict(parser[name]) for name in parser.sections()}


def drivers_seen(environment):
    """pyodbc's driver list, from a process of its own: unixODBC reads HOME and ODBCSYSINI at start."""
    listing = subprocess.run(
        [sys.executable, "-c", "import pyodbc; print('\\n'.join(pyodbc.drivers()))"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return listing.stdout.split()


def test_path_is_the_bundled_library():
    assert run(os.environ, "path").strip() == str(BUNDLED_LIBRARY)
    assert BUNDLED_LIBRARY.is_file()


@pytest.mark.parametrize("user", [False, True], ids=["system", "user"])
def test_register_writes_one_entry_and_unregister_removes_it(environment, user):
    flag = ["--user"] if user else []
    written = Path(environment["HOME"]) / ".odbcinst.ini" if user else Path(environment["ODBCSYSINI"]) / "odbcinst.ini"
    untouched = (
        Path(environment["ODBCSYSINI"]) / "odbcinst.ini" if user else Path(environment["HOME"]) / ".odbcinst.ini"
    )

    said = run(environment, "register", *flag)
    assert f"registered [ByteHouse] = {BUNDLED_LIBRARY} in {written}" in said
    run(environment, "register", *flag)  # again: still one entry, counted once
    assert entries(written) == {
        "ByteHouse": {
            "description": "ByteHouse / ClickHouse ODBC driver (libbytehouse)",
            "driver": str(BUNDLED_LIBRARY),
            "threading": "0",
            "usagecount": "1",
        }
    }
    assert not untouched.exists() or entries(untouched) == {}
    assert "ByteHouse" in drivers_seen(environment)

    assert f"removed [ByteHouse] from {written}" in run(environment, "unregister", *flag)
    assert entries(written) == {}
    assert "ByteHouse" not in drivers_seen(environment)
    assert "was not registered" in run(environment, "unregister", *flag)


def test_unregister_removes_an_entry_installed_many_times(environment):
    template = Path(environment["HOME"]) / "template.ini"
    template.write_text(f"[ByteHouse]\nDriver = {BUNDLED_LIBRARY}\n")
    for _ in range(3):
        subprocess.run(["odbcinst", "-i", "-d", "-f", str(template)], env=environment, check=True, capture_output=True)
    run(environment, "unregister")
    assert entries(Path(environment["ODBCSYSINI"]) / "odbcinst.ini") == {}


def test_other_entries_are_kept(environment):
    system = Path(environment["ODBCSYSINI"]) / "odbcinst.ini"
    system.write_text("[PostgreSQL]\nDriver = /usr/lib/psqlodbcw.so\n")
    run(environment, "register", "--name", "ByteHouse Test")
    run(environment, "unregister", "--name", "ByteHouse Test")
    assert entries(system) == {"PostgreSQL": {"driver": "/usr/lib/psqlodbcw.so"}}


@pytest.mark.parametrize("port", ["CLICKHOUSE_PORT", "CLICKHOUSE_MODERN_PORT"])
def test_a_registered_driver_connects_by_name(environment, port):
    run(environment, "register", "--user")
    query = (
        "import os, pyodbc\n"
        "connection = pyodbc.connect('DRIVER={ByteHouse};Host=' + os.environ['CLICKHOUSE_HOST'] + "
        f"';Port=' + os.environ['{port}'])\n"
        "print(connection.cursor().execute('SELECT 40 + 2').fetchval())\n"
    )
    done = subprocess.run([sys.executable, "-c", query], env=environment, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "42"


def test_errors_are_clear(environment):
    without_odbcinst = {**environment, "PATH": str(Path(environment["HOME"]))}
    said = run(without_odbcinst, "register", expect=1)
    assert "odbcinst was not found" in said
    assert "cannot be a driver name" in run(environment, "register", "--name", "a]b", expect=1)
    nowhere = {**environment, "ODBCSYSINI": str(Path(environment["HOME"]) / "missing")}
    assert "odbcinst.ini cannot be written: use sudo, or --user" in run(nowhere, "register", expect=1)
