"""Local storage of a room: SQLAlchemy 2 models over one SQLite file, migrations,
the services that change data (each writes its rows and their outbox
operations in one transaction), search, statistics and backups.

This is the only package that opens a database session on the desktop.
"""
