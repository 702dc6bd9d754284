//! NXCloud's one request path: [`NxcloudProvider::prepare`] validates an operation and maps it
//! to its endpoint and body; [`NxcloudProvider::sign`] signs that at a clock value. An operation
//! and its render both go through here, so a dry run shows exactly what the operation sends.

use serde::Serialize;
use sha2::{Digest, Sha256};
use wabakit_core::raw::*;
use wabakit_core::*;

use crate::client::NxcloudProvider;
use crate::mapping;
use crate::ops::Op;
use crate::response::{interpret, Reply};
use crate::sign::{sign, Algorithm, SignInput};
use crate::wire;

/// Templates are listed and searched in pages of this size.
pub(crate) const PAGE: u32 = 100;

/// A request ready to be signed at any clock value: where it goes, its body, and how it may be
/// repeated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The endpoint.
    pub op: Op,
    /// The neutral operation it serves: the key of its rate limit.
    pub limit: &'static str,
    /// Whether an attempt may be repeated.
    pub repeat: Repeat,
    /// The body.
    pub body: Body,
}

/// A request body and how it is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// JSON, signed byte for byte.
    Json(Vec<u8>),
    /// multipart/form-data, never signed.
    Multipart {
        /// The form, encoded.
        bytes: Vec<u8>,
        /// Its boundary (derived from the file, so a render is reproducible).
        boundary: String,
    },
}

fn to_json(v: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(v).expect("wire bodies always serialize")
}

