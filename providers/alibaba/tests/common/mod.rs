//! What the cams tests over HTTP share: quick retries, and a client for a fresh fake.

use wabakit_alibaba::fake::{FakeCams, FakeOptions};
use wabakit_alibaba::{AlibabaConfig, AlibabaProvider};

/// `cfg` with retries that wait a millisecond or so.
pub fn fast(mut cfg: AlibabaConfig) -> AlibabaConfig {
    cfg.transport.retry = wabakit_conformance::quick_retries();
    cfg
}

/// A fake started with `opts`, and a client for its account.
pub async fn setup(opts: FakeOptions) -> (FakeCams, AlibabaProvider) {
    let fake = FakeCams::start(opts).await.unwrap();
    let client = AlibabaProvider::new(fast(fake.client_config())).unwrap();
    (fake, client)
}
