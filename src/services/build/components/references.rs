//! Which component types a body may reference, and the check that every reference names a
//! live component of the account of the right type. Depends on the database, never on forms.

use crate::db::ids::*;
use std::collections::BTreeMap;

use crate::db::{self, DbConnection};
use crate::domain::build::{Body, ComponentType};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Caller;

/// The types a body of this type may reference.
pub(super) fn referencable(kind: ComponentType) -> Vec<&'static str> {
    use ComponentType::*;
    let types: &[ComponentType] = match kind {
        Process => &[
            Connection,
            Operation,
            Map,
            Process,
            ProcessProperty,
            ProcessRoute,
        ],
        Operation => &[Connection, Profile],
        Map => &[Profile],
        ApiService | ProcessRoute => &[Process],
        Connection | Profile | ProcessProperty => &[],
    };
    types.iter().map(|t| t.code()).collect()
}

/// Checks that every reference names a live component of the account of the right type.
pub(super) fn check_references(
    conn: &mut DbConnection,
    caller: &Caller,
    body: &Body,
    errors: &mut FieldErrors,
) -> Result<(), AppError> {
    let refs = body.references();
    let ids: Vec<ComponentId> = body
        .referenced_ids()
        .into_iter()
        .map(ComponentId::from)
        .collect();
    let found: BTreeMap<ComponentId, String> =
        db::build::list_components_by_ids(conn, caller.account_id(), &ids)?
            .into_iter()
            .map(|c| (c.id, c.component_type))
            .collect();
    for r in refs {
        let field = field_of(body.component_type(), &r.place);
        match found.get(r.id.as_str()) {
            None => errors.add(
                field,
                format!(
                    "The component chosen for {} does not exist in this account.",
                    r.place
                ),
            ),
            Some(t) if t != r.expected.code() => errors.add(
                field,
                format!(
                    "{} must name a {}.",
                    capitalize(&r.place),
                    r.expected.label()
                ),
            ),
            Some(_) => {}
        }
    }
    Ok(())
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The form field an error about a reference belongs to.
fn field_of(kind: ComponentType, place: &str) -> &'static str {
    match (kind, place) {
        (ComponentType::Operation, "Connection") => "connection",
        (ComponentType::Operation, "Request Profile") => "request_profile",
        (ComponentType::Operation, "Response Profile") => "response_profile",
        (ComponentType::Map, "Source Profile") => "source_profile",
        (ComponentType::Map, "Destination Profile") => "destination_profile",
        (ComponentType::ApiService, _) => "endpoints",
        (ComponentType::ProcessRoute, _) => "routes",
        _ => "component",
    }
}
