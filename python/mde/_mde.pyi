"""Type stub of the native module mde._mde (checked by mypy.stubtest)."""

import datetime
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Tuple, Union, final

__all__ = ["reset_log_cache", "Client", "AsyncClient", "MachineAction", "CancelOutcome", "BulkProgress", "__version__"]

__version__: str

def reset_log_cache() -> None: ...

@final
class MachineAction:
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def is_final(self) -> bool: ...
    @property
    def machine_id(self) -> Optional[str]: ...
    @property
    def computer_dns_name(self) -> Optional[str]: ...
    @property
    def title(self) -> Optional[str]: ...
    @property
    def requestor(self) -> Optional[str]: ...
    @property
    def requestor_comment(self) -> Optional[str]: ...
    @property
    def cancellation_requestor(self) -> Optional[str]: ...
    @property
    def cancellation_comment(self) -> Optional[str]: ...
    @property
    def scope(self) -> Optional[str]: ...
    @property
    def external_id(self) -> Optional[str]: ...
    @property
    def request_source(self) -> Optional[str]: ...
    @property
    def error_hresult(self) -> Optional[int]: ...
    @property
    def creation_date_time_utc(self) -> Optional[datetime.datetime]: ...
    @property
    def last_update_date_time_utc(self) -> Optional[datetime.datetime]: ...
    @property
    def cancellation_date_time_utc(self) -> Optional[datetime.datetime]: ...
    @property
    def commands(self) -> List[Dict[str, Any]]: ...
    @property
    def related_file_info(self) -> Optional[Dict[str, Any]]: ...
    @property
    def troubleshoot_info(self) -> Optional[Any]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

_Statuses = Union[str, Sequence[str]]
_When = Union[datetime.datetime, str]

@final
class BulkProgress:
    @property
    def done(self) -> int: ...
    @property
    def total(self) -> int: ...
    @property
    def cancelled(self) -> int: ...
    @property
    def other(self) -> int: ...
    @property
    def rate(self) -> float: ...
    @property
    def eta(self) -> float: ...

@final
class CancelOutcome:
    @property
    def id(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def status(self) -> Optional[str]: ...
    @property
    def action(self) -> Optional[MachineAction]: ...
    @property
    def error(self) -> Optional[BaseException]: ...

@final
class Client:
    def __new__(
        cls,
        *,
        base_url: Optional[str] = None,
        cloud: Optional[str] = None,
        region: Optional[str] = None,
        token: Optional[str] = None,
        timeout: Optional[float] = None,
        rate_limits: Optional[Sequence[Tuple[int, float]]] = None,
        rate_limit_margin: Optional[float] = None,
        max_wait: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_base: Optional[float] = None,
        retry_cap: Optional[float] = None,
        tenant_id: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        client_certificate_path: Optional[str] = None,
        client_certificate_password: Optional[str] = None,
        authority_host: Optional[str] = None,
        scope: Optional[str] = None,
        ca_certificate_path: Optional[str] = None,
    ) -> Client: ...
    @staticmethod
    def from_env() -> Client: ...
    def cancel_action(self, action_id: str, comment: str) -> MachineAction: ...
    def get_action(self, action_id: str) -> MachineAction: ...
    def list_actions(
        self,
        *,
        status: Optional[_Statuses] = None,
        type: Optional[_Statuses] = None,
        machine_id: Optional[str] = None,
        requestor: Optional[str] = None,
        created_after: Optional[_When] = None,
        created_before: Optional[_When] = None,
        top: Optional[int] = None,
    ) -> List[MachineAction]: ...
    def cancel_actions(
        self,
        ids: Sequence[str],
        comment: str,
        progress: Optional[Callable[[BulkProgress], object]] = None,
        concurrency: int = 8,
    ) -> List[CancelOutcome]: ...
    def __enter__(self) -> Client: ...
    def __exit__(self, kind: Any, value: Any, tb: Any) -> bool: ...

@final
class AsyncClient:
    def __new__(
        cls,
        *,
        base_url: Optional[str] = None,
        cloud: Optional[str] = None,
        region: Optional[str] = None,
        token: Optional[str] = None,
        timeout: Optional[float] = None,
        rate_limits: Optional[Sequence[Tuple[int, float]]] = None,
        rate_limit_margin: Optional[float] = None,
        max_wait: Optional[float] = None,
        max_retries: Optional[int] = None,
        retry_base: Optional[float] = None,
        retry_cap: Optional[float] = None,
        tenant_id: Optional[str] = None,
        client_id: Optional[str] = None,
        client_secret: Optional[str] = None,
        client_certificate_path: Optional[str] = None,
        client_certificate_password: Optional[str] = None,
        authority_host: Optional[str] = None,
        scope: Optional[str] = None,
        ca_certificate_path: Optional[str] = None,
    ) -> AsyncClient: ...
    @staticmethod
    def from_env() -> AsyncClient: ...
    def cancel_action(self, action_id: str, comment: str) -> Awaitable[MachineAction]: ...
    def get_action(self, action_id: str) -> Awaitable[MachineAction]: ...
    def list_actions(
        self,
        *,
        status: Optional[_Statuses] = None,
        type: Optional[_Statuses] = None,
        machine_id: Optional[str] = None,
        requestor: Optional[str] = None,
        created_after: Optional[_When] = None,
        created_before: Optional[_When] = None,
        top: Optional[int] = None,
    ) -> Awaitable[List[MachineAction]]: ...
    def cancel_actions(
        self,
        ids: Sequence[str],
        comment: str,
        progress: Optional[Callable[[BulkProgress], object]] = None,
        concurrency: int = 8,
    ) -> Awaitable[List[CancelOutcome]]: ...
    def close(self) -> None: ...
    def __aenter__(self) -> Awaitable[AsyncClient]: ...
    def __aexit__(self, kind: Any, value: Any, tb: Any) -> Awaitable[bool]: ...
