//! The API Service and Process Route forms: rows that point at processes, by path and method
//! or by route key. No database access.

use super::{BodyView, of_type, pick};
use crate::db::build::ComponentSummary;
use crate::domain::build::{Body, ComponentType, Endpoint, HttpMethod, Route};
use crate::domain::validation::FieldErrors;
use crate::web::page::Choice;
use crate::web::pairs::Pairs;

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

/// Shows an API Service or a Process Route body; other bodies are left to their own modules.
pub(super) fn view(
    view: &mut BodyView,
    body: &Body,
    options: &[ComponentSummary],
    errors: &FieldErrors,
) {
    match body {
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
        _ => {}
    }
}

fn methods(selected: HttpMethod) -> Vec<Choice> {
    HttpMethod::ALL
        .iter()
        .map(|m| Choice::new(m.code(), m.label(), *m == selected))
        .collect()
}

/// Reads a submitted API Service form; empty and removed rows are dropped.
pub(super) fn endpoints_draft(form: &Pairs, errors: &mut FieldErrors) -> Body {
    Body::ApiService {
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
    }
}

/// Reads a submitted Process Route form; empty and removed rows are dropped.
pub(super) fn routes_draft(form: &Pairs) -> Body {
    Body::ProcessRoute {
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
    }
}
