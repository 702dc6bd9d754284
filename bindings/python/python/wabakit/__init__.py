"""wabakit: one API for WhatsApp Business message templates (NXCloud, Alibaba Cloud ChatApp, Meta Cloud API)."""

from . import _native, alibaba, components, events, nxcloud, webhooks
from .campaign import Campaign
from .client import AsyncClient, AsyncSendStream, Client, SendStream
from .errors import (
    AlreadyExistsError,
    AuthError,
    BillingError,
    ClockSkewError,
    ConfigError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    RecipientError,
    TimeoutError,
    TransportError,
    UnsupportedError,
    ValidationError,
    WabaError,
)
from .receiver import Receiver, Store
from .sandbox import Sandbox
from .types import HttpRequest, Page, Problem, Receipt, SendResult, Template, TemplateInfo, TemplateMessage, TemplateRef

def show_recipients(on: bool = True) -> None:
    """Show recipients' numbers whole in wabakit's error messages (by default they are masked,
    `+86 139 ****0001`: errors end up in logs, and a number is personal data)."""
    _native.show_recipients(on)


__all__ = [
    "AlreadyExistsError",
    "AsyncClient",
    "AsyncSendStream",
    "AuthError",
    "BillingError",
    "Campaign",
    "Client",
    "ClockSkewError",
    "ConfigError",
    "HttpRequest",
    "NotFoundError",
    "Page",
    "Problem",
    "ProviderError",
    "RateLimitedError",
    "Receipt",
    "Receiver",
    "RecipientError",
    "Sandbox",
    "SendResult",
    "SendStream",
    "Store",
    "Template",
    "TemplateInfo",
    "TemplateMessage",
    "TemplateRef",
    "TimeoutError",
    "TransportError",
    "UnsupportedError",
    "ValidationError",
    "WabaError",
    "alibaba",
    "components",
    "events",
    "nxcloud",
    "show_recipients",
    "webhooks",
]
