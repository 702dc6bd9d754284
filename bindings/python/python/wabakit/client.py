"""`Client` (blocking; releases the GIL while it waits) and `AsyncClient` (asyncio): the same
methods, one provider chosen by a config profile.

What one call returns fits the next: a method that takes a template id or name also takes the
`TemplateRef` a create or an update returned and the `TemplateInfo` a get or a list returned.
Both clients are context managers; a closed client refuses calls with `ValueError`.
"""

from __future__ import annotations

import asyncio
import collections
import os
from typing import (
    TYPE_CHECKING,
    Any,
    AsyncIterator,
    Dict,
    Iterable,
    Iterator,
    List,
    Mapping,
    Optional,
    Tuple,
    Type,
    TypeVar,
    Union,
)

from . import _native
from .errors import WabaError

if TYPE_CHECKING:
    from types import TracebackType

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

#: A template as an earlier call named it: its id (or, where a method takes names, its name),
#: the `TemplateRef` a create or an update returned, or the `TemplateInfo` of a get or a list.
TemplateRefLike = Union[str, TemplateRef, TemplateInfo]

_C = TypeVar("_C", bound="_Base")


def _id_of(template: TemplateRefLike) -> str:
    """The provider's id of a template, from an id or an earlier call's answer."""
    if isinstance(template, str):
        return template
    if isinstance(template, (TemplateRef, TemplateInfo)):
        if template.id:
            return template.id
        raise ValueError(
            f"template {template.name!r} ({template.language}) has no id yet: an asynchronous "
            "creation still pending (wait for its outcome, or get it by name and language)"
        )
    raise TypeError(f"expected a template id, a TemplateRef or a TemplateInfo, not {type(template).__name__}")


def _query(
    name: Optional[TemplateRefLike], language: Optional[str], id: Optional[str]
) -> Dict[str, Any]:
    if isinstance(name, (TemplateRef, TemplateInfo)):
        if language is not None or id is not None:
            raise TypeError("pass a TemplateRef/TemplateInfo alone, without language or id")
        return {"name": name.name, "language": name.language, "id": name.id}
    return {"name": name, "language": language, "id": id}


def _validatable(template: Union[TemplateLike, TemplateInfo]) -> Dict[str, Any]:
    if isinstance(template, TemplateInfo):
        if template.template is None:
            raise ValueError(f"the provider answered template {template.name!r} without its components")
        return dict(template.template)
    return document(template)


def _list_args(
    name: Optional[str], language: Optional[str], status: Optional[str], limit: int, cursor: Optional[str]
) -> Tuple[Dict[str, Any]]:
    return ({"name": name, "language": language, "status": status, "limit": limit, "cursor": cursor},)


