"""Yishi's county server: rooms, device enrolment, the public pages behind the
QR posters, the county dashboard and, later, the sync endpoints. It reuses the
room's record tables and domain rules from ``desktop`` so rows move 1:1."""

__version__ = "0.1.0"
