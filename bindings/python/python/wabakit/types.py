"""Typed documents and results. Each converts to a plain dict with `to_dict()`."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Dict, Iterator, List, Mapping, Optional, Sequence, Type, TypeVar, Union

if TYPE_CHECKING:
    from .components import Component
    from .errors import WabaError

from . import _native


_R = TypeVar("_R", bound="_Readers")


class _Readers:
    """`from_json`, `from_yaml`, `from_toml` and `from_file`, read and checked by the native
    reader (every problem in `ValidationError.problems`, with its path)."""

    _kind: ClassVar[str]
    _doc: Dict[str, Any]

    @classmethod
    def _from_text(cls: Type[_R], text: str, format: str) -> _R:
        x = cls.__new__(cls)
        x._doc = _native.parse_text(cls._kind, text, format)
        return x

    @classmethod
    def from_json(cls: Type[_R], text: str) -> _R:
        """From JSON text."""
        return cls._from_text(text, "json")

    @classmethod
    def from_yaml(cls: Type[_R], text: str) -> _R:
        """From YAML text."""
        return cls._from_text(text, "yaml")

    @classmethod
    def from_toml(cls: Type[_R], text: str) -> _R:
        """From TOML text."""
        return cls._from_text(text, "toml")

    @classmethod
    def from_file(cls: Type[_R], path: Union[str, "os.PathLike[str]"]) -> _R:
        """From a file, its format named by its extension (.json, .yaml, .yml, .toml)."""
        return cls._from_text(*_read(path))


def _read(path: Union[str, "os.PathLike[str]"]) -> "tuple[str, str]":
    p = os.fspath(path)
    ext = os.path.splitext(p)[1].lower().lstrip(".")
    if ext not in ("json", "yaml", "yml", "toml"):
        raise ValueError(f"{p}: the extension names no format (.json, .yaml, .yml, .toml)")
    with open(p, encoding="utf-8") as f:
        return f.read(), ext


class Template(_Readers):
    """A template document (Meta's Cloud API shape), read and checked on construction: from a
    dict, or from keywords with typed components (`wabakit.components`: `Body(text=...)` …,
    plain dicts too). A problem raises `ValidationError`, each problem with its path."""

    _kind = "template"

    def __init__(
        self,
        document: Optional[Mapping[str, Any]] = None,
        *,
        name: Optional[str] = None,
        language: Optional[str] = None,
        category: Optional[str] = None,
        components: Optional[Sequence[Union["Component", Mapping[str, Any]]]] = None,
        parameter_format: Optional[str] = None,
        **more: Any,
    ) -> None:
        from .components import plain

        doc: Dict[str, Any] = dict(document or {})
        given = {"name": name, "language": language, "category": category, "components": components,
                 "parameter_format": parameter_format, **more}
        doc.update({k: v for k, v in given.items() if v is not None})
        self._doc: Dict[str, Any] = _native.parse_template(plain(doc))

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> "Template":
        return cls(document)

    @property
    def name(self) -> str:
        return str(self._doc["name"])

    @property
    def language(self) -> str:
        return str(self._doc["language"])

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._doc)

    def __repr__(self) -> str:
        return f"Template(name={self.name!r}, language={self.language!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Template) and other._doc == self._doc


class TemplateMessage(_Readers):
    """A template message: recipient, template, language and parameter values."""

    _kind = "message"

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._doc: Dict[str, Any] = _native.parse_message(_message(document))

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> "TemplateMessage":
        return cls(document)

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._doc)

    def __repr__(self) -> str:
        return f"TemplateMessage(to={self._doc.get('to')!r}, template={self._doc.get('template')!r})"


TemplateLike = Union[Template, Mapping[str, Any]]
MessageLike = Union[TemplateMessage, Mapping[str, Any]]


def _typed(values: Any) -> bool:
    """Whether a list or dict of body values holds a typed one (`Currency`, `DateTime`)."""
    if isinstance(values, Mapping):
        values = list(values.values())
    return isinstance(values, (list, tuple)) and not all(isinstance(v, (str, int, float, dict)) for v in values)


def _message(x: Mapping[str, Any]) -> Dict[str, Any]:
    """A message dict as it crosses: typed body values (the card bodies' too) as their dicts."""
    from .components import plain

    cards = x.get("cards")
    if _typed(x.get("body", ())) or (
        isinstance(cards, (list, tuple)) and any(isinstance(c, Mapping) and _typed(c.get("body", ())) for c in cards)
    ):
        return dict(plain(x))
    return dict(x)


def document(x: Union[Template, TemplateMessage, Mapping[str, Any]]) -> Dict[str, Any]:
    if isinstance(x, (Template, TemplateMessage)):
        return x.to_dict()
    from .components import plain

    # A dict may hold typed components (`wabakit.components`) or typed body values; a plain one
    # goes as it is.
    comps = x.get("components")
    if comps and not all(isinstance(c, dict) for c in comps):
        return dict(plain(x))
    if "to" in x:
        return _message(x)
    return dict(x)


@dataclass(frozen=True)
class Problem:
    path: str
    rule: str
    message: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Problem":
        return cls(path=str(d["path"]), rule=str(d["rule"]), message=str(d["message"]))

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def __str__(self) -> str:
        return f"{self.path or '(document)'}: {self.message} [{self.rule}]"


@dataclass(frozen=True)
class TemplateRef:
    """What a create or an update answered: `state` is "created", "updated" or "pending" (an
    asynchronous creation, whose outcome names `request_id`)."""

    name: str
    language: str
    state: str
    id: Optional[str] = None
    status: Optional[str] = None
    request_id: Optional[str] = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "TemplateRef":
        return cls(
            name=str(d["name"]),
            language=str(d["language"]),
            state=str(d["state"]),
            id=d.get("id"),
            status=d.get("status"),
            request_id=d.get("request_id"),
        )

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TemplateInfo:
    id: str
    name: str
    language: str
    category: str
    status: str
    reason: Optional[str] = None
    quality: Optional[str] = None
    template: Optional[Dict[str, Any]] = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "TemplateInfo":
        return cls(
            id=str(d["id"]),
            name=str(d["name"]),
            language=str(d["language"]),
            category=str(d["category"]),
            status=str(d["status"]),
            reason=d.get("reason"),
            quality=d.get("quality"),
            template=d.get("template"),
        )

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Page:
    items: List[TemplateInfo]
    next: Optional[str] = None
    total: Optional[int] = None

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Page":
        return cls(items=[TemplateInfo.from_dict(i) for i in d["items"]], next=d.get("next"), total=d.get("total"))

    def to_dict(self) -> Dict[str, Any]:
        return {"items": [i.to_dict() for i in self.items], "next": self.next, "total": self.total}

    def __iter__(self) -> Iterator[TemplateInfo]:
        """The page's templates (`Client.iter_templates` walks every page)."""
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class Receipt:
    message_id: str
    client_ref: Optional[str] = None
    request_id: Optional[str] = None
    """The provider's id of the request (NXCloud traceId, Alibaba RequestId, Meta x-fb-trace-id), for its support desk."""
    recipient_id: Optional[str] = None
    """The WhatsApp id the recipient's number resolved to, where the provider answers it (Meta's contacts[].wa_id)."""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Receipt":
        return cls(
            message_id=str(d["message_id"]),
            client_ref=d.get("client_ref"),
            request_id=d.get("request_id"),
            recipient_id=d.get("recipient_id"),
        )

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SendResult:
    """One message of `send_many`: its receipt, or an error saying whether it may have been delivered."""

    index: int
    to: str
    ok: bool
    client_ref: Optional[str] = None
    message_id: Optional[str] = None
    error: Optional["WabaError"] = field(default=None, compare=False)
    """The exception a `send` of this message would have raised (a `wabakit.WabaError`
    subclass: `error.delivery`, `error.retryable`, `error.code`…)."""

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SendResult":
        from .errors import from_dict as error_from_dict

        e = d.get("error")
        return cls(
            index=int(d["index"]),
            to=str(d["to"]),
            ok=bool(d["ok"]),
            client_ref=d.get("client_ref"),
            message_id=d.get("message_id"),
            error=None if e is None else error_from_dict(e),
        )

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {k: getattr(self, k) for k in ("index", "to", "ok", "client_ref", "message_id")}
        e = self.error
        d["error"] = None if e is None else {
            "kind": e.kind, "message": e.message, "provider": e.provider, "code": e.code,
            "request_id": e.request_id, "http_status": e.http_status, "retryable": e.retryable,
            "delivery": e.delivery,
        }
        return d


@dataclass(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: List[List[str]]
    body: str

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "HttpRequest":
        return cls(method=str(d["method"]), url=str(d["url"]), headers=[list(h) for h in d["headers"]], body=str(d["body"]))

    def header(self, name: str) -> Optional[str]:
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)