class _Base:
    _native_client: Optional[Any]

    def __init__(self, native: Any) -> None:
        self._native_client = native

    @property
    def _native(self) -> Any:
        n = self._native_client
        if n is None:
            raise ValueError(f"this {type(self).__name__} is closed")
        return n

    @classmethod
    def from_config(
        cls: Type[_C], path: Union[str, "os.PathLike[str]"], profile: Optional[str] = None
    ) -> _C:
        """The profile `profile` (or the file's default) of a TOML config file; with a `[store]`
        table, every send is recorded there, and the templates the client creates, updates or
        reads are kept there whole (messages are checked against them later; a memory profile's
        templates outlive the client)."""
        return cls(_native.NativeClient.from_config(os.fspath(path), profile))

    @classmethod
    def from_dict(cls: Type[_C], profile: Mapping[str, Any], store: Optional["Store"] = None) -> _C:
        """One profile as a dict: {"provider": "nxcloud", "access_key": ..., ...}; with `store`
        (a `wabakit.Store`, or a receiver's `store`), every send is recorded there."""
        return cls(_native.NativeClient.from_dict(dict(profile), None if store is None else store._native))

    @classmethod
    def from_env(cls: Type[_C]) -> _C:
        """From the environment, as the Rust `Client::from_env`: `WABAKIT_CONFIG` (a file) with
        `WABAKIT_PROFILE`, or else one profile of `WABAKIT_<KEY>` variables
        (`WABAKIT_PROVIDER=nxcloud`, `WABAKIT_ACCESS_KEY=…`)."""
        return cls(_native.NativeClient.from_env())

    @property
    def provider(self) -> str:
        """The provider's registry name ("nxcloud", "alibaba", "meta", "memory")."""
        return str(self._native.provider)

    @property
    def profile(self) -> str:
        """The profile's name."""
        return str(self._native.profile)

    @property
    def closed(self) -> bool:
        return self._native_client is None

    def close(self) -> None:
        """Let go of the client's connections; later calls raise `ValueError`. Closing twice is
        harmless."""
        self._native_client = None

    def __repr__(self) -> str:
        n = self._native_client
        if n is None:
            return f"{type(self).__name__}(closed)"
        return f"{type(self).__name__}(provider={n.provider!r}, profile={n.profile!r})"

    def validate(self, template: Union[TemplateLike, TemplateInfo]) -> List[Problem]:
        """Every problem of a template for this provider, each with its path (also the
        template of a `TemplateInfo` a get returned)."""
        return [Problem.from_dict(p) for p in self._native.validate(_validatable(template))]

    def render(
        self,
        op: str,
        doc: Optional[Union[TemplateLike, MessageLike, Mapping[str, Any]]] = None,
        *,
        id: Optional[TemplateRefLike] = None,
        ts: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> HttpRequest:
        """The exact signed request of operation `op` ("create_template", "update_template",
        "get_template", "list_templates", "delete_template", "send"), without sending it; `ts`
        (milliseconds) and `nonce` pin what the signature covers."""
        d = None if doc is None else document(doc)
        return HttpRequest.from_dict(self._native.render(op, d, None if id is None else _id_of(id), ts, nonce))


class Client(_Base):
    """A blocking client. Every call releases the GIL while it waits.

    ```python
    with wabakit.Client.from_config("wabakit.toml", "prod") as client:
        ref = client.create_template(template)
        client.update_template(ref, fixed)
    ```
    """

    def __enter__(self) -> "Client":
        self._native  # a closed client is refused here too
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        self.close()

    def create_template(self, template: TemplateLike) -> TemplateRef:
        """Submit a template for review; its `TemplateRef` (id, status) fits every later call."""
        return TemplateRef.from_dict(self._native.run("create_template", (document(template),)))

    def update_template(self, template_id: TemplateRefLike, template: TemplateLike) -> TemplateRef:
        """Edit a template (by id, `TemplateRef` or `TemplateInfo`) where the provider allows it."""
        return TemplateRef.from_dict(self._native.run("update_template", (_id_of(template_id), document(template))))

    def get_template(
        self, name: Optional[TemplateRefLike] = None, language: Optional[str] = None, *, id: Optional[str] = None
    ) -> TemplateInfo:
        """One template with its review status: by name and language, by `id=`, or by the
        `TemplateRef`/`TemplateInfo` an earlier call returned."""
        return TemplateInfo.from_dict(self._native.run("get_template", (_query(name, language, id),)))

    def list_templates(
        self,
        *,
        name: Optional[str] = None,
        language: Optional[str] = None,
        status: Optional[str] = None,
        limit: int = 20,
        cursor: Optional[str] = None,
    ) -> Page:
        """One page of templates (iterate it; `page.next` is the cursor of the next page)."""
        return Page.from_dict(self._native.run("list_templates", _list_args(name, language, status, limit, cursor)))

    def iter_templates(
        self,
        *,
        name: Optional[str] = None,
        language: Optional[str] = None,
        status: Optional[str] = None,
        page_size: int = 50,
    ) -> Iterator[TemplateInfo]:
        """Every template the filters match, page after page, each page asked for when the
        previous one is used up."""
        cursor: Optional[str] = None
        while True:
            page = self.list_templates(name=name, language=language, status=status, limit=page_size, cursor=cursor)
            yield from page
            if not page.next:
                return
            cursor = page.next

    def delete_template(
        self, name: Optional[TemplateRefLike] = None, language: Optional[str] = None, *, id: Optional[str] = None
    ) -> None:
        """Delete a template: by name (every language, where the provider does so), name and
        language, `id=`, or an earlier call's `TemplateRef`/`TemplateInfo`."""
        self._native.run("delete_template", (_query(name, language, id),))

    def send(self, message: MessageLike) -> Receipt:
        """Send one template message; checked against the template's rules first."""
        return Receipt.from_dict(self._native.run("send", (document(message),)))

    def send_many(self, messages: Iterable[MessageLike], concurrency: int = 64) -> "SendStream":
        """Send the messages of any iterable (a generator of millions), `concurrency` at a time,
        taking the next one only when a send is free for it: an iterator of `SendResult`s in
        the order they complete, each with its input `index` and `client_ref` (`result.error`
        is the exception a `send` would have raised). Memory stays flat.

        Breaking out of the loop stops taking input; the sends already under way still finish.
        Use the stream as a context manager (or call `close()`) to wait for them: their results
        are then in `stream.unfinished`.

        ```python
        with client.send_many(rows()) as results:
            for r in results:
                if not r.ok and r.error.kind == "auth":
                    break
        for r in results.unfinished: ...     # what became of the sends under way
        ```
        """
        return SendStream(self._native.send_stream((document(m) for m in messages), concurrency))

    def send_all(self, messages: Iterable[MessageLike], concurrency: int = 64) -> List[SendResult]:
        """`send_many` for a list: every result at once, in input order."""
        out = self._native.run("send_many", ([document(m) for m in messages], concurrency))
        return [SendResult.from_dict(r) for r in out]


class SendStream:
    """The results of `Client.send_many`, in the order they complete."""

    def __init__(self, native: Any) -> None:
        self._native = native
        self.unfinished: List[SendResult] = []
        """Once closed: the results of the sends that were under way when iteration stopped."""
        self._closed = False

    def __iter__(self) -> "SendStream":
        return self

    def __next__(self) -> SendResult:
        if self._closed:
            raise StopIteration
        return SendResult.from_dict(next(self._native))

    def close(self) -> List[SendResult]:
        """Take no more input, wait for the sends under way; their results (also kept in
        `unfinished`). Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self.unfinished = [SendResult.from_dict(r) for r in self._native.close()]
        return self.unfinished

    def __enter__(self) -> "SendStream":
        return self

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        self.close()

    def __del__(self) -> None:
        # Not closed: the sends under way still finish (nothing is sent twice or lost from the
        # store); only their results go unread.
        try:
            self.close()
        except Exception:
            pass


class AsyncSendStream:
    """The results of `AsyncClient.send_many`, in the order they complete (`async for`)."""

    def __init__(self, client: "AsyncClient", messages: Iterable[MessageLike], concurrency: int) -> None:
        self._client = client
        self._input: Optional[Iterator[MessageLike]] = iter(messages)
        self._concurrency = max(1, concurrency)
        self._taken = 0
        self._running: "set[asyncio.Task[SendResult]]" = set()
        self._ready: "collections.deque[SendResult]" = collections.deque()
        self.unfinished: List[SendResult] = []
        """Once closed: the results of the sends that were under way when iteration stopped."""
        self._closed = False

    async def _one(self, i: int, doc: Dict[str, Any]) -> SendResult:
        to, ref = str(doc.get("to") or ""), doc.get("client_ref")
        try:
            r = Receipt.from_dict(await self._client._native.arun("send", (doc,)))
            return SendResult(index=i, to=to, ok=True, client_ref=r.client_ref or ref, message_id=r.message_id)
        except WabaError as e:
            return SendResult(index=i, to=to, ok=False, client_ref=ref, error=e)

    def _top_up(self) -> None:
        while self._input is not None and len(self._running) < self._concurrency:
            try:
                m = next(self._input)
            except StopIteration:
                self._input = None
                break
            i, self._taken = self._taken, self._taken + 1
            self._running.add(asyncio.ensure_future(self._one(i, document(m))))

    def __aiter__(self) -> "AsyncSendStream":
        return self

    async def __anext__(self) -> SendResult:
        if self._closed:
            raise StopAsyncIteration
        self._top_up()
        if not self._ready:
            if not self._running:
                raise StopAsyncIteration
            done, _ = await asyncio.wait(self._running, return_when=asyncio.FIRST_COMPLETED)
            self._running -= done
            self._ready.extend(sorted((t.result() for t in done), key=lambda r: r.index))
        return self._ready.popleft()

    async def aclose(self) -> List[SendResult]:
        """Take no more input, wait for the sends under way; their results (also kept in
        `unfinished`), with any already in but not yet handed back. Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._input = None
            if self._running:
                await asyncio.wait(self._running)
            done = list(self._ready) + sorted((t.result() for t in self._running), key=lambda r: r.index)
            self._ready.clear()
            self._running.clear()
            self.unfinished = done
        return self.unfinished

    async def __aenter__(self) -> "AsyncSendStream":
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        await self.aclose()


class AsyncClient(_Base):
    """An asyncio client with the same methods as `Client`, each a coroutine.

    ```python
    async with wabakit.AsyncClient.from_config("wabakit.toml") as client:
        receipt = await client.send(message)
    ```
    """

    async def __aenter__(self) -> "AsyncClient":
        self._native
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional["TracebackType"],
    ) -> None:
        self.close()

    async def create_template(self, template: TemplateLike) -> TemplateRef:
        """Submit a template for review; its `TemplateRef` (id, status) fits every later call."""
        return TemplateRef.from_dict(await self._native.arun("create_template", (document(template),)))

    async def update_template(self, template_id: TemplateRefLike, template: TemplateLike) -> TemplateRef:
        """Edit a template (by id, `TemplateRef` or `TemplateInfo`) where the provider allows it."""
        return TemplateRef.from_dict(
            await self._native.arun("update_template", (_id_of(template_id), document(template)))
        )

    async def get_template(
        self, name: Optional[TemplateRefLike] = None, language: Optional[str] = None, *, id: Optional[str] = None
    ) -> TemplateInfo:
        """One template with its review status: by name and language, by `id=`, or by the
        `TemplateRef`/`TemplateInfo` an earlier call returned."""
        return TemplateInfo.from_dict(await self._native.arun("get_template", (_query(name, language, id),)))

    async def list_templates(
        self,
        *,
        name: Optional[str] = None,
        language: Optional[str] = None,
        status: Optional[str] = None,
        limit: int = 20,
        cursor: Optional[str] = None,
    ) -> Page:
        """One page of templates (iterate it; `page.next` is the cursor of the next page)."""
        return Page.from_dict(
            await self._native.arun("list_templates", _list_args(name, language, status, limit, cursor))
        )

    async def iter_templates(
        self,
        *,
        name: Optional[str] = None,
        language: Optional[str] = None,
        status: Optional[str] = None,
        page_size: int = 50,
    ) -> AsyncIterator[TemplateInfo]:
        """Every template the filters match, page after page (`async for`)."""
        cursor: Optional[str] = None
        while True:
            page = await self.list_templates(
                name=name, language=language, status=status, limit=page_size, cursor=cursor
            )
            for t in page:
                yield t
            if not page.next:
                return
            cursor = page.next

    async def delete_template(
        self, name: Optional[TemplateRefLike] = None, language: Optional[str] = None, *, id: Optional[str] = None
    ) -> None:
        """Delete a template: by name, name and language, `id=`, or an earlier call's
        `TemplateRef`/`TemplateInfo`."""
        await self._native.arun("delete_template", (_query(name, language, id),))

    async def send(self, message: MessageLike) -> Receipt:
        """Send one template message; checked against the template's rules first."""
        return Receipt.from_dict(await self._native.arun("send", (document(message),)))

    def send_many(self, messages: Iterable[MessageLike], concurrency: int = 64) -> "AsyncSendStream":
        """Send the messages of any iterable, `concurrency` at a time, taking the next only when
        a send is free for it: `SendResult`s as they complete (`async for`), each with its
        input `index`. To leave the loop early, iterate inside `async with`: on leaving it (or
        on `await stream.aclose()`) no more input is taken, the sends under way finish, and
        their results are in `stream.unfinished` (as `Client.send_many`'s `SendStream`)."""
        return AsyncSendStream(self, messages, concurrency)

    async def send_all(self, messages: Iterable[MessageLike], concurrency: int = 64) -> List[SendResult]:
        """`send_many` for a list: every result at once, in input order."""
        out = await self._native.arun("send_many", ([document(m) for m in messages], concurrency))
        return [SendResult.from_dict(r) for r in out]
