//! `Client`: one provider, chosen by a config profile. Switching provider is a change of
//! profile, never of code.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use wabakit_core::*;

use crate::config::{ConfigFile, Env, ProcessEnv};
use crate::registry;

/// One provider, chosen by a config profile: every operation of [`Provider`], the same for
/// every vendor. Cheap to clone (the provider is shared).
///
/// ```
/// use wabakit::{Client, Template};
///
/// # let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// # rt.block_on(async {
/// let config = "[profiles.local]\nprovider = \"memory\"";
/// let client = Client::from_toml(config, None, &wabakit::ProcessEnv).unwrap();
/// let t = Template::from_file("examples/templates/order_update.yaml").unwrap();
/// assert!(client.validate(&t).is_empty());
/// let created = client.create_template(&t).await.unwrap();
/// assert_eq!(created.name, "order_update");
/// # });
/// ```
#[derive(Clone)]
pub struct Client {
    /// The provider calls go to: the recording when there is one.
    provider: Arc<dyn Provider>,
    profile: String,
    /// What [`Client::with_store`] wrapped the provider in: it holds the store and the
    /// provider before wrapping (a campaign records its sends itself, with their rows).
    recording: Option<Arc<crate::recording::Recording>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("profile", &self.profile)
            .field("provider", &self.provider)
            .finish()
    }
}

impl Client {
    /// The profile `profile` (or the file's default) of a TOML config file.
    pub fn from_config(path: impl AsRef<Path>, profile: Option<&str>) -> Result<Client> {
        let file = ConfigFile::load(path.as_ref())?;
        Self::from_file(&file, profile, &ProcessEnv)
    }

    /// As [`Client::from_config`], from TOML text, with `{ env = … }` secrets looked up in `env`.
    pub fn from_toml(text: &str, profile: Option<&str>, env: &dyn Env) -> Result<Client> {
        let file = ConfigFile::parse(text, "config")?;
        Self::from_file(&file, profile, env)
    }

    fn from_file(file: &ConfigFile, profile: Option<&str>, env: &dyn Env) -> Result<Client> {
        let (name, v) = file.profile(profile)?;
        let client = Client::plain(registry::build(&name, v, env)?, name);
        match &file.store {
            Some(url) => Ok(client.with_store(crate::store::Store::open(url)?)),
            None => Ok(client),
        }
    }

    /// A client of `provider` without a store.
    fn plain(provider: Arc<dyn Provider>, profile: String) -> Client {
        Client {
            provider,
            profile,
            recording: None,
        }
    }

    /// Record every send of this client (its outcome, ids, recipient, template) in `store`.
    pub fn with_store(self, store: crate::store::Store) -> Client {
        let inner = self.unrecorded();
        let recording = Arc::new(crate::recording::Recording::new(
            inner,
            store,
            &self.profile,
        ));
        Client {
            provider: recording.clone(),
            profile: self.profile,
            recording: Some(recording),
        }
    }

    /// Make messages of template `name` in `language` checked against it before they are sent
    /// (a missing body value refused here, not by the vendor): from the store's copy when the
    /// store keeps one, else asked of the provider once. A template the provider does not have
    /// is an error (not found), before anything is sent.
    pub async fn know_template(&self, name: &str, language: &str) -> Result<()> {
        // The store's templates first (every call through the recording does this; a
        // campaign's sends bypass it, and come here).
        if let Some(r) = &self.recording {
            r.restore().await;
        }
        let known = self
            .provider
            .known_templates()
            .is_some_and(|k| k.get(name, language).is_some());
        if known {
            return Ok(());
        }
        let q = TemplateQuery {
            name: Some(name.to_owned()),
            language: Some(language.to_owned()),
            ..Default::default()
        };
        self.provider.get_template(&q).await.map(drop)
    }

    /// The provider, without the recording of sends [`Client::with_store`] added.
    pub(crate) fn unrecorded(&self) -> Arc<dyn Provider> {
        match &self.recording {
            Some(r) => r.inner().clone(),
            None => self.provider.clone(),
        }
    }

    /// The store this client records its sends in, if its config has one.
    pub fn store(&self) -> Option<&crate::store::Store> {
        self.recording
            .as_deref()
            .map(crate::recording::Recording::store)
    }

    /// From the environment: `WABAKIT_CONFIG` (a file) with `WABAKIT_PROFILE`, or else one
    /// profile made of `WABAKIT_<KEY>` variables (`WABAKIT_PROVIDER=nxcloud`,
    /// `WABAKIT_ACCESS_KEY=…`).
    pub fn from_env() -> Result<Client> {
        let vars: Vec<(String, String)> = std::env::vars()
            .filter(|(k, _)| k.starts_with("WABAKIT_"))
            .collect();
        Self::from_vars(&vars, &ProcessEnv)
    }

