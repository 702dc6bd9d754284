"""Webhooks and receipts → neutral event dicts, parsed by the provider that sent them."""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native


def parse(
    provider: str,
    headers: Union[Mapping[str, str], Iterable[Tuple[str, str]]],
    body: Union[bytes, str],
    secret: Optional[str] = None,
    max_age: Optional[float] = 60.0,
) -> List[Dict[str, Any]]:
    """The events of a body as received; with `secret`, the callback must carry a valid signature
    (a provider whose callbacks are not signed refuses a secret) and, where the vendor signs a
    timestamp (NXCloud), one within `max_age` seconds of now: an older one is refused as a
    replay (`max_age=None` accepts any age)."""
    h = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return [dict(e) for e in _native.parse_webhook(provider, h, body, secret, max_age)]
