"""The exceptions of mde: one class per kind of error, all under ``MdeError``."""

from typing import Optional


class MdeError(Exception):
    """Any failure of an mde call.

    ``status`` is the stable name of the kind (for example ``"NOT_FOUND"``),
    ``http_status`` the HTTP status of the service's answer (None when none came),
    ``code``, ``message`` and ``target`` the service's error code, message and
    correlation id (``message`` is the library's description when the service sent
    none), ``attempts`` the number of HTTP attempts made. ``str(error)`` says what
    happened and what to do next.
    """

    status: str = ""
    http_status: Optional[int] = None
    code: Optional[str] = None
    message: str = ""
    target: Optional[str] = None
    attempts: int = 0


class InvalidArgumentError(MdeError, ValueError):
    """A bad argument or configuration; nothing was sent."""


class NotFoundError(MdeError):
    """No machine action has that id (HTTP 404)."""


class NotCancellableError(MdeError):
    """The action is already final; ``action_status`` says which status."""

    action_status: str = ""


class AuthenticationError(MdeError):
    """The token is missing, invalid or expired (HTTP 401), or sign-in failed."""


class PermissionDeniedError(MdeError):
    """The token lacks the permission the call needs (HTTP 403)."""


class RateLimitError(MdeError):
    """Throttled by the service (HTTP 429) or by the client-side budget.

    ``retry_after`` is the number of seconds until budget frees up, when known.
    """

    retry_after: Optional[float] = None


class RequestTimeoutError(MdeError, TimeoutError):
    """No answer within the configured timeout."""


class NetworkError(MdeError):
    """The connection failed or dropped."""


class ServerError(MdeError):
    """The service failed (HTTP 5xx)."""


class BadResponseError(MdeError):
    """The service's answer could not be read."""


class ApiError(MdeError):
    """Any other HTTP error; see ``http_status`` and ``code``."""


__all__ = [
    "MdeError",
    "InvalidArgumentError",
    "NotFoundError",
    "NotCancellableError",
    "AuthenticationError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "NetworkError",
    "ServerError",
    "BadResponseError",
    "ApiError",
]

# The classes are public under ``mde``: say so in their names and reprs.
for _name in __all__:
    globals()[_name].__module__ = "mde"
del _name