    /// Whether a `WABAKIT_*` variable is a profile key for [`Client::from_env`]: not one of
    /// wabakit's own settings (`WABAKIT_CONFIG`, `WABAKIT_PROFILE`, `WABAKIT_LOG`, `WABAKIT_LOG_FORMAT`, `WABAKIT_PROGRESS_SECONDS`,
    /// the test suite's `WABAKIT_TEST_*` and `WABAKIT_REQUIRE_POSTGRES`, `WABAKIT_VENV`).
    pub fn is_profile_var(name: &str) -> bool {
        name.starts_with("WABAKIT_")
            && !name.starts_with("WABAKIT_TEST_")
            && !matches!(
                name,
                "WABAKIT_CONFIG"
                    | "WABAKIT_PROFILE"
                    | "WABAKIT_LOG"
                    | "WABAKIT_LOG_FORMAT"
                    | "WABAKIT_PROGRESS_SECONDS"
                    | "WABAKIT_REQUIRE_POSTGRES"
                    | "WABAKIT_VENV"
            )
    }

    /// [`Client::from_env`] over given variables (for tests and embedding).
    pub fn from_vars(vars: &[(String, String)], env: &dyn Env) -> Result<Client> {
        let get = |k: &str| vars.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let Some(path) = get("WABAKIT_CONFIG") {
            let file = ConfigFile::load(Path::new(&path))?;
            return Self::from_file(&file, get("WABAKIT_PROFILE").as_deref(), env);
        }
        let mut table = serde_json::Map::new();
        for (k, v) in vars {
            if !Self::is_profile_var(k) {
                continue;
            }
            let key = k.trim_start_matches("WABAKIT_").to_ascii_lowercase();
            let value = serde_json::Value::String(v.clone());
            table.insert(key, value);
        }
        if table.is_empty() {
            return Err(Error::config(
                "no WABAKIT_CONFIG and no WABAKIT_* variables",
            ));
        }
        let name = "environment".to_owned();
        Ok(Client::plain(
            registry::build_from_text(&name, &serde_json::Value::Object(table), env)?,
            name,
        ))
    }

    /// One profile given as a table (`{"provider": "nxcloud", "access_key": …}`), as the Python
    /// package's `Client.from_dict` passes it.
    pub fn from_profile(name: &str, profile: &serde_json::Value, env: &dyn Env) -> Result<Client> {
        Ok(Client::plain(
            registry::build(name, profile, env)?,
            name.to_owned(),
        ))
    }

    /// A client over a provider built in code.
    pub fn with_provider(provider: Arc<dyn Provider>) -> Client {
        let profile = provider.name().to_owned();
        Client::plain(provider, profile)
    }

    /// The provider the profile chose.
    pub fn provider(&self) -> &dyn Provider {
        self.provider.as_ref()
    }

    /// The provider as shared (for handing to tasks).
    pub fn shared(&self) -> Arc<dyn Provider> {
        self.provider.clone()
    }

    /// The profile's name.
    pub fn profile(&self) -> &str {
        &self.profile
    }

    /// Every problem of `t` for this provider: WhatsApp's rules and what the provider can express.
    pub fn validate(&self, t: &Template) -> Vec<Problem> {
        self.provider.validate(t)
    }

    /// Submit a template for review; see [`Provider::create_template`].
    pub async fn create_template(&self, t: &Template) -> Result<TemplateRef> {
        self.provider.create_template(t).await
    }

    /// Replace template `id`'s content; see [`Provider::update_template`].
    pub async fn update_template(&self, id: &TemplateId, t: &Template) -> Result<TemplateRef> {
        self.provider.update_template(id, t).await
    }

    /// One template; see [`Provider::get_template`].
    pub async fn get_template(&self, q: &TemplateQuery) -> Result<TemplateInfo> {
        self.provider.get_template(q).await
    }

    /// One page of templates; see [`Provider::list_templates`].
    pub async fn list_templates(&self, q: &ListQuery) -> Result<Page<TemplateInfo>> {
        self.provider.list_templates(q).await
    }

    /// Delete a template; see [`Provider::delete_template`].
    pub async fn delete_template(&self, q: &TemplateQuery) -> Result<()> {
        self.provider.delete_template(q).await
    }

    /// Send a template message; see [`Provider::send`].
    pub async fn send(&self, m: &TemplateMessage) -> Result<Receipt> {
        self.provider.send(m).await
    }

    /// Send every message, at most `concurrency` at a time; see [`crate::bulk::send_many`].
    pub fn send_many<I>(&self, messages: I, concurrency: usize) -> crate::Outcomes
    where
        I: IntoIterator<Item = TemplateMessage>,
        I::IntoIter: Send + 'static,
    {
        crate::bulk::send_many(self.provider.clone(), messages, concurrency)
    }

    /// Send every message of an asynchronous source, at most `concurrency` at a time; see
    /// [`crate::bulk::send_many_stream`].
    pub fn send_many_stream<S>(&self, messages: S, concurrency: usize) -> crate::Outcomes
    where
        S: futures_util::Stream<Item = TemplateMessage> + Send + 'static,
    {
        crate::bulk::send_many_stream(self.provider.clone(), messages, concurrency)
    }

    /// The exact request `op` would make, signed at `at`, without sending it.
    pub fn render(&self, op: &Operation, at: &Pinned) -> Result<HttpRequest> {
        self.provider.render(op, at)
    }
}
