//! Properties: every generated valid template survives serialize → parse unchanged and
//! validates clean; no input, however malformed, panics the parser or the validator.

use proptest::prelude::*;
use serde_json::{json, Value};
use wabakit_core::rules::LANGUAGES;
use wabakit_core::*;

fn word() -> impl Strategy<Value = String> {
    "[A-Za-z][a-z]{1,8}"
}

/// Text of `words` words with `vars` variables {{1}}..{{n}} between them (never at an edge).
fn text_with_vars(vars: usize, max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), vars + 1..=max_words.max(vars + 1)).prop_map(move |words| {
        let mut s = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(w);
            if i < vars {
                s.push_str(&format!(" {{{{{}}}}}", i + 1));
            }
        }
        s.push('.');
        s
    })
}

fn body(max_vars: usize) -> impl Strategy<Value = Component> {
    (0..=max_vars)
        .prop_flat_map(|n| (text_with_vars(n, 12), prop::collection::vec(word(), n)))
        .prop_map(|(text, examples)| {
            Component::Body(Body {
                text: Some(text),
                example: (!examples.is_empty()).then(|| BodyExample {
                    body_text: Some(vec![examples]),
                    body_text_named_params: None,
                }),
                add_security_recommendation: None,
            })
        })
}

fn header() -> impl Strategy<Value = Component> {
    prop_oneof![
        (text_with_vars(0, 4), prop::bool::ANY, word()).prop_map(|(text, var, ex)| {
            let (text, example) = if var {
                (
                    format!("{} {{{{1}}}} now", text.trim_end_matches('.')),
                    Some(HeaderExample {
                        header_text: Some(OneOrMany::Many(vec![ex])),
                        ..Default::default()
                    }),
                )
            } else {
                (text, None)
            };
            Component::Header(Header {
                format: HeaderFormat::Text,
                text: Some(text),
                example,
                ..Default::default()
            })
        }),
        (
            prop_oneof![
                Just(HeaderFormat::Image),
                Just(HeaderFormat::Video),
                Just(HeaderFormat::Document)
            ],
            "4:[A-Za-z0-9]{4,12}",
            prop::bool::ANY
        )
            .prop_map(|(format, handle, one)| Component::Header(Header {
                format,
                text: None,
                example: Some(HeaderExample {
                    header_handle: Some(if one {
                        OneOrMany::One(handle)
                    } else {
                        OneOrMany::Many(vec![handle])
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            })),
        Just(Component::Header(Header::new(HeaderFormat::Location))),
    ]
}

fn label() -> impl Strategy<Value = String> {
    "[A-Z][a-z]{1,10}( [a-z]{1,6})?"
}

fn call_to_action() -> impl Strategy<Value = Vec<Button>> {
    (
        0..=2usize,
        prop::bool::ANY,
        label(),
        "[a-z]{3,10}",
        "\\+[1-9][0-9]{8,12}",
    )
        .prop_map(|(urls, phone, text, path, number)| {
            let mut v = Vec::new();
            for i in 0..urls {
                let dynamic = i == 1;
                v.push(Button::Url(UrlButton {
                    text: format!("{text} {i}"),
                    url: if dynamic {
                        format!("https://shop.example/{path}/{{{{1}}}}")
                    } else {
                        format!("https://shop.example/{path}")
                    },
                    example: dynamic.then(|| vec![format!("https://shop.example/{path}/1")]),
                }));
            }
            if phone {
                v.push(Button::PhoneNumber(PhoneNumberButton {
                    text: "Call us".into(),
                    phone_number: number,
                }));
            }
            v
        })
}

fn buttons() -> impl Strategy<Value = Option<Component>> {
    (
        prop::collection::vec(label(), 0..=4),
        call_to_action(),
        prop::bool::ANY,
    )
        .prop_map(|(qr, cta, qr_first)| {
            let qr: Vec<Button> = qr
                .into_iter()
                .map(|text| {
                    Button::QuickReply(QuickReply {
                        text,
                        is_opt_out: None,
                    })
                })
                .collect();
            let buttons: Vec<Button> = if qr_first {
                qr.into_iter().chain(cta).collect()
            } else {
                cta.into_iter().chain(qr).collect()
            };
            (!buttons.is_empty()).then_some(Component::Buttons(Buttons { buttons }))
        })
}

fn standard() -> impl Strategy<Value = Template> {
    (
        "[a-z][a-z0-9_]{0,30}",
        prop::sample::select(LANGUAGES),
        prop_oneof![Just(Category::Marketing), Just(Category::Utility)],
        prop::option::of(header()),
        body(4),
        prop::option::of(text_with_vars(0, 6)),
        buttons(),
    )
        .prop_map(
            |(name, language, category, header, body, footer, buttons)| {
                let mut components: Vec<Component> = header.into_iter().collect();
                components.push(body);
                components.extend(footer.map(|text| {
                    Component::Footer(Footer {
                        text: Some(text.chars().take(60).collect()),
                        code_expiration_minutes: None,
                    })
                }));
                components.extend(buttons);
                let ttl = match category {
                    Category::Utility => Some(3600),
                    _ => None,
                };
                Template {
                    name,
                    language: language.to_string(),
                    category: Some(category),
                    channel: Channel::Whatsapp,
                    message_send_ttl_seconds: ttl,
                    parameter_format: None,
                    category_change_paused: None,
                    viber_category: None,
                    components,
                }
            },
        )
}

fn authentication() -> impl Strategy<Value = Template> {
    (
        "[a-z][a-z0-9_]{0,20}",
        prop::option::of(prop::bool::ANY),
        prop::option::of(1i64..=90),
        prop::bool::ANY,
    )
        .prop_map(|(name, security, expiry, one_tap)| {
            let mut otp = OtpButton::new(if one_tap {
                OtpType::OneTap
            } else {
                OtpType::CopyCode
            });
            otp.text = Some("Copy code".into());
            if one_tap {
                otp.autofill_text = Some("Autofill".into());
                otp.supported_apps = Some(vec![SupportedApp {
                    package_name: "com.example.app".into(),
                    signature_hash: "K8a0AINcGX7".into(),
                }]);
            }
            let mut components = vec![Component::Body(Body {
                add_security_recommendation: security,
                ..Default::default()
            })];
            if expiry.is_some() {
                components.push(Component::Footer(Footer {
                    text: None,
                    code_expiration_minutes: expiry,
                }));
            }
            components.push(Component::Buttons(Buttons {
                buttons: vec![Button::Otp(otp)],
            }));
            Template {
                name,
                language: "en".into(),
                category: Some(Category::Authentication),
                channel: Channel::Whatsapp,
                message_send_ttl_seconds: Some(300),
                parameter_format: None,
                category_change_paused: None,
                viber_category: None,
                components,
            }
        })
}

fn carousel() -> impl Strategy<Value = Template> {
    (
        2..=10usize,
        prop::collection::vec(text_with_vars(0, 8), 10),
        body(3),
    )
        .prop_map(|(n, bodies, top)| {
            let cards = (0..n)
                .map(|i| Card {
                    components: vec![
                        Component::Header(Header {
                            format: HeaderFormat::Image,
                            text: None,
                            example: Some(HeaderExample {
                                header_handle: Some(OneOrMany::Many(vec![format!("4:card{i}")])),
                                ..Default::default()
                            }),
                            ..Default::default()
                        }),
                        Component::Body(Body {
                            text: Some(bodies[i].clone()),
                            ..Default::default()
                        }),
                        Component::Buttons(Buttons {
                            buttons: vec![Button::QuickReply(QuickReply {
                                text: "More like this".into(),
                                is_opt_out: None,
                            })],
                        }),
                    ],
                })
                .collect();
            Template {
                name: "carousel_promo".into(),
                language: "en_US".into(),
                category: Some(Category::Marketing),
                channel: Channel::Whatsapp,
                message_send_ttl_seconds: None,
                parameter_format: None,
                category_change_paused: None,
                viber_category: None,
                components: vec![top, Component::Carousel(Carousel { cards })],
            }
        })
}

fn valid_template() -> impl Strategy<Value = Template> {
    prop_oneof![4 => standard(), 1 => authentication(), 1 => carousel()]
}

/// Any JSON value, biased toward template-like keys so the parser goes deep.
fn any_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("type".to_owned()),
        Just("text".to_owned()),
        Just("components".to_owned()),
        Just("buttons".to_owned()),
        Just("example".to_owned()),
        Just("format".to_owned()),
        Just("cards".to_owned()),
        Just("name".to_owned()),
        Just("category".to_owned()),
        Just("language".to_owned()),
        "[a-z_]{1,8}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        prop_oneof![
            Just("BODY".to_owned()),
            Just("HEADER".to_owned()),
            Just("BUTTONS".to_owned()),
            Just("CAROUSEL".to_owned()),
            Just("URL".to_owned()),
            Just("OTP".to_owned()),
            Just("TEXT".to_owned()),
            Just("{{1}}".to_owned()),
            Just("{{".to_owned()),
            ".{0,12}"
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replace the value at a pseudo-random place in `doc` with `with`.
fn mutate(doc: &mut Value, mut pick: usize, with: Value) {
    fn walk(v: &mut Value, pick: &mut usize, with: &mut Option<Value>) {
        if with.is_none() {
            return;
        }
        if *pick == 0 {
            *v = with.take().unwrap();
            return;
        }
        *pick -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, pick, with)),
            Value::Object(m) => m.values_mut().for_each(|x| walk(x, pick, with)),
            _ => {}
        }
    }
    let mut w = Some(with);
    pick %= 64;
    walk(doc, &mut pick, &mut w);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn valid_templates_round_trip_and_validate_clean(t in valid_template()) {
        let problems = t.validate();
        prop_assert!(problems.is_empty(), "generated template has problems: {:?}\n{}", problems, t.to_json());
        let back = Template::from_json(&t.to_json());
        prop_assert_eq!(back.as_ref(), Ok(&t));
        let yaml = serde_yaml::to_string(&t).unwrap();
        let back = Template::from_yaml(&yaml);
        prop_assert_eq!(back.as_ref(), Ok(&t));
    }

    #[test]
    fn arbitrary_json_never_panics(v in any_json()) {
        if let Ok(t) = Template::from_value(&v) {
            let _ = t.validate();
        }
        if let Ok(m) = TemplateMessage::from_value(&v) {
            let _ = validate_message(&m, None);
        }
    }

    #[test]
    fn mutated_templates_never_panic(t in valid_template(), pick in any::<usize>(), with in any_json()) {
        let mut doc = t.to_value();
        mutate(&mut doc, pick, with);
        match Template::from_value(&doc) {
            Ok(t2) => { let _ = t2.validate(); }
            Err(problems) => prop_assert!(!problems.is_empty()),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let _ = Template::from_json(&s);
        let _ = Template::from_yaml(&s);
        let _ = Template::from_toml(&s);
        let _ = wabakit_core::placeholder::scan(&s);
        let _ = normalize_phone(&s);
    }
}
