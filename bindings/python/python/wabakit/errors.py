"""wabakit's exceptions: one base, `WabaError`, and a class per kind of failure.

Every exception carries the provider, the provider's own code, the request id, whether a retry
is safe and may help (`retryable`), and what may have happened to the request (`delivery`:
"not_sent", "throttled" or "may_have_been_delivered").
"""

from __future__ import annotations

import builtins
from typing import Any, Dict, List, Mapping, Optional, Type


class WabaError(Exception):
    """The base of every wabakit error."""

    kind: str = "provider"

    def __init__(
        self,
        message: str,
        *,
        provider: Optional[str] = None,
        code: Optional[str] = None,
        request_id: Optional[str] = None,
        retryable: bool = False,
        delivery: str = "not_sent",
        http_status: Optional[int] = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.provider = provider
        self.code = code
        self.request_id = request_id
        self.retryable = retryable
        self.delivery = delivery
        self.http_status = http_status
        self.details = details

    @classmethod
    def _from_native(cls, message: str, info: Dict[str, Any]) -> "WabaError":
        err = cls(
            message,
            provider=info.get("provider"),
            code=info.get("code"),
            request_id=info.get("request_id"),
            retryable=bool(info.get("retryable")),
            delivery=str(info.get("delivery") or "not_sent"),
            http_status=info.get("http_status"),
            details=info.get("details"),
        )
        if isinstance(err, ValidationError):
            from .types import Problem

            err.problems = [Problem.from_dict(p) for p in info.get("problems") or []]
        return err


class ConfigError(WabaError):
    kind = "config"


class ValidationError(WabaError):
    """A template or message breaks rules; `problems` lists every one, with its path."""

    kind = "validation"

    def __init__(self, message: str, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.problems: List[Any] = []


class UnsupportedError(ValidationError):
    kind = "unsupported"


class AuthError(WabaError):
    kind = "auth"


class ClockSkewError(AuthError):
    kind = "clock_skew"


class RateLimitedError(WabaError):
    kind = "rate_limited"


class NotFoundError(WabaError):
    kind = "not_found"


class ProviderError(WabaError):
    kind = "provider"


class AlreadyExistsError(ProviderError):
    """What the request would create exists already (a template of that name and language)."""

    kind = "already_exists"


class RecipientError(ProviderError):
    """The recipient cannot receive the message (not a WhatsApp user, an invalid number)."""

    kind = "recipient"


class BillingError(ProviderError):
    """The account's balance or payment does not cover the request."""

    kind = "billing"


class TransportError(WabaError):
    kind = "transport"


class TimeoutError(TransportError, builtins.TimeoutError):  # noqa: A001 - the name users look for
    """The request timed out (`except TimeoutError` with the builtin catches it too)."""

    kind = "timeout"


_BY_KIND: Dict[str, Type[WabaError]] = {
    c.kind: c
    for c in (
        ConfigError,
        ValidationError,
        UnsupportedError,
        AuthError,
        ClockSkewError,
        RateLimitedError,
        NotFoundError,
        ProviderError,
        AlreadyExistsError,
        RecipientError,
        BillingError,
        TransportError,
        TimeoutError,
    )
}


def from_dict(d: Mapping[str, Any]) -> WabaError:
    """The exception an error dict describes (its `kind` picks the class), as a raised one would
    be: `SendResult.error` is one of these."""
    cls = _BY_KIND.get(str(d.get("kind")), WabaError)
    return cls._from_native(str(d.get("message") or ""), dict(d))


__all__ = [
    "WabaError",
    "ConfigError",
    "ValidationError",
    "UnsupportedError",
    "AuthError",
    "ClockSkewError",
    "RateLimitedError",
    "NotFoundError",
    "ProviderError",
    "AlreadyExistsError",
    "RecipientError",
    "BillingError",
    "TransportError",
    "TimeoutError",
]
