"""Every Python snippet of bytehouse-sqlalchemy's README (seed/bytehouse-sqlalchemy-README.md, copied
unchanged), run as its users run it.

The snippets are read from the README itself; the only change made to their text is turning the
placeholders ``$HOST``, ``$PORT``, ... into the Python variables ``HOST``, ``PORT``, ... that the test
defines. Region URLs cannot reach ByteHouse from here: they are checked up to the connection string
and the gateway the driver resolves them to. The host forms run against both local servers.

Two ORM snippets use SQLAlchemy 1.4's bound metadata (``MetaData(bind=engine)``,
``User.__table__.create()``), which SQLAlchemy 2.0 removed: on 2.x the test shows the unchanged
snippet failing in SQLAlchemy itself, then runs it with the engine passed explicitly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyodbc
import pytest
import sqlalchemy
from sqlalchemy import MetaData, create_engine, text

from conftest import API_KEY, HOST
from gateway import GatewayProcess

README = Path(__file__).parent / "seed" / "bytehouse-sqlalchemy-README.md"
SQLALCHEMY_2 = sqlalchemy.__version__.startswith("2.")


def snippets() -> list:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def snippet(marker: str) -> str:
    """The one snippet containing ``marker``, with its placeholders as variable names."""
    found = [code for code in snippets() if marker in code]
    assert len(found) == 1, f"{len(found)} snippets contain {marker!r}"
    return found[0].replace("$", "")


def run(marker: str, namespace: dict) -> None:
    exec(compile(snippet(marker), f"<README snippet {marker!r}>", "exec"), namespace)


def test_every_snippet_is_covered():
    markers = [
        "region={}&account",
        "bytehouse://{}:{}/?account",
        "region={}&user=bytehouse",
        "bytehouse://{}:{}/?user=bytehouse",
        "URL.create(",
        'text("SELECT 1")',
        "with connection.begin()",
        "from sqlalchemy import MetaData\n",
        "import Table, Column, Integer, String, func\n",
        "metadata_obj.create_all",
        "result_set =",
        "declarative_base",
        "User.__table__.create()",
        "session.add_all",
        "session.scalars",
    ]
    # The ORM section repeats the region engine; the first marker finds both copies.
    assert len(snippets()) == len(markers) + 1
    for marker in markers:
        assert [code for code in snippets() if marker in code], marker


REGION_VALUES = {
    "REGION": "AP-SOUTHEAST-1",
    "ACCOUNT": "AC1",
    "USER": "alice",
    "PASSWORD": "pw",
    "API_KEY": "key-1",
    "DATABASE": "sales",
}


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        ("region={}&account", "Region=AP-SOUTHEAST-1;Account=AC1;UID=alice;PWD=pw;Database=sales"),
        ("region={}&user=bytehouse", "Region=AP-SOUTHEAST-1;UID=bytehouse;PWD=key-1;Database=sales"),
    ],
)
def test_region_forms_become_connection_strings(marker, expected):
    for code in [code for code in snippets() if marker in code]:
        namespace = dict(REGION_VALUES)
        exec(code.replace("$", ""), namespace)
        engine = namespace["engine"]
        (connection_string,), _ = engine.dialect.create_connect_args(engine.url)
        assert connection_string.split(";", 1)[1] == expected


def test_a_region_resolves_to_its_gateway_over_tls():
    """With no internet here, the driver's error shows where the region led: the gateway's name."""
    namespace = dict(REGION_VALUES)
    run("region={}&user=bytehouse", namespace)
    with pytest.raises(sqlalchemy.exc.DBAPIError) as failure:
        namespace["engine"].connect()
    assert "gateway.aws-ap-southeast-1.bytehouse.cloud" in str(failure.value)
    assert "key-1" not in str(failure.value)


ACCOUNT, USER, PASSWORD = "acme", "tester", "secret"


@pytest.fixture
def gateway(server):
    """ByteHouse's login of user `tester` of account `acme` in front of the server (see gateway.py)."""
    gateway = GatewayProcess(server.port, f"{ACCOUNT}::{USER}", PASSWORD, user="default", password="")
    yield gateway
    gateway.close()


