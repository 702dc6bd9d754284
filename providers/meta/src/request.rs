//! Meta's one request path: [`MetaProvider::prepare`] validates an operation and maps it to its
//! Graph call (method, path, query, body); [`MetaProvider::sign`] adds the bearer token and, with
//! an app secret, the `appsecret_proof` of that attempt's clock value. An operation and its
//! render both go through here, so a dry run shows exactly what the operation sends.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::client::MetaProvider;
use crate::config::Proof;
use crate::mapping;
use crate::ops::Op;
use crate::response::{interpret, Reply};
use crate::sign::{appsecret_proof, appsecret_proof_at};

/// Templates are listed and searched in pages of this size.
pub(crate) const PAGE: u32 = 100;

/// The fields a template is read with (spec §2.4): enough to rebuild the neutral document.
pub const TEMPLATE_FIELDS: &str = "id,name,language,status,category,components,parameter_format,message_send_ttl_seconds,rejected_reason,quality_score";

/// What a query value keeps as it is: RFC 3986's unreserved characters.
const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A Graph call ready to be signed at any clock value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The endpoint.
    pub op: Op,
    /// The neutral operation it serves: the key of its rate limit.
    pub limit: &'static str,
    /// Whether an attempt may be repeated.
    pub repeat: Repeat,
    /// The path after the version (`/{waba_id}/message_templates`).
    pub path: String,
    /// The query, before the proof.
    pub query: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

/// What a listing is filtered by (Meta matches part of a name: answers are filtered again).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Filter<'a> {
    pub name: Option<&'a str>,
    pub language: Option<&'a str>,
    pub status: Option<&'a TemplateStatus>,
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// None (GET, DELETE).
    Empty,
    /// JSON.
    Json(Vec<u8>),
    /// A file's bytes, for the Resumable Upload API (`Authorization: OAuth`, `file_offset: 0`).
    File(Vec<u8>),
}

fn to_json(v: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(v).expect("Graph bodies always serialize")
}

