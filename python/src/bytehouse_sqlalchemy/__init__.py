"""The module name bytehouse-sqlalchemy's users import (``from bytehouse_sqlalchemy import engines``),
so that their code runs unchanged on libbytehouse's dialect."""

from libbytehouse.sqlalchemy import ByteHouseDialect, Select, engines, select, types

__all__ = ["ByteHouseDialect", "Select", "engines", "select", "types"]
