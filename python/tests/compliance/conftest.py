"""SQLAlchemy's testing plugin, with the dialect registered under both of its URL names."""

import pytest
from sqlalchemy.dialects import registry

registry.register("bytehouse", "libbytehouse.sqlalchemy.dialect", "ByteHouseDialect")
registry.register("bytehouse.pyodbc", "libbytehouse.sqlalchemy.dialect", "ByteHouseDialect")

pytest.register_assert_rewrite("sqlalchemy.testing.assertions")

from sqlalchemy.testing.plugin.pytestplugin import *  # noqa: E402, F403
