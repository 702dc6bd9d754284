"""Webhooks and receipts → typed events (`wabakit.events`), parsed by the provider that sent them."""

from __future__ import annotations

from typing import Iterable, List, Mapping, Optional, Tuple, Union

from . import _native
from .events import AnyEvent, from_dict


def parse(
    provider: str,
    headers: Union[Mapping[str, str], Iterable[Tuple[str, str]]],
    body: Union[bytes, str],
    secret: Optional[str] = None,
    max_age: Optional[float] = 60.0,
) -> List[AnyEvent]:
    """The events of a body as received; with `secret`, the callback must carry a valid signature
    (a provider whose callbacks are not signed refuses a secret) and, where the vendor signs a
    timestamp (NXCloud), one within `max_age` seconds of now: an older one is refused as a
    replay (`max_age=None` accepts any age). Each event is a `wabakit.events` dataclass
    (`MessageStatus`, `TemplateStatus`, `InboundMessage` …; `to_dict()` for the neutral dict)."""
    h = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return [from_dict(e) for e in _native.parse_webhook(provider, h, body, secret, max_age)]
