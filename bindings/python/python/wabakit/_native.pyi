from typing import Any, List, Optional, Tuple, final

__all__ = [
    "NativeClient",
    "NativeSandbox",
    "alibaba_sign_v1",
    "alibaba_sign_v3",
    "nxcloud_sign",
    "parse_message",
    "parse_template",
    "parse_webhook",
    "validate_template",
]

@final
class NativeClient:
    @staticmethod
    def from_config(path: str, profile: Optional[str] = None) -> NativeClient: ...
    @staticmethod
    def from_dict(profile: Any) -> NativeClient: ...
    @property
    def provider(self) -> str: ...
    @property
    def profile(self) -> str: ...
    def validate(self, template: Any) -> Any: ...
    def run(self, op: str, args: Tuple[Any, ...]) -> Any: ...
    def arun(self, op: str, args: Tuple[Any, ...]) -> Any: ...
    def render(
        self,
        op: str,
        document: Optional[Any] = None,
        id: Optional[str] = None,
        ts: Optional[int] = None,
        nonce: Optional[str] = None,
    ) -> Any: ...

@final
class NativeSandbox:
    def __new__(cls, instant_review: bool = True) -> NativeSandbox: ...
    def providers(self) -> List[str]: ...
    def config(self, provider: str) -> Any: ...
    def review(self, provider: str, name: str, language: str, approve: bool, reason: Optional[str] = None) -> bool: ...
    def close(self) -> None: ...

def parse_template(document: Any) -> Any: ...
def parse_message(document: Any) -> Any: ...
def validate_template(document: Any) -> Any: ...
def parse_webhook(provider: str, headers: Any, body: Any, secret: Optional[str] = None) -> Any: ...
def nxcloud_sign(
    access_key: str,
    access_secret: str,
    ts: Any,
    biz_type: Any,
    action: str,
    body: Optional[Any] = None,
    algorithm: str = "md5",
) -> Any: ...
def alibaba_sign_v3(
    method: str,
    host: str,
    query: Any,
    headers: Any,
    body: Any,
    access_key_id: str,
    access_key_secret: str,
    signed_headers: Optional[List[str]] = None,
) -> Any: ...
def alibaba_sign_v1(method: str, params: Any, access_key_secret: str) -> Any: ...
