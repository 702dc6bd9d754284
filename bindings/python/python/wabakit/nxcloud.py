"""NXCloud's request signature, as a plain function."""

from __future__ import annotations

from typing import Dict, Optional, Union

from . import _native


def sign(
    access_key: str,
    access_secret: str,
    ts: Union[int, str],
    biz_type: Union[int, str],
    action: str,
    body: Optional[Union[bytes, str]] = None,
    algorithm: str = "md5",
) -> Dict[str, str]:
    """{"sign": ..., "string_to_sign": ...}; `body` exactly as sent (None for multipart)."""
    return dict(_native.nxcloud_sign(access_key, access_secret, ts, biz_type, action, body, algorithm))
