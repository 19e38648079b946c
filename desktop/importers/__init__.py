"""Files that come in: 12345 hotline and grid-worker work-order tables (CSV in
any encoding Chinese Excel writes, or .xlsx). Reading only, no database: the
service ``desktop.storage.services.imports`` writes what is read here.
"""

from desktop.importers.hotline import HotlineRow, HotlineTable, read_hotline
from desktop.importers.tabular import ImportFileError

__all__ = ["HotlineRow", "HotlineTable", "ImportFileError", "read_hotline"]
