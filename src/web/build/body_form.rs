//! The typed part of a component's form: how each body type is shown as fields, and how a
//! submitted form becomes a body draft (secret fields travel apart, as edits).

use crate::db::build::ComponentSummary;
use crate::domain::build::{
    Body, ComponentType, Connector, Endpoint, HttpMethod, Mapping, OperationAction, ProfileField,
    ProfileFormat, Property, PropertyKind, Route,
};
use crate::domain::validation::FieldErrors;
use crate::services::build::components::{BodyDraft, SecretInput};
use crate::web::page::{Choice, Field, Select};
use crate::web::pairs::Pairs;

/// One control of a simple body form.
pub enum Control {
    Select(Select),
    Field(Field),
    Area(Field),
}

/// A process property row.
pub struct PropertyRow {
    pub n: usize,
    pub name: String,
    pub kinds: Vec<Choice>,
    pub value: String,
    pub is_password: bool,
    pub is_set: bool,
    pub origin: Option<usize>,
}

/// An API endpoint row.
pub struct EndpointRow {
    pub n: usize,
    pub processes: Vec<Choice>,
    pub path: String,
    pub methods: Vec<Choice>,
}

/// A process route row.
pub struct RouteRow {
    pub n: usize,
    pub key: String,
    pub processes: Vec<Choice>,
}

/// The typed part of the form, ready for the template.
#[derive(Default)]
pub struct BodyView {
    pub controls: Vec<Control>,
    /// Connection only: whether a password is stored, and the error beside the field.
    pub password: Option<(bool, Option<String>)>,
    pub properties: Option<Vec<PropertyRow>>,
    pub endpoints: Option<Vec<EndpointRow>>,
    pub routes: Option<Vec<RouteRow>>,
    pub rows_error: Option<String>,
}

fn of_type(
    options: &[ComponentSummary],
    kind: ComponentType,
    selected: Option<&str>,
) -> Vec<Choice> {
    options
        .iter()
        .filter(|o| o.component_type == kind.code())
        .map(|o| {
            Choice::new(
                o.id.clone(),
                o.name.clone(),
                Some(o.id.as_str()) == selected,
            )
        })
        .collect()
}

fn enum_select<T: Copy + PartialEq>(
    name: &str,
    label: &str,
    all: &[T],
    code: fn(T) -> &'static str,
    text: fn(T) -> &'static str,
    selected: T,
) -> Select {
    Select::new(
        name,
        label,
        all.iter()
            .map(|v| Choice::new(code(*v), text(*v), *v == selected))
            .collect(),
    )
    .required()
}

fn reference(
    name: &str,
    label: &str,
    options: &[ComponentSummary],
    kind: ComponentType,
    selected: &Option<String>,
    errors: &FieldErrors,
) -> Control {
    Control::Select(
        Select::new(name, label, of_type(options, kind, selected.as_deref()))
            .optional("None")
            .error(errors, name),
    )
}

