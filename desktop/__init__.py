"""Yishi (议事) desktop client: the consultation room's own program.

Layers, bottom up: ``domain`` (pure rules), ``storage`` (SQLite and services),
``importers``, ``printing``, ``sync`` and finally ``ui`` (the only Qt code).
"""

__version__ = "0.1.0"
