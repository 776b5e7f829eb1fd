//! Field checks of component bodies and names that need no database.

use std::collections::BTreeSet;

use super::build::{Body, ComponentType, PropertyKind};
use super::validation::{self as v, FieldErrors};

/// Most shapes a process may hold.
pub const MAX_SHAPES: usize = 200;
/// Most rows of any list inside a body (fields, mappings, properties, endpoints, routes).
pub const MAX_ROWS: usize = 500;

/// Checks the fields common to every component.
pub fn check_header(errors: &mut FieldErrors, name: &str, description: &str) {
    errors.check("name", v::required_text("Name", name, 100));
    errors.check("description", v::prose("Description", description, 2000));
}

fn unique(
    errors: &mut FieldErrors,
    field: &'static str,
    what: &str,
    names: impl Iterator<Item = String>,
) {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name.to_lowercase()) {
            errors.add(field, format!("{what} {name:?} appears twice."));
        }
    }
}

fn rows(errors: &mut FieldErrors, field: &'static str, count: usize) {
    if count > MAX_ROWS {
        errors.add(field, format!("At most {MAX_ROWS} rows."));
    }
}

/// Checks the typed fields of a body; references are checked against the database elsewhere.
pub fn check_body(errors: &mut FieldErrors, body: &Body) {
    match body {
        Body::Connection { url, username, .. } => {
            errors.check("url", v::optional_text("URL", url, 2000));
            errors.check("username", v::optional_text("User Name", username, 200));
        }
        Body::Profile { fields, .. } => {
            rows(errors, "fields", fields.len());
            for f in fields {
                errors.check("fields", v::required_text("Field name", &f.name, 100));
                errors.check("fields", v::optional_text("Field type", &f.kind, 50));
            }
            unique(
                errors,
                "fields",
                "The field",
                fields.iter().map(|f| f.name.clone()),
            );
        }
        Body::Map { mappings, .. } => {
            rows(errors, "mappings", mappings.len());
            for m in mappings {
                errors.check(
                    "mappings",
                    v::required_text("A mapping's source", &m.from, 100),
                );
                errors.check(
                    "mappings",
                    v::required_text("A mapping's destination", &m.to, 100),
                );
            }
        }
        Body::ProcessProperty { properties } => {
            rows(errors, "properties", properties.len());
            for p in properties {
                errors.check(
                    "properties",
                    v::required_text("Property name", &p.name, 100),
                );
                if p.kind == PropertyKind::Text {
                    errors.check(
                        "properties",
                        v::optional_text("Property value", &p.value, 2000),
                    );
                }
            }
            unique(
                errors,
                "properties",
                "The property",
                properties.iter().map(|p| p.name.clone()),
            );
        }
        Body::ApiService { endpoints } => {
            rows(errors, "endpoints", endpoints.len());
            for e in endpoints {
                if !e.path.starts_with('/') {
                    errors.add("endpoints", "Every endpoint path starts with /.");
                }
                errors.check("endpoints", v::optional_text("Endpoint path", &e.path, 200));
            }
            unique(
                errors,
                "endpoints",
                "The endpoint",
                endpoints
                    .iter()
                    .map(|e| format!("{} {}", e.method.code(), e.path)),
            );
        }
        Body::ProcessRoute { routes } => {
            rows(errors, "routes", routes.len());
            for r in routes {
                errors.check("routes", v::required_text("Route key", &r.key, 100));
            }
            unique(
                errors,
                "routes",
                "The route key",
                routes.iter().map(|r| r.key.clone()),
            );
        }
        Body::Process { shapes } => {
            if shapes.len() > MAX_SHAPES {
                errors.add(
                    "shape",
                    format!("A process holds at most {MAX_SHAPES} shapes."),
                );
            }
            for s in shapes {
                errors.check("label", v::optional_text("Label", &s.label, 100));
            }
        }
        Body::Operation { .. } => {}
    }
}

/// Whether a body of this type may be packaged as shareable (before looking at dependencies).
pub fn shareable_type(kind: ComponentType) -> bool {
    matches!(kind, ComponentType::Process | ComponentType::ApiService)
}

/// The label given to a package created with a blank version: the next whole number.
pub fn next_version(existing_packages: i64) -> String {
    format!("{}.0", existing_packages + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::build::{Endpoint, HttpMethod, Route};

    #[test]
    fn duplicate_route_keys_and_bad_paths_are_reported() {
        let mut errors = FieldErrors::new();
        check_body(
            &mut errors,
            &Body::ProcessRoute {
                routes: vec![
                    Route {
                        key: "EU".into(),
                        process: "a".into(),
                    },
                    Route {
                        key: "eu".into(),
                        process: "b".into(),
                    },
                ],
            },
        );
        assert!(errors.get("routes").is_some_and(|m| m.contains("twice")));
        let mut errors = FieldErrors::new();
        check_body(
            &mut errors,
            &Body::ApiService {
                endpoints: vec![Endpoint {
                    process: "p".into(),
                    path: "orders".into(),
                    method: HttpMethod::Get,
                }],
            },
        );
        assert_eq!(
            errors.get("endpoints"),
            Some("Every endpoint path starts with /.")
        );
    }

    #[test]
    fn only_processes_and_api_services_are_shareable_and_versions_count_up() {
        assert!(shareable_type(ComponentType::Process));
        assert!(shareable_type(ComponentType::ApiService));
        assert!(!shareable_type(ComponentType::Connection));
        assert_eq!(next_version(0), "1.0");
        assert_eq!(next_version(2), "3.0");
    }
}