/// Shows a body as form controls. `stored` tells which secrets the saved component holds.
pub fn view(
    body: &Body,
    stored: &Body,
    options: &[ComponentSummary],
    errors: &FieldErrors,
) -> BodyView {
    let mut view = BodyView {
        rows_error: None,
        ..BodyView::default()
    };
    match body {
        Body::Connection {
            connector,
            url,
            username,
            ..
        } => {
            view.controls = vec![
                Control::Select(enum_select(
                    "connector",
                    "Connector",
                    Connector::ALL,
                    Connector::code,
                    Connector::label,
                    *connector,
                )),
                Control::Field(Field::text("url", "URL").maxlength(2000).with(url, errors)),
                Control::Field(
                    Field::text("username", "User Name")
                        .maxlength(200)
                        .with(username, errors),
                ),
            ];
            let is_set =
                matches!(stored, Body::Connection { password: Some(p), .. } if !p.is_empty());
            view.password = Some((is_set, errors.get("password").map(str::to_owned)));
        }
        Body::Operation {
            connector,
            action,
            connection,
            request_profile,
            response_profile,
        } => {
            view.controls = vec![
                Control::Select(enum_select(
                    "connector",
                    "Connector",
                    Connector::ALL,
                    Connector::code,
                    Connector::label,
                    *connector,
                )),
                Control::Select(enum_select(
                    "action",
                    "Action",
                    OperationAction::ALL,
                    OperationAction::code,
                    OperationAction::label,
                    *action,
                )),
                reference(
                    "connection",
                    "Connection",
                    options,
                    ComponentType::Connection,
                    connection,
                    errors,
                ),
                reference(
                    "request_profile",
                    "Request Profile",
                    options,
                    ComponentType::Profile,
                    request_profile,
                    errors,
                ),
                reference(
                    "response_profile",
                    "Response Profile",
                    options,
                    ComponentType::Profile,
                    response_profile,
                    errors,
                ),
            ];
        }
        Body::Profile { format, fields } => {
            let text: Vec<String> = fields
                .iter()
                .map(|f| format!("{}: {}", f.name, f.kind))
                .collect();
            view.controls = vec![
                Control::Select(enum_select(
                    "format",
                    "Format",
                    ProfileFormat::ALL,
                    ProfileFormat::code,
                    ProfileFormat::label,
                    *format,
                )),
                Control::Area(
                    Field::text("fields", "Fields")
                        .maxlength(50_000)
                        .help("One field per line: name, or name: type.")
                        .with(&text.join("\n"), errors),
                ),
            ];
        }
        Body::Map {
            source_profile,
            destination_profile,
            mappings,
        } => {
            let text: Vec<String> = mappings
                .iter()
                .map(|m| format!("{} -> {}", m.from, m.to))
                .collect();
            view.controls = vec![
                reference(
                    "source_profile",
                    "Source Profile",
                    options,
                    ComponentType::Profile,
                    source_profile,
                    errors,
                ),
                reference(
                    "destination_profile",
                    "Destination Profile",
                    options,
                    ComponentType::Profile,
                    destination_profile,
                    errors,
                ),
                Control::Area(
                    Field::text("mappings", "Mappings")
                        .maxlength(50_000)
                        .help("One mapping per line: source field -> destination field.")
                        .with(&text.join("\n"), errors),
                ),
            ];
        }
        Body::ProcessProperty { properties } => {
            let stored_set: Vec<bool> = match stored {
                Body::ProcessProperty { properties } => properties
                    .iter()
                    .map(|p| p.kind == PropertyKind::Password && !p.value.is_empty())
                    .collect(),
                _ => Vec::new(),
            };
            let mut rows: Vec<PropertyRow> = properties
                .iter()
                .enumerate()
                .map(|(i, p)| PropertyRow {
                    n: i + 1,
                    name: p.name.clone(),
                    kinds: property_kinds(p.kind),
                    value: if p.kind == PropertyKind::Text {
                        p.value.clone()
                    } else {
                        String::new()
                    },
                    is_password: p.kind == PropertyKind::Password,
                    is_set: stored_set.get(i).copied().unwrap_or(false),
                    origin: Some(i),
                })
                .collect();
            rows.push(PropertyRow {
                n: rows.len() + 1,
                name: String::new(),
                kinds: property_kinds(PropertyKind::Text),
                value: String::new(),
                is_password: false,
                is_set: false,
                origin: None,
            });
            view.properties = Some(rows);
            view.rows_error = errors.get("properties").map(str::to_owned);
        }
        Body::ApiService { endpoints } => {
            let mut rows: Vec<EndpointRow> = endpoints
                .iter()
                .enumerate()
                .map(|(i, e)| EndpointRow {
                    n: i + 1,
                    processes: of_type(options, ComponentType::Process, Some(&e.process)),
                    path: e.path.clone(),
                    methods: methods(e.method),
                })
                .collect();
            rows.push(EndpointRow {
                n: rows.len() + 1,
                processes: of_type(options, ComponentType::Process, None),
                path: String::new(),
                methods: methods(HttpMethod::Get),
            });
            view.endpoints = Some(rows);
            view.rows_error = errors.get("endpoints").map(str::to_owned);
        }
        Body::ProcessRoute { routes } => {
            let mut rows: Vec<RouteRow> = routes
                .iter()
                .enumerate()
                .map(|(i, r)| RouteRow {
                    n: i + 1,
                    key: r.key.clone(),
                    processes: of_type(options, ComponentType::Process, Some(&r.process)),
                })
                .collect();
            rows.push(RouteRow {
                n: rows.len() + 1,
                key: String::new(),
                processes: of_type(options, ComponentType::Process, None),
            });
            view.routes = Some(rows);
            view.rows_error = errors.get("routes").map(str::to_owned);
        }
        Body::Process { .. } => {}
    }
    view
}

fn property_kinds(selected: PropertyKind) -> Vec<Choice> {
    PropertyKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(), *k == selected))
        .collect()
}

fn methods(selected: HttpMethod) -> Vec<Choice> {
    HttpMethod::ALL
        .iter()
        .map(|m| Choice::new(m.code(), m.label(), *m == selected))
        .collect()
}

