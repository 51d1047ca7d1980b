"""URLs to connection strings, and finding the driver: no server needed."""

from pathlib import Path

import pytest
from sqlalchemy.engine import URL, make_url

from libbytehouse.driver import DriverNotFound, find_driver
from libbytehouse.sqlalchemy import connect_args as args

DRIVER = "/opt/libbytehouse.so"


def connection_string(url):
    (text,), _ = args.connect_args(make_url(url) if isinstance(url, str) else url, driver=DRIVER)
    return text


def test_region_account_user_password_database():
    assert connection_string(
        "bytehouse:///?region=AP-SOUTHEAST-1&account=AC1&user=alice&password=pw&database=sales"
    ) == ("DRIVER=/opt/libbytehouse.so;Region=AP-SOUTHEAST-1;Account=AC1;UID=alice;PWD=pw;Database=sales")


def test_host_port_forms_and_api_key():
    assert connection_string("bytehouse://gw.example:19000/?user=bytehouse&password=key-1&database=db") == (
        "DRIVER=/opt/libbytehouse.so;Host=gw.example;Port=19000;UID=bytehouse;PWD=key-1;Database=db"
    )
    url = URL.create("bytehouse", username="bytehouse", password="k;}y", host="h", port=9000, database="d")
    assert connection_string(url) == "DRIVER=/opt/libbytehouse.so;Host=h;Port=9000;UID=bytehouse;PWD={k;}}y};Database=d"


def test_clickhouse_driver_option_names_become_driver_keys():
    text = connection_string(
        "bytehouse://h/?secure=True&verify=false&ca_certs=/ca.pem&connect_timeout=2.5&send_receive_timeout=30"
        "&compression=lz4&vw=wh1&role=analyst&setting.max_threads=2&StringMaxLength=256"
    )
    assert text == (
        "DRIVER=/opt/libbytehouse.so;Host=h;Secure=1;SkipVerification=1;CAFile=/ca.pem;ConnectTimeout=3;"
        "SendReceiveTimeout=30;Compression=1;VirtualWarehouse=wh1;Role=analyst;setting.max_threads=2;"
        "StringMaxLength=256"
    )


def test_pyodbc_arguments_and_dialect_keys_stay_out_of_the_string():
    url = make_url("bytehouse://h/?autocommit=false&engine_reflection=false&driver=/x.so")
    (text,), kwargs = args.connect_args(url, driver=DRIVER)
    assert text == "DRIVER=/opt/libbytehouse.so;Host=h"
    assert kwargs == {"autocommit": False}


def test_odbc_connect_is_taken_as_it_is():
    url = make_url("bytehouse:///?odbc_connect=Host%3Dh%3BPort%3D9000")
    assert connection_string(url) == "DRIVER=/opt/libbytehouse.so;Host=h;Port=9000"


def test_a_bad_boolean_is_named():
    with pytest.raises(ValueError, match="'secure' must be true or false"):
        connection_string("bytehouse://h/?secure=maybe")


def test_driver_lookup_order(tmp_path: Path):
    library = tmp_path / "libbytehouse.so"
    library.write_bytes(b"")
    never_registered = lambda: []  # noqa: E731
    assert find_driver(str(library), environ={}, registered=never_registered) == str(library)
    environ = {"BYTEHOUSE_ODBC_DRIVER": str(library)}
    assert find_driver(None, environ=environ, registered=never_registered) == str(library)
    assert find_driver(None, environ={}, registered=lambda: ["ByteHouse"]) == "ByteHouse"
    assert find_driver(None, environ={}, registered=never_registered, bundled=library) == str(library)


def test_driver_not_found_says_what_to_do(tmp_path: Path):
    with pytest.raises(DriverNotFound, match=r"BYTEHOUSE_ODBC_DRIVER=/path/to/libbytehouse\.so"):
        find_driver(None, environ={}, registered=lambda: [], bundled=tmp_path / "none.so")
    with pytest.raises(DriverNotFound, match="not registered"):
        find_driver("Nope", environ={}, registered=lambda: ["ByteHouse"])
    with pytest.raises(DriverNotFound, match="not a file"):
        find_driver(str(tmp_path / "missing.so"), environ={}, registered=lambda: [])
