//! The Process Property form: rows of name, type and value, where password values travel
//! apart as secret edits and are never shown back. No database access.

use super::{BodyView, pick};
use crate::domain::build::{Body, Property, PropertyKind};
use crate::domain::validation::FieldErrors;
use crate::services::build::components::{BodyDraft, SecretInput};
use crate::web::page::Choice;
use crate::web::pairs::Pairs;

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

/// Shows a Process Property body; other bodies are left to their own modules.
pub(super) fn view(view: &mut BodyView, body: &Body, stored: &Body, errors: &FieldErrors) {
    if let Body::ProcessProperty { properties } = body {
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
        // Two rows to add a property: one for text, one whose value is typed hidden (a
        // password typed into a text field would show on the screen).
        for kind in [PropertyKind::Text, PropertyKind::Password] {
            rows.push(PropertyRow {
                n: rows.len() + 1,
                name: String::new(),
                kinds: property_kinds(kind),
                value: String::new(),
                is_password: kind == PropertyKind::Password,
                is_set: false,
                origin: None,
            });
        }
        view.properties = Some(rows);
        view.rows_error = errors.get("properties").map(str::to_owned);
    }
}

fn property_kinds(selected: PropertyKind) -> Vec<Choice> {
    PropertyKind::ALL
        .iter()
        .map(|k| Choice::new(k.code(), k.label(), *k == selected))
        .collect()
}

/// Reads a submitted Process Property form, one secret edit per kept row.
pub(super) fn draft(form: &Pairs, errors: &mut FieldErrors) -> BodyDraft {
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
