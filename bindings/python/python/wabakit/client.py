"""`Client` (blocking; releases the GIL while it waits) and `AsyncClient` (asyncio): the same
methods, one provider chosen by a config profile."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Union

from . import _native

if TYPE_CHECKING:
    from .receiver import Store
from .types import (
    HttpRequest,
    MessageLike,
    Page,
    Problem,
    Receipt,
    SendResult,
    TemplateInfo,
    TemplateLike,
    TemplateRef,
    document,
)


def _query(name: Optional[str], language: Optional[str], id: Optional[str]) -> Dict[str, Any]:
    return {"name": name, "language": language, "id": id}


class _Base:
    def __init__(self, native: Any) -> None:
        self._native = native

    @classmethod
    def from_config(cls, path: Union[str, "os.PathLike[str]"], profile: Optional[str] = None) -> Any:
        """The profile `profile` (or the file's default) of a TOML config file."""
        return cls(_native.NativeClient.from_config(os.fspath(path), profile))

    @classmethod
    def from_dict(cls, profile: Mapping[str, Any], store: Optional["Store"] = None) -> Any:
        """One profile as a dict: {"provider": "nxcloud", "access_key": ..., ...}; with `store`
        (a `wabakit.Store`, or a receiver's `store`), every send is recorded there."""
        return cls(_native.NativeClient.from_dict(dict(profile), None if store is None else store._native))

    @property
    def provider(self) -> str:
        return str(self._native.provider)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._native!r})"

    def validate(self, template: TemplateLike) -> List[Problem]:
        """Every problem of a template for this provider, each with its path."""
        return [Problem.from_dict(p) for p in self._native.validate(document(template))]

    def render(
        self,
        op: str,
        doc: Optional[Union[TemplateLike, MessageLike, Mapping[str, Any]]] = None,
        *,
        id: Optional[str] = None,
        ts: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> HttpRequest:
        """The exact signed request of an operation, without sending it."""
        d = None if doc is None else document(doc)
        return HttpRequest.from_dict(self._native.render(op, d, id, ts, nonce))


class Client(_Base):
    """A blocking client. Every call releases the GIL while it waits."""

    def create_template(self, template: TemplateLike) -> TemplateRef:
        return TemplateRef.from_dict(self._native.run("create_template", (document(template),)))

    def update_template(self, id: str, template: TemplateLike) -> TemplateRef:
        return TemplateRef.from_dict(self._native.run("update_template", (id, document(template))))

    def get_template(self, name: Optional[str] = None, language: Optional[str] = None, *, id: Optional[str] = None) -> TemplateInfo:
        return TemplateInfo.from_dict(self._native.run("get_template", (_query(name, language, id),)))

    def list_templates(self, *, name: Optional[str] = None, limit: int = 20, cursor: Optional[str] = None) -> Page:
        return Page.from_dict(self._native.run("list_templates", ({"name": name, "limit": limit, "cursor": cursor},)))

    def delete_template(self, name: Optional[str] = None, language: Optional[str] = None, *, id: Optional[str] = None) -> None:
        self._native.run("delete_template", (_query(name, language, id),))

    def send(self, message: MessageLike) -> Receipt:
        return Receipt.from_dict(self._native.run("send", (document(message),)))

    def send_many(self, messages: Iterable[MessageLike], concurrency: int = 64) -> List[SendResult]:
        """Send every message, `concurrency` at a time: one result per message, in input order."""
        out = self._native.run("send_many", ([document(m) for m in messages], concurrency))
        return [SendResult.from_dict(r) for r in out]


class AsyncClient(_Base):
    """An asyncio client with the same methods as `Client`, each a coroutine."""

    async def create_template(self, template: TemplateLike) -> TemplateRef:
        return TemplateRef.from_dict(await self._native.arun("create_template", (document(template),)))

    async def update_template(self, id: str, template: TemplateLike) -> TemplateRef:
        return TemplateRef.from_dict(await self._native.arun("update_template", (id, document(template))))

    async def get_template(self, name: Optional[str] = None, language: Optional[str] = None, *, id: Optional[str] = None) -> TemplateInfo:
        return TemplateInfo.from_dict(await self._native.arun("get_template", (_query(name, language, id),)))

    async def list_templates(self, *, name: Optional[str] = None, limit: int = 20, cursor: Optional[str] = None) -> Page:
        return Page.from_dict(await self._native.arun("list_templates", ({"name": name, "limit": limit, "cursor": cursor},)))

    async def delete_template(self, name: Optional[str] = None, language: Optional[str] = None, *, id: Optional[str] = None) -> None:
        await self._native.arun("delete_template", (_query(name, language, id),))

    async def send(self, message: MessageLike) -> Receipt:
        return Receipt.from_dict(await self._native.arun("send", (document(message),)))

    async def send_many(self, messages: Iterable[MessageLike], concurrency: int = 64) -> List[SendResult]:
        out = await self._native.arun("send_many", ([document(m) for m in messages], concurrency))
        return [SendResult.from_dict(r) for r in out]
