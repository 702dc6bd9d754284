"""Alibaba Cloud's request signatures (ACS3-HMAC-SHA256 and the legacy HMAC-SHA1), as functions."""

from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Tuple, Union

from . import _native

Pairs = Union[Mapping[str, str], Iterable[Tuple[str, str]]]


def sign_v3(
    method: str,
    host: str,
    query: Pairs,
    headers: Pairs,
    body: Union[bytes, str],
    access_key_id: str,
    access_key_secret: str,
    signed_headers: Optional[List[str]] = None,
) -> Dict[str, str]:
    """Canonical request, string to sign, signature and Authorization of a V3 request."""
    q = list(query.items()) if isinstance(query, Mapping) else list(query)
    h = list(headers.items()) if isinstance(headers, Mapping) else list(headers)
    return dict(_native.alibaba_sign_v3(method, host, q, h, body, access_key_id, access_key_secret, signed_headers))


def sign_v1(method: str, params: Pairs, access_key_secret: str) -> Dict[str, str]:
    """Canonicalized query, string to sign and Base64 signature of a legacy RPC request."""
    p = list(params.items()) if isinstance(params, Mapping) else list(params)
    return dict(_native.alibaba_sign_v1(method, p, access_key_secret))
