"""`Sandbox`: every built-in provider's fake server on 127.0.0.1, for tests and trials."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, List, Optional, Type

from . import _native


class Sandbox:
    """A fake server per provider; `config(provider)` gives a ready profile for `Client.from_dict`
    (`config("memory")` one for the in-memory provider), `providers` names them.

    With `instant_review=False`, templates wait in review until `approve` or `reject`.
    """

    def __init__(self, instant_review: bool = True, callbacks: Optional[str] = None) -> None:
        """With `callbacks` (a receiver's base URL), each fake posts its callbacks (template
        reviews, each message's statuses) to `{callbacks}/callbacks/{provider}`."""
        self._native: Optional[Any] = _native.NativeSandbox(instant_review, callbacks)

    def _live(self) -> Any:
        if self._native is None:
            raise RuntimeError("the sandbox is closed")
        return self._native

    @property
    def providers(self) -> List[str]:
        return list(self._live().providers())

    def config(self, provider: str) -> Dict[str, Any]:
        return dict(self._live().config(provider))

    def approve(self, provider: str, name: str, language: str) -> bool:
        return bool(self._live().review(provider, name, language, True))

    def reject(self, provider: str, name: str, language: str, reason: str = "INVALID_FORMAT") -> bool:
        return bool(self._live().review(provider, name, language, False, reason))

    def close(self) -> None:
        if self._native is not None:
            self._native.close()
            self._native = None

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, t: Optional[Type[BaseException]], e: Optional[BaseException], tb: Optional[TracebackType]) -> None:
        self.close()
