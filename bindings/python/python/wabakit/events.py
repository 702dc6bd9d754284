"""Typed events of webhooks and receipts: what `wabakit.webhooks.parse` returns and what a
`Receiver`'s `on_event` is called with. Each is a frozen dataclass with the provider's registry
name, the event as the provider sent it (`raw`) and what it says; `to_dict()` gives the neutral
dict (`{"event": "message_status", ...}`)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Type, Union


@dataclass(frozen=True)
class Event:
    """What every event carries."""

    kind: ClassVar[str] = ""
    provider: str
    raw: Any = field(default=None, repr=False, compare=False)

    def to_dict(self) -> Dict[str, Any]:
        back = {v: k for k, v in _RENAMED.get(self.kind, {}).items()}
        d: Dict[str, Any] = {"event": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                d[back.get(f.name, f.name)] = v
        return d


@dataclass(frozen=True)
class MessageStatus(Event):
    """What became of a sent message: `status` is "accepted", "sent", "delivered", "read" or
    "failed" (with the provider's `errors`)."""

    kind: ClassVar[str] = "message_status"
    message_id: str = ""
    status: str = ""
    client_ref: Optional[str] = None
    recipient: Optional[str] = None
    at: Optional[int] = None
    """Unix seconds, where the provider says."""
    errors: List[str] = field(default_factory=list)


@dataclass(frozen=True)
class InboundMessage(Event):
    """A message a user sent to the business (`sender` is its `from`)."""

    kind: ClassVar[str] = "inbound"
    message_id: str = ""
    sender: str = ""
    type: str = ""
    """`text`, `button`, `image` … as the provider names it."""
    text: Optional[str] = None
    at: Optional[int] = None


@dataclass(frozen=True)
class TemplateStatus(Event):
    """A template's review or status changed, or an asynchronous creation finished."""

    kind: ClassVar[str] = "template_status"
    status: str = ""
    template_id: Optional[str] = None
    name: Optional[str] = None
    language: Optional[str] = None
    reason: Optional[str] = None
    category: Optional[str] = None
    at: Optional[int] = None
    request_id: Optional[str] = None


@dataclass(frozen=True)
class TemplateCategory(Event):
    """A template's category changed (`previous`), or is about to (`upcoming`)."""

    kind: ClassVar[str] = "template_category"
    category: str = ""
    template_id: Optional[str] = None
    name: Optional[str] = None
    language: Optional[str] = None
    previous: Optional[str] = None
    upcoming: Optional[str] = None
    at: Optional[int] = None


@dataclass(frozen=True)
class TemplateQuality(Event):
    """A template's quality rating changed ("GREEN", "YELLOW", "RED", "UNKNOWN")."""

    kind: ClassVar[str] = "template_quality"
    quality: str = ""
    template_id: Optional[str] = None
    name: Optional[str] = None
    language: Optional[str] = None
    previous: Optional[str] = None
    at: Optional[int] = None


@dataclass(frozen=True)
class TemplateCreateFailed(Event):
    """An asynchronous template creation failed before review (`error_kind` as an answer's
    error would have: "already_exists" …)."""

    kind: ClassVar[str] = "template_create_failed"
    request_id: str = ""
    error_kind: str = ""
    code: str = ""
    message: str = ""


@dataclass(frozen=True)
class Unreadable(Event):
    """A part of a callback that could not be read, kept whole in `raw`, with why."""

    kind: ClassVar[str] = "unreadable"
    error: str = ""


@dataclass(frozen=True)
class Other(Event):
    """An event wabakit does not model (account updates …), kept whole in `raw`."""

    kind: ClassVar[str] = "other"
    other_kind: str = ""


AnyEvent = Union[
    MessageStatus,
    InboundMessage,
    TemplateStatus,
    TemplateCategory,
    TemplateQuality,
    TemplateCreateFailed,
    Unreadable,
    Other,
]

_BY_KIND: Dict[str, Type[Event]] = {
    c.kind: c
    for c in (
        MessageStatus,
        InboundMessage,
        TemplateStatus,
        TemplateCategory,
        TemplateQuality,
        TemplateCreateFailed,
        Unreadable,
        Other,
    )
}

# The neutral dict's keys that a field of another name holds (`from` is a keyword; `kind` names
# the event's class).
_RENAMED = {"inbound": {"from": "sender", "kind": "type"}, "template_create_failed": {"kind": "error_kind"}, "other": {"kind": "other_kind"}}


def from_dict(d: Mapping[str, Any]) -> AnyEvent:
    """The typed event of a neutral event dict."""
    name = str(d.get("event"))
    cls = _BY_KIND.get(name, Other)
    renamed = _RENAMED.get(cls.kind, {})
    names = {f.name for f in fields(cls)}
    kw = {renamed.get(k, k): v for k, v in d.items() if k != "event"}
    if cls is Other and name != "other":
        kw.setdefault("other_kind", name)
    event = cls(**{k: v for k, v in kw.items() if k in names})
    return event  # type: ignore[return-value]


__all__ = [
    "AnyEvent",
    "Event",
    "InboundMessage",
    "MessageStatus",
    "Other",
    "TemplateCategory",
    "TemplateCreateFailed",
    "TemplateQuality",
    "TemplateStatus",
    "Unreadable",
    "from_dict",
]
