"""Typed documents and results. Each converts to a plain dict with `to_dict()`."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Union

from . import _native


class Template:
    """A template document (Meta's Cloud API shape), read and checked on construction."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._doc: Dict[str, Any] = _native.parse_template(dict(document))

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


class TemplateMessage:
    """A template message: recipient, template, language and parameter values."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._doc: Dict[str, Any] = _native.parse_message(dict(document))

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> "TemplateMessage":
        return cls(document)

    def to_dict(self) -> Dict[str, Any]:
        return dict(self._doc)

    def __repr__(self) -> str:
        return f"TemplateMessage(to={self._doc.get('to')!r}, template={self._doc.get('template')!r})"


TemplateLike = Union[Template, Mapping[str, Any]]
MessageLike = Union[TemplateMessage, Mapping[str, Any]]


def document(x: Union[Template, TemplateMessage, Mapping[str, Any]]) -> Dict[str, Any]:
    return x.to_dict() if isinstance(x, (Template, TemplateMessage)) else dict(x)


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
    error: Optional[Dict[str, Any]] = field(default=None)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SendResult":
        return cls(
            index=int(d["index"]),
            to=str(d["to"]),
            ok=bool(d["ok"]),
            client_ref=d.get("client_ref"),
            message_id=d.get("message_id"),
            error=d.get("error"),
        )

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)


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
