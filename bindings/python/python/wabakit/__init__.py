"""wabakit: one API for WhatsApp Business message templates (NXCloud, Alibaba Cloud ChatApp)."""

from . import alibaba, nxcloud, webhooks
from .client import AsyncClient, Client
from .errors import (
    AuthError,
    ClockSkewError,
    ConfigError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    TimeoutError,
    TransportError,
    UnsupportedError,
    ValidationError,
    WabaError,
)
from .sandbox import Sandbox
from .types import HttpRequest, Page, Problem, Receipt, SendResult, Template, TemplateInfo, TemplateMessage, TemplateRef

__all__ = [
    "AsyncClient",
    "AuthError",
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
    "Sandbox",
    "SendResult",
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
    "nxcloud",
    "webhooks",
]
