"""wabakit: one API for WhatsApp Business message templates (NXCloud, Alibaba Cloud ChatApp, Meta Cloud API)."""

from . import alibaba, components, events, nxcloud, webhooks
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
    "webhooks",
]
