"""The one exception an operation is refused with while a batch is applied."""

from __future__ import annotations


class Rejected(Exception):
    """An operation that cannot be applied; the message goes back to the PC
    (with ``duplicate_of`` when the server already holds the row under another id)."""

    def __init__(self, message: str, *, duplicate_of: str = "") -> None:
        super().__init__(message)
        self.duplicate_of = duplicate_of
