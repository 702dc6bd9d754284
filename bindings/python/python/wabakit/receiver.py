"""The receipts server in Python: `Receiver` handles each provider's callbacks at
`/callbacks/{profile}` with the same native code as `wabakit serve` (verified, deduplicated, kept
in the store, answered only once committed), as an ASGI app (FastAPI, Starlette, uvicorn) or a
WSGI app (Flask, Django, any WSGI server). `Store` reads what it kept."""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Iterable, List, Mapping, MutableMapping, Optional, Tuple
from urllib.parse import unquote

from . import _native
from .events import AnyEvent
from .events import from_dict as event_from_dict

Event = Dict[str, Any]
OnEvent = Callable[[AnyEvent], None]
Answer = Tuple[int, str, bytes]

PREFIX = "/callbacks/"


class Store:
    """The message store: every send and callback event, each message's fate."""

    def __init__(self, native: Any) -> None:
        self._native = native

    @classmethod
    def open(cls, url: str = "sqlite://wabakit.db") -> "Store":
        """The store at `url`, created and migrated on first use."""
        return cls(_native.NativeStore.open(url))

    @property
    def url(self) -> str:
        return str(self._native.url())

    def history(self, id: str) -> Optional[Dict[str, Any]]:
        """A message (by message id or client_ref) and its events, or None."""
        h = self._native.history(id)
        return None if h is None else dict(h)

    def report(
        self, campaign: Optional[str] = None, since_millis: Optional[int] = None, provider: Optional[str] = None
    ) -> Dict[str, Any]:
        """Counts by status, delivery and read rates, failures by code, sent → delivered latency."""
        return dict(self._native.report(campaign, since_millis, provider))

    def template(self, provider: str, name: str, language: str) -> Optional[Dict[str, Any]]:
        """A template's review status, category and quality as its events said, or None."""
        t = self._native.template(provider, name, language)
        return None if t is None else dict(t)

    def __repr__(self) -> str:
        return f"Store({self.url!r})"


class Receiver:
    """Callbacks for every profile of a config file (`/callbacks/{profile}`), kept in its store.

    `on_event(event)` is called with each event (a `wabakit.events` dataclass) of a callback
    once it is committed (a
    redelivered callback gives its events again: make it idempotent, or read the store, which
    keeps each event once). Mount `asgi` or `wsgi`, or call `handle` / `ahandle`.
    """

    def __init__(self, native: Any, on_event: Optional[OnEvent] = None) -> None:
        self._native = native
        self._on_event = on_event

    @classmethod
    def from_config(cls, path: str = "wabakit.toml", on_event: Optional[OnEvent] = None) -> "Receiver":
        return cls(_native.NativeReceiver.from_config(path), on_event)

    @classmethod
    def from_profiles(
        cls,
        profiles: Mapping[str, Mapping[str, Any]],
        store: str = "sqlite://wabakit.db",
        on_event: Optional[OnEvent] = None,
    ) -> "Receiver":
        """These profiles (name → the profile's table, as `Client.from_dict` takes it), with the
        store at `store` (`sqlite::memory:` for one that lives as long as the receiver)."""
        return cls(_native.NativeReceiver.from_profiles({k: dict(v) for k, v in profiles.items()}, store), on_event)

    @property
    def profiles(self) -> List[str]:
        return list(self._native.profiles())

    @property
    def store(self) -> Store:
        return Store(self._native.store())

    def metrics(self) -> str:
        """The counters in Prometheus' text format."""
        return str(self._native.metrics())

    def _done(self, out: Tuple[int, str, bytes, List[Event]]) -> Answer:
        status, content_type, body, events = out
        if self._on_event is not None:
            for e in events:
                self._on_event(event_from_dict(e))
        return status, content_type, bytes(body)

    def handle(self, method: str, path: str, query: str, headers: Iterable[Tuple[str, str]], body: bytes) -> Answer:
        """One request (blocking): `(status, content_type, body)`."""
        route = _route(method, path)
        if route[0] != "callback":
            return self._plain(route)
        _, profile = route
        if method == "GET":
            return _answer(self._native.get(profile, query))
        return self._done(self._native.post(profile, list(headers), body, query))

    async def ahandle(
        self, method: str, path: str, query: str, headers: Iterable[Tuple[str, str]], body: bytes
    ) -> Answer:
        """One request, awaitable."""
        route = _route(method, path)
        if route[0] != "callback":
            return self._plain(route)
        _, profile = route
        if method == "GET":
            return _answer(self._native.get(profile, query))
        return self._done(await self._native.apost(profile, list(headers), body, query))

    def _plain(self, route: Tuple[str, str]) -> Answer:
        kind, _ = route
        if kind == "healthz":
            return 200, "text/plain", b"ok"
        if kind == "metrics":
            return 200, "text/plain; version=0.0.4", self.metrics().encode()
        if kind == "method":
            return 405, "text/plain", b"method not allowed"
        return 404, "text/plain", b"not found"

    @property
    def asgi(self) -> "Receiver":
        """The ASGI app (the receiver itself is one): `uvicorn.run(receiver.asgi)`, or
        `app.mount("/wa", receiver.asgi)` in FastAPI or Starlette."""
        return self

    async def __call__(
        self,
        scope: MutableMapping[str, Any],
        receive: Callable[[], Awaitable[MutableMapping[str, Any]]],
        send: Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ) -> None:
        """ASGI 3: servers recognise the receiver by this coroutine."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in scope.get("headers", [])]
        path = _within(scope.get("path", "/"), scope.get("root_path", ""))
        query = scope.get("query_string", b"").decode("latin-1")
        status, content_type, body = await self.ahandle(scope["method"], path, query, headers, b"".join(chunks))
        await send(
            {"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type.encode())]}
        )
        await send({"type": "http.response.body", "body": body})

    def wsgi(self, environ: Mapping[str, Any], start_response: Callable[..., Any]) -> List[bytes]:
        """The WSGI app: `wsgiref.simple_server.make_server(host, port, receiver.wsgi)`, Flask's
        `DispatcherMiddleware`, or a Django view's environ."""
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        headers = [(k[5:].replace("_", "-").lower(), str(v)) for k, v in environ.items() if k.startswith("HTTP_")]
        if environ.get("CONTENT_TYPE"):
            headers.append(("content-type", str(environ["CONTENT_TYPE"])))
        path = _within(str(environ.get("PATH_INFO", "/")), "")
        status, content_type, out = self.handle(
            str(environ.get("REQUEST_METHOD", "GET")), path, str(environ.get("QUERY_STRING", "")), headers, body
        )
        start_response(f"{status} {_REASONS.get(status, 'Status')}", [("Content-Type", content_type)])
        return [out]


_REASONS = {200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            413: "Payload Too Large", 503: "Service Unavailable"}


def _within(path: str, root: str) -> str:
    """The path inside the app, whatever it is mounted under."""
    return path[len(root):] if root and path.startswith(root) else path


def _route(method: str, path: str) -> Tuple[str, str]:
    if path == "/healthz":
        return ("healthz", "") if method == "GET" else ("method", "")
    if path == "/metrics":
        return ("metrics", "") if method == "GET" else ("method", "")
    if path.startswith(PREFIX) and "/" not in path[len(PREFIX):]:
        if method not in ("GET", "POST"):
            return ("method", "")
        return ("callback", unquote(path[len(PREFIX):]))
    return ("none", "")


def _answer(a: Tuple[int, str, bytes]) -> Answer:
    status, content_type, body = a
    return status, content_type, bytes(body)
