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
    """A throttle said wait. The message names the wait in minutes
    (``minutes``); ``retry_after`` is the same wait in seconds, for the
    ``Retry-After`` header every 429 answer carries (a program reads that)."""

    status = 429

    @property
    def retry_after(self) -> int:
        minutes = self.params.get("minutes", 1)
        return max(1, int(minutes) if isinstance(minutes, int) else 1) * 60


def retry_headers(exc: BaseException) -> dict[str, str]:
    """``Retry-After`` for a RateLimitedError, nothing for any other error."""
    return {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimitedError) else {}
