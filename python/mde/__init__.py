"""Cancel Microsoft Defender for Endpoint machine actions.

``mde.Client`` (blocking) and ``mde.AsyncClient`` (asyncio) call the service with its
exact rate limits, retries that are safe for a POST, and one exception hierarchy
under ``mde.MdeError``. Both are configured with the JSON configuration keys of
mde-core as keywords, durations in seconds::

    import mde
    client = mde.Client(token="...", region="eu")
    action = client.cancel_action("988cc94e-7a8f-4b28-ab65-54970c5d5018", "isolated by mistake")
"""

import logging

from ._errors import (
    ApiError,
    AuthenticationError,
    BadResponseError,
    InvalidArgumentError,
    MdeError,
    NetworkError,
    NotCancellableError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestTimeoutError,
    ServerError,
)
from ._mde import AsyncClient, BulkProgress, CancelOutcome, Client, MachineAction, __version__, reset_log_cache

# Records go to the "mde" logger; the application decides where they end up.
logging.getLogger("mde").addHandler(logging.NullHandler())


class ActionStatus:
    """The statuses the service documents (``MachineAction.status`` is a plain str,
    and keeps values not listed here)."""

    PENDING = "Pending"
    IN_PROGRESS = "InProgress"
    SUCCEEDED = "Succeeded"
    FAILED = "Failed"
    TIMEOUT = "TimeOut"
    CANCELLED = "Cancelled"
    FINAL = frozenset({SUCCEEDED, FAILED, TIMEOUT, CANCELLED})


class ActionType:
    """The action types the service documents (``MachineAction.type`` is a plain str)."""

    RUN_ANTIVIRUS_SCAN = "RunAntiVirusScan"
    OFFBOARD = "Offboard"
    LIVE_RESPONSE = "LiveResponse"
    COLLECT_INVESTIGATION_PACKAGE = "CollectInvestigationPackage"
    ISOLATE = "Isolate"
    UNISOLATE = "Unisolate"
    STOP_AND_QUARANTINE_FILE = "StopAndQuarantineFile"
    RESTRICT_CODE_EXECUTION = "RestrictCodeExecution"
    UNRESTRICT_CODE_EXECUTION = "UnrestrictCodeExecution"


def refresh_log_levels() -> None:
    """Call after changing the level of the ``mde`` logger: levels are cached."""
    reset_log_cache()


__all__ = [
    "ActionStatus",
    "ActionType",
    "ApiError",
    "AsyncClient",
    "AuthenticationError",
    "BulkProgress",
    "CancelOutcome",
    "BadResponseError",
    "Client",
    "InvalidArgumentError",
    "MachineAction",
    "MdeError",
    "NetworkError",
    "NotCancellableError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestTimeoutError",
    "ServerError",
    "__version__",
    "refresh_log_levels",
]
