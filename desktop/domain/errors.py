"""Errors the domain raises. Each carries a message a convenor understands,
written in Chinese and translated when shown (``str(err)``).
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the room was broken; nothing was changed."""

    def __init__(self, message: str, /, **params: object) -> None:
        super().__init__(message)
        self.source = message
        self.params = params

    def __str__(self) -> str:
        from desktop.i18n import tr

        # string parameters (field names, status labels) are Chinese terms too
        params = {k: tr(v) if isinstance(v, str) else v for k, v in self.params.items()}
        return tr(self.source, **params)


class TransitionError(DomainError):
    """A status change the lifecycle table does not allow."""


class NotFound(DomainError):
    """The record asked for does not exist (or was deleted)."""


class ValidationError(DomainError):
    """Input that cannot be stored as it is."""