fn optional_id(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

fn pick<T: Copy>(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: Option<T>,
    fallback: T,
) -> T {
    value.unwrap_or_else(|| {
        errors.add(field, format!("Choose a {label}."));
        fallback
    })
}

/// Reads the typed part of a submitted form; `None` for a process (its shapes have their own
/// forms). Unknown choices are reported beside their field.
pub fn draft(kind: ComponentType, form: &Pairs, errors: &mut FieldErrors) -> Option<BodyDraft> {
    let body = match kind {
        ComponentType::Process => return None,
        ComponentType::Connection => {
            let draft = BodyDraft {
                body: Body::Connection {
                    connector: pick(
                        errors,
                        "connector",
                        "connector",
                        Connector::from_code(form.get("connector")),
                        Connector::HttpClient,
                    ),
                    url: form.get("url").trim().to_owned(),
                    username: form.get("username").trim().to_owned(),
                    password: None,
                },
                secrets: vec![SecretInput {
                    origin: Some(0),
                    new_value: form.get("password").to_owned(),
                    clear: form.checked("clear_password"),
                }],
            };
            return Some(draft);
        }
        ComponentType::Operation => Body::Operation {
            connector: pick(
                errors,
                "connector",
                "connector",
                Connector::from_code(form.get("connector")),
                Connector::HttpClient,
            ),
            action: pick(
                errors,
                "action",
                "action",
                OperationAction::from_code(form.get("action")),
                OperationAction::Get,
            ),
            connection: optional_id(form.get("connection")),
            request_profile: optional_id(form.get("request_profile")),
            response_profile: optional_id(form.get("response_profile")),
        },
        ComponentType::Profile => Body::Profile {
            format: pick(
                errors,
                "format",
                "format",
                ProfileFormat::from_code(form.get("format")),
                ProfileFormat::Json,
            ),
            fields: lines(form.get("fields"))
                .map(|line| match line.split_once(':') {
                    Some((name, kind)) => ProfileField {
                        name: name.trim().to_owned(),
                        kind: kind.trim().to_owned(),
                    },
                    None => ProfileField {
                        name: line.to_owned(),
                        kind: "string".to_owned(),
                    },
                })
                .collect(),
        },
        ComponentType::Map => Body::Map {
            source_profile: optional_id(form.get("source_profile")),
            destination_profile: optional_id(form.get("destination_profile")),
            mappings: lines(form.get("mappings"))
                .map(|line| match line.split_once("->") {
                    Some((from, to)) => Mapping {
                        from: from.trim().to_owned(),
                        to: to.trim().to_owned(),
                    },
                    None => Mapping {
                        from: line.to_owned(),
                        to: String::new(),
                    },
                })
                .collect(),
        },
        ComponentType::ProcessProperty => return Some(property_draft(form, errors)),
        ComponentType::ApiService => Body::ApiService {
            endpoints: form
                .rows("endpoint_path")
                .into_iter()
                .filter(|n| !form.row_checked("endpoint_remove", *n))
                .filter(|n| {
                    !(form.row("endpoint_path", *n).trim().is_empty()
                        && form.row("endpoint_process", *n).is_empty())
                })
                .map(|n| Endpoint {
                    process: form.row("endpoint_process", n).to_owned(),
                    path: form.row("endpoint_path", n).trim().to_owned(),
                    method: pick(
                        errors,
                        "endpoints",
                        "method",
                        HttpMethod::from_code(form.row("endpoint_method", n)),
                        HttpMethod::Get,
                    ),
                })
                .collect(),
        },
        ComponentType::ProcessRoute => Body::ProcessRoute {
            routes: form
                .rows("route_key")
                .into_iter()
                .filter(|n| !form.row_checked("route_remove", *n))
                .filter(|n| {
                    !(form.row("route_key", *n).trim().is_empty()
                        && form.row("route_process", *n).is_empty())
                })
                .map(|n| Route {
                    key: form.row("route_key", n).trim().to_owned(),
                    process: form.row("route_process", n).to_owned(),
                })
                .collect(),
        },
    };
    Some(BodyDraft {
        body,
        secrets: Vec::new(),
    })
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn property_draft(form: &Pairs, errors: &mut FieldErrors) -> BodyDraft {
    let mut properties = Vec::new();
    let mut secrets = Vec::new();
    for n in form.rows("prop_name") {
        let name = form.row("prop_name", n).trim();
        let value = form.row("prop_value", n);
        if form.row_checked("prop_remove", n) || (name.is_empty() && value.is_empty()) {
            continue;
        }
        let kind = pick(
            errors,
            "properties",
            "property type",
            PropertyKind::from_code(form.row("prop_kind", n)),
            PropertyKind::Text,
        );
        let origin = form.row("prop_origin", n).parse().ok();
        properties.push(Property {
            name: name.to_owned(),
            kind,
            value: if kind == PropertyKind::Text {
                value.to_owned()
            } else {
                String::new()
            },
        });
        secrets.push(SecretInput {
            origin,
            new_value: if kind == PropertyKind::Password {
                value.to_owned()
            } else {
                String::new()
            },
            clear: form.row_checked("prop_clear", n),
        });
    }
    BodyDraft {
        body: Body::ProcessProperty { properties },
        secrets,
    }
}