impl MetaProvider {
    /// Validate `op` and build its (first) request, unsigned.
    pub fn prepare(&self, op: OperationRef<'_>) -> Result<Prepared> {
        let cfg = self.config();
        Ok(match op {
            OperationRef::CreateTemplate(t) => {
                ensure_valid(self, t)?;
                let body = to_json(&mapping::create_template(t));
                let path = format!("/{}/message_templates", cfg.waba_id);
                json(Op::CreateTemplate, Repeat::Unsafe, path, body)
            }
            OperationRef::UpdateTemplate(id, t) => {
                ensure_valid_update(self, id, t)?;
                let body = to_json(&mapping::edit_template(t));
                // Sending the same edit twice leaves the same template.
                json(Op::EditTemplate, Repeat::Safe, node(id)?, body)
            }
            OperationRef::GetTemplate(q) => {
                q.require(crate::NAME)?;
                match &q.id {
                    Some(id) => read(Op::GetTemplate, node(id)?, fields()),
                    // The name filter matches part of a name too: the answer is filtered again.
                    None => self.page(
                        Filter {
                            name: q.name.as_deref(),
                            language: q.language.as_deref(),
                            status: None,
                        },
                        None,
                        PAGE,
                        "get_template",
                    ),
                }
            }
            OperationRef::ListTemplates(q) => self.page(
                Filter {
                    name: q.name.as_deref(),
                    language: q.language.as_deref(),
                    status: q.status.as_ref(),
                },
                q.cursor.as_deref(),
                q.limit.clamp(1, PAGE),
                "list_templates",
            ),
            OperationRef::DeleteTemplate(q) => {
                q.require(crate::NAME)?;
                match (&q.name, &q.id, &q.language) {
                    // One template, as the spec advises: by name and id.
                    (Some(name), Some(id), _) => self.delete(name, Some(id)),
                    // Every language of the name.
                    (Some(name), None, None) => self.delete(name, None),
                    // A language, or an id alone: the template is looked up first.
                    _ => self.prepare(OperationRef::GetTemplate(q))?,
                }
            }
            OperationRef::Send(m) => {
                // Checked against the template this client knows, as it is sent.
                let known = self.known().get(&m.template, &m.language);
                let problems = validate_message(m, known.as_ref().map(|k| &k.template));
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider(crate::NAME));
                }
                let body = to_json(&mapping::send(m)?);
                let path = format!("/{}/messages", cfg.phone_number_id);
                json(Op::Send, Repeat::Unsafe, path, body)
            }
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("{} does not serve {}", crate::NAME, other.kind()),
                ))
            }
        })
    }

    /// One page of the WABA's templates, filtered as Meta filters; `key` is the operation it
    /// counts against (a get by name pages too).
    pub(crate) fn page(
        &self,
        f: Filter<'_>,
        after: Option<&str>,
        limit: u32,
        key: &'static str,
    ) -> Prepared {
        let mut query = fields();
        query.push(("limit", limit.to_string()));
        let filters = [
            ("name", f.name),
            ("language", f.language),
            ("status", f.status.map(TemplateStatus::as_str)),
            ("after", after),
        ];
        query.extend(
            filters
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_owned()))),
        );
        Prepared {
            limit: key,
            ..read(
                Op::ListTemplates,
                format!("/{}/message_templates", self.config().waba_id),
                query,
            )
        }
    }

    /// `DELETE /{waba_id}/message_templates?name=…[&hsm_id=…]`.
    pub(crate) fn delete(&self, name: &str, id: Option<&TemplateId>) -> Prepared {
        let mut query = vec![("name", name.to_owned())];
        if let Some(id) = id {
            query.push(("hsm_id", id.as_str().to_owned()));
        }
        Prepared {
            op: Op::DeleteTemplate,
            limit: Op::DeleteTemplate.neutral(),
            // Deleting what is deleted changes nothing more.
            repeat: Repeat::Safe,
            path: format!("/{}/message_templates", self.config().waba_id),
            query,
            body: Body::Empty,
        }
    }

    /// The Resumable Upload API's first step: a session for a file of this name, size and type.
    pub(crate) fn start_upload(&self, len: usize, mime: &str, filename: &str) -> Result<Prepared> {
        let app_id = self.config().app_id.as_deref().ok_or_else(|| {
            Error::config(format!(
                "{}: app_id is missing: uploads go to the Meta app (its id, not the WABA's)",
                crate::NAME
            ))
        })?;
        Ok(Prepared {
            op: Op::StartUpload,
            limit: Op::StartUpload.neutral(),
            // A second session is harmless: nothing refers to the first.
            repeat: Repeat::Safe,
            path: format!("/{}/uploads", segment(app_id)?),
            query: vec![
                ("file_name", filename.to_owned()),
                ("file_length", len.to_string()),
                ("file_type", mime.to_owned()),
            ],
            body: Body::Empty,
        })
    }

    /// The second step: the bytes, from offset 0, to the session (`upload:…`).
    pub(crate) fn upload(&self, session: &str, file: &[u8]) -> Result<Prepared> {
        Ok(Prepared {
            op: Op::Upload,
            limit: Op::Upload.neutral(),
            // The same bytes at the same offset: a repeat writes the same file.
            repeat: Repeat::Safe,
            path: format!("/{}", segment(session)?),
            query: Vec::new(),
            body: Body::File(file.to_vec()),
        })
    }

    /// `p` signed at clock value `unix_millis`: the token, and its proof when there is an app
    /// secret.
    pub fn sign(&self, p: &Prepared, unix_millis: u64) -> HttpRequest {
        let cfg = self.config();
        let token = cfg.access_token.expose();
        let mut query = p.query.clone();
        if let Some(secret) = &cfg.app_secret {
            match cfg.proof {
                Proof::Timed => {
                    let secs = unix_millis / 1000;
                    query.push((
                        "appsecret_proof",
                        appsecret_proof_at(secret.expose(), token, secs),
                    ));
                    query.push(("appsecret_time", secs.to_string()));
                }
                Proof::Plain => {
                    query.push(("appsecret_proof", appsecret_proof(secret.expose(), token)))
                }
            }
        }
        let mut url = cfg.url(&p.path);
        for (i, (k, v)) in query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.extend(utf8_percent_encode(v, QUERY));
        }
        let (scheme, body) = match &p.body {
            // Meta's upload guide authorises the bytes with `OAuth`, not `Bearer`.
            Body::File(b) => ("OAuth", b.clone()),
            Body::Json(b) => ("Bearer", b.clone()),
            Body::Empty => ("Bearer", Vec::new()),
        };
        let mut headers: Vec<(Text, Text)> =
            vec![("Authorization".into(), format!("{scheme} {token}").into())];
        match &p.body {
            Body::Json(_) => headers.push(("Content-Type".into(), "application/json".into())),
            Body::File(_) => headers.push(("file_offset".into(), "0".into())),
            Body::Empty => {}
        }
        HttpRequest {
            method: p.op.method().into(),
            url,
            headers,
            body,
        }
    }

    /// Send `p`, signed afresh for every attempt.
    pub(crate) async fn call(&self, p: &Prepared) -> Result<Reply> {
        self.call_watching(p, |_| {}).await
    }

    /// [`Self::call`], showing `watch` every error answer as it arrives (before a retry).
    pub(crate) async fn call_watching(
        &self,
        p: &Prepared,
        watch: impl Fn(&Error),
    ) -> Result<Reply> {
        self.transport()
            .call(
                p.limit,
                p.repeat,
                |a| Ok(self.sign(p, a.unix_millis)),
                |resp| {
                    let r = interpret(resp);
                    if let Err(e) = &r {
                        watch(e);
                    }
                    r
                },
            )
            .await
    }
}

fn json(op: Op, repeat: Repeat, path: String, body: Vec<u8>) -> Prepared {
    Prepared {
        op,
        limit: op.neutral(),
        repeat,
        path,
        query: Vec::new(),
        body: Body::Json(body),
    }
}

fn read(op: Op, path: String, query: Vec<(&'static str, String)>) -> Prepared {
    Prepared {
        op,
        limit: op.neutral(),
        repeat: Repeat::Safe,
        path,
        query,
        body: Body::Empty,
    }
}

fn fields() -> Vec<(&'static str, String)> {
    vec![("fields", TEMPLATE_FIELDS.to_owned())]
}

/// A template's node: its id, which must be one path segment.
fn node(id: &TemplateId) -> Result<String> {
    Ok(format!("/{}", segment(id.as_str())?))
}

/// An id as one path segment: refused if it could reach another path (`/`, `?`, `#`, `..`).
fn segment(id: &str) -> Result<&str> {
    let bad = id.is_empty()
        || id == ".."
        || id
            .bytes()
            .any(|b| matches!(b, b'/' | b'?' | b'#' | b'%' | b'\\') || b.is_ascii_whitespace());
    if bad {
        return Err(
            Error::new(ErrorKind::Validation, format!("{id:?} is not a Graph id"))
                .with_provider(crate::NAME),
        );
    }
    Ok(id)
}
