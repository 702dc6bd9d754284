"""Typed template components and buttons, so that an editor completes them:

```python
from wabakit import Template
from wabakit.components import Body, Buttons, Header, QuickReply, Url

t = Template(name="order_update", language="en_US", category="UTILITY", components=[
    Header(format="TEXT", text="Your order"),
    Body(text="Hi {{1}}, your order ships {{2}}.", example={"body_text": [["Ana", "today"]]}),
    Buttons(buttons=[QuickReply(text="Track"), Url(text="Open", url="https://shop.example/o")]),
])
```

Each is the dict of Meta's template shape (`to_dict()`: `{"type": "BODY", "text": ...}`, fields
left `None` out); plain dicts keep working anywhere a component or a button goes. A message's
body values may be `Currency(...)` or `DateTime(...)` as well as text:
`{"to": ..., "body": ["Ana", Currency("$100.99", "USD", 100990)]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Dict, List, Mapping, Optional, Sequence, Union


@dataclass(frozen=True)
class _Part:
    type: ClassVar[str] = ""

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"type": self.type}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None:
                d[f.name] = plain(v)
        return d


# Buttons


@dataclass(frozen=True)
class QuickReply(_Part):
    type: ClassVar[str] = "QUICK_REPLY"
    text: str
    is_opt_out: Optional[bool] = None
    """An opt-out button (MARKETING templates only)."""


@dataclass(frozen=True)
class Url(_Part):
    type: ClassVar[str] = "URL"
    text: str
    url: str
    example: Optional[List[str]] = None
    """A sample of the URL's `{{1}}`, when it has one."""


@dataclass(frozen=True)
class PhoneNumber(_Part):
    type: ClassVar[str] = "PHONE_NUMBER"
    text: str
    phone_number: str


@dataclass(frozen=True)
class CopyCode(_Part):
    type: ClassVar[str] = "COPY_CODE"
    example: str


@dataclass(frozen=True)
class Otp(_Part):
    """An AUTHENTICATION template's button: `otp_type` is "COPY_CODE", "ONE_TAP" or "ZERO_TAP"."""

    type: ClassVar[str] = "OTP"
    otp_type: str
    text: Optional[str] = None
    autofill_text: Optional[str] = None
    package_name: Optional[str] = None
    signature_hash: Optional[str] = None
    supported_apps: Optional[List[Dict[str, str]]] = None
    zero_tap_terms_accepted: Optional[bool] = None


@dataclass(frozen=True)
class Flow(_Part):
    type: ClassVar[str] = "FLOW"
    text: str
    flow_id: Optional[str] = None
    flow_name: Optional[str] = None
    flow_json: Optional[str] = None
    flow_action: Optional[str] = None
    """"navigate" (the default: `navigate_screen` is then required) or "data_exchange"."""
    navigate_screen: Optional[str] = None


@dataclass(frozen=True)
class Catalog(_Part):
    type: ClassVar[str] = "CATALOG"
    text: str


Button = Union[QuickReply, Url, PhoneNumber, CopyCode, Otp, Flow, Catalog]

# Components


@dataclass(frozen=True)
class Header(_Part):
    """`format` is "TEXT" (with `text`), "IMAGE", "VIDEO", "DOCUMENT" or "LOCATION"."""

    type: ClassVar[str] = "HEADER"
    format: str
    text: Optional[str] = None
    example: Optional[Dict[str, Any]] = None
    """`{"header_text": [...]}`, or `{"header_handle": [...]}` for media."""


@dataclass(frozen=True)
class Body(_Part):
    type: ClassVar[str] = "BODY"
    text: Optional[str] = None
    example: Optional[Dict[str, Any]] = None
    """`{"body_text": [[...]]}` (positional) or `{"body_text_named_params": [...]}`."""
    add_security_recommendation: Optional[bool] = None


@dataclass(frozen=True)
class Footer(_Part):
    type: ClassVar[str] = "FOOTER"
    text: Optional[str] = None
    code_expiration_minutes: Optional[int] = None


@dataclass(frozen=True)
class Buttons(_Part):
    type: ClassVar[str] = "BUTTONS"
    buttons: Sequence[Union[Button, Mapping[str, Any]]] = field(default_factory=list)


@dataclass(frozen=True)
class Card:
    """One card of a carousel: its own header, body and buttons."""

    components: Sequence[Union["Component", Mapping[str, Any]]] = field(default_factory=list)

    def to_dict(self) -> Dict[str, Any]:
        return {"components": plain(list(self.components))}


@dataclass(frozen=True)
class Carousel(_Part):
    type: ClassVar[str] = "CAROUSEL"
    cards: Sequence[Union[Card, Mapping[str, Any]]] = field(default_factory=list)


Component = Union[Header, Body, Footer, Buttons, Carousel]


# Typed body values of a message (Meta's `currency` and `date_time`; WhatsApp shows the
# fallback_value, and NXCloud and cams take text values only)


@dataclass(frozen=True)
class Currency(_Part):
    """A currency body value: `Currency("$100.99", "USD", 100990)`."""

    type: ClassVar[str] = "currency"
    fallback_value: str
    code: str
    amount_1000: int


@dataclass(frozen=True)
class DateTime(_Part):
    """A date-time body value, shown as its fallback text."""

    type: ClassVar[str] = "date_time"
    fallback_value: str


def plain(x: Any) -> Any:
    """`x` with every component, button, card and typed value in it as its dict."""
    if isinstance(x, (_Part, Card)):
        return x.to_dict()
    if isinstance(x, Mapping):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    return x


__all__ = [
    "Body",
    "Button",
    "Buttons",
    "Card",
    "Carousel",
    "Catalog",
    "Component",
    "CopyCode",
    "Currency",
    "DateTime",
    "Flow",
    "Footer",
    "Header",
    "Otp",
    "PhoneNumber",
    "QuickReply",
    "Url",
    "plain",
]
