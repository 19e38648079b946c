"""The desktop window (PySide6). Only this package imports Qt; it never
imports SQLAlchemy and never opens a session: every read and change goes
through a service function, run on the one database worker (``worker.py``).
"""