impl NxcloudProvider {
    /// Validate `op` and build its (first) request, unsigned.
    pub fn prepare(&self, op: OperationRef<'_>) -> Result<Prepared> {
        let cfg = self.config();
        Ok(match op {
            OperationRef::CreateTemplate(t) => {
                ensure_valid(self, t)?;
                let body = to_json(&mapping::create_template(cfg, t));
                self.json(self.create_op(), "create_template", Repeat::Unsafe, body)
            }
            OperationRef::UpdateTemplate(id, t) => {
                ensure_valid_update(self, id, t)?;
                let body = to_json(&mapping::update_template(cfg, id, t));
                // Sending the same edit twice leaves the same template.
                self.json(Op::UpdateTemplate, "update_template", Repeat::Safe, body)
            }
            OperationRef::GetTemplate(q) => {
                q.require(crate::NAME)?;
                // getTemplate filters by name only; an id is found by paging.
                self.page(q.name.as_deref(), None, PAGE, "get_template")
            }
            OperationRef::ListTemplates(q) => self.page(
                q.name.as_deref(),
                q.cursor.as_deref(),
                q.limit.clamp(1, PAGE),
                "list_templates",
            ),
            OperationRef::DeleteTemplate(q) => {
                q.require(crate::NAME)?;
                match &q.name {
                    Some(name) => self.json(
                        Op::DeleteTemplate,
                        "delete_template",
                        Repeat::Safe,
                        to_json(&wire::DeleteTemplate {
                            appkey: &cfg.app_key,
                            messaging_product: wire::MESSAGING_PRODUCT,
                            business_phone: &cfg.business_phone,
                            name,
                        }),
                    ),
                    // NXCloud deletes by name: an id is looked up first.
                    None => self.prepare(OperationRef::GetTemplate(q))?,
                }
            }
            OperationRef::Send(m) => {
                // Checked against the template this client knows, as it is sent.
                let known = self.known().get(&m.template, &m.language);
                let template = known.as_ref().map(|k| &k.template);
                let problems = validate_message(m, template);
                if !problems.is_empty() {
                    return Err(Error::validation(problems).with_provider(crate::NAME));
                }
                let body = to_json(&mapping::send(cfg, m, template)?);
                self.json(self.send_op(), "send", Repeat::Unsafe, body)
            }
            other => {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    format!("{} does not serve {}", crate::NAME, other.kind()),
                ))
            }
        })
    }

    fn json(&self, op: Op, limit: &'static str, repeat: Repeat, body: Vec<u8>) -> Prepared {
        Prepared {
            op,
            limit,
            repeat,
            body: Body::Json(body),
        }
    }

    /// One page of getTemplate.
    pub(crate) fn page(
        &self,
        name: Option<&str>,
        after: Option<&str>,
        limit: u32,
        key: &'static str,
    ) -> Prepared {
        let cfg = self.config();
        let body = to_json(&wire::GetTemplate {
            appkey: &cfg.app_key,
            messaging_product: wire::MESSAGING_PRODUCT,
            business_phone: &cfg.business_phone,
            name,
            after,
            limit,
        });
        self.json(Op::GetTemplate, key, Repeat::Safe, body)
    }

    /// uploadTemplateFile's multipart form.
    pub(crate) fn upload(&self, file: &[u8], mime: &str, filename: &str) -> Prepared {
        let cfg = self.config();
        // Derived from the content, so it cannot occur in it, and a render is reproducible.
        let boundary = format!("wabakit-{}", &hex::encode(Sha256::digest(file))[..32]);
        let fields = [
            ("appkey", cfg.app_key.as_str()),
            ("business_phone", &cfg.business_phone),
            ("messaging_product", wire::MESSAGING_PRODUCT),
            ("type", mime),
        ];
        let mut out = Vec::with_capacity(file.len() + 512);
        for (k, v) in fields {
            out.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        let safe_name: String = filename
            .chars()
            .filter(|c| !matches!(c, '"' | '\r' | '\n'))
            .collect();
        out.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{safe_name}\"\r\nContent-Type: {mime}\r\n\r\n").as_bytes(),
        );
        out.extend_from_slice(file);
        out.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Prepared {
            op: Op::UploadTemplateFile,
            limit: "upload_template_file",
            repeat: Repeat::Unsafe,
            body: Body::Multipart {
                bytes: out,
                boundary,
            },
        }
    }

    /// `p` signed at clock value `unix_millis`.
    pub fn sign(&self, p: &Prepared, unix_millis: u64) -> HttpRequest {
        let cfg = self.config();
        let r = cfg.resolve(p.op);
        let ts = unix_millis.to_string();
        let (content_type, signed, bytes) = match &p.body {
            Body::Json(b) => (Text::Borrowed("application/json"), Some(b.as_slice()), b),
            Body::Multipart { bytes, boundary } => (
                Text::Owned(format!("multipart/form-data; boundary={boundary}")),
                None,
                bytes,
            ),
        };
        let s = sign(&SignInput {
            access_key: &cfg.access_key,
            access_secret: cfg.access_secret.expose(),
            ts: &ts,
            biz_type: &r.biz_type,
            action: &r.action,
            body: signed,
            algorithm: cfg.algorithm,
        });
        let mut headers: Vec<(Text, Text)> = vec![
            ("Content-Type".into(), content_type),
            (
                "accessKey".into(),
                cfg.access_key.as_str().to_owned().into(),
            ),
            ("ts".into(), ts.into()),
            ("bizType".into(), r.biz_type),
            ("action".into(), r.action),
            ("sign".into(), s.sign.into()),
        ];
        // MD5 is the default; the header is sent only when it changes something.
        if cfg.algorithm != Algorithm::Md5 {
            headers.push(("algorithm".into(), cfg.algorithm.as_str().into()));
        }
        HttpRequest {
            method: "POST".into(),
            url: r.url,
            headers,
            body: bytes.clone(),
        }
    }

    /// Send `p`, signed afresh for every attempt.
    pub(crate) async fn call(&self, p: &Prepared) -> Result<Reply> {
        self.transport()
            .call(
                p.limit,
                p.repeat,
                |a| Ok(self.sign(p, a.unix_millis)),
                interpret,
            )
            .await
    }

    fn create_op(&self) -> Op {
        if self.config().async_create {
            Op::CreateTemplateAsync
        } else {
            Op::CreateTemplate
        }
    }

    fn send_op(&self) -> Op {
        if self.config().tenant_id.is_some() {
            Op::SaasSend
        } else {
            Op::Send
        }
    }
}