def host_values(server, gateway, database) -> dict:
    """The placeholders of the host forms: the account's login goes through the gateway."""
    return {
        "HOST": HOST,
        "PORT": gateway.port,
        "ACCOUNT": ACCOUNT,
        "USER": USER,
        "PASSWORD": PASSWORD,
        "DATABASE": database,
        "API_KEY": API_KEY,
    }


def current_user(engine) -> str:
    """The user the server runs this query for (18.16 has no currentUser())."""
    with engine.connect() as connection:
        query = "SELECT any(user) FROM system.processes WHERE query LIKE '%the user marker%'"
        return connection.execute(text(query)).scalar()


def test_host_and_account_form_logs_in_as_account_user(server, gateway, database, capsys):
    namespace = host_values(server, gateway, database)
    run("bytehouse://{}:{}/?account", namespace)
    run('text("SELECT 1")', namespace)
    assert capsys.readouterr().out == "1\n"
    namespace["engine"].dispose()
    gateway.close()
    assert gateway.logins() == ["acme::tester"]


# URL.create's snippet uses the create_engine imported by the snippet before it, as a reader's session would.
@pytest.mark.parametrize(
    "markers", [["bytehouse://{}:{}/?user=bytehouse"], ["bytehouse://{}:{}/?user=bytehouse", "URL.create("]]
)
def test_host_and_api_key_forms_log_in_as_bytehouse(server, gateway, database, markers, capsys):
    namespace = {**host_values(server, gateway, database), "PORT": server.port}
    for marker in markers:
        run(marker, namespace)
    assert current_user(namespace["engine"]) == "bytehouse"
    run('text("SELECT 1")', namespace)
    assert capsys.readouterr().out == "1\n"
    namespace["engine"].dispose()


def test_core_snippets(server, gateway, database):
    namespace = host_values(server, gateway, database)
    run("bytehouse://{}:{}/?account", namespace)
    engine = namespace["engine"]
    namespace["metadata"] = MetaData()  # the README's Core snippets use `metadata` without defining it
    run("from sqlalchemy import MetaData\n", namespace)
    run("import Table, Column, Integer, String, func\n", namespace)
    # This snippet defines `user` again on `metadata`, which SQLAlchemy refuses in the same session, so it
    # runs on its own; as written it creates and drops its own empty MetaData (the table is on `metadata`).
    run("metadata_obj.create_all", {"engine": engine, "metadata": MetaData()})
    namespace["user_table"].create(engine)
    run("with connection.begin()", namespace)
    run("result_set =", namespace)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT user_id, user_name FROM user ORDER BY user_id, user_name")).fetchall()
    assert [tuple(row) for row in rows] == [(7, "Jane"), (7, "Jane"), (8, "Adam")]
    engine.dispose()


def test_orm_snippets(server, gateway, database, capsys):
    namespace = host_values(server, gateway, database)
    run("bytehouse://{}:{}/?account", namespace)
    mapping, create = snippet("declarative_base"), snippet("User.__table__.create()")
    if SQLALCHEMY_2:
        with pytest.raises(TypeError, match="bind"):
            exec(mapping, dict(namespace))
        mapping = mapping.replace("MetaData(bind=engine)", "MetaData()")
        create = create.replace("create()", "create(engine)")
    exec(mapping, namespace)
    exec(create, namespace)
    run("session.add_all", namespace)
    run("session.scalars", namespace)
    assert sorted(capsys.readouterr().out.split()) == ["sandy", "spongebob"]
    namespace["session"].close()
    namespace["engine"].dispose()


def test_the_driver_is_what_pyodbc_loads(server):
    """The dialect's connections are pyodbc connections to libbytehouse."""
    engine = create_engine(server.url)
    with engine.connect() as connection:
        dbapi_connection = connection.connection.dbapi_connection
        assert isinstance(dbapi_connection, pyodbc.Connection)
        assert dbapi_connection.getinfo(pyodbc.SQL_DRIVER_NAME) == "libbytehouse.so"
    engine.dispose()
