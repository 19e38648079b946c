"""Errors the server raises, each with a Chinese message for the person who
sees it and the HTTP status it becomes. Nothing raised here leaves anything
half-written: services raise before or instead of committing."""

from __future__ import annotations

from desktop.domain.errors import DomainError


class ServerError(DomainError):
    status = 400


class NotFoundError(ServerError):
    status = 404


class AuthError(ServerError):
    """No token, a wrong one, or a revoked one."""

    status = 401


class ForbiddenError(ServerError):
    """A valid token asking for another room's data."""

    status = 403


class TooLargeError(ServerError):
    status = 413


class UnsupportedError(ServerError):
    status = 415


class RateLimitedError(ServerError):
    status = 429
