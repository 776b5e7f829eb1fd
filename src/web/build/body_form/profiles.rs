//! The Profile and Map forms: a profile's format and fields, a map's profiles and mappings,
//! each edited as lines of text. No database access.

use super::{BodyView, Control, enum_select, optional_id, pick, reference};
use crate::db::build::ComponentSummary;
use crate::domain::build::{Body, ComponentType, Mapping, ProfileField, ProfileFormat};
use crate::domain::validation::FieldErrors;
use crate::web::page::Field;
use crate::web::pairs::Pairs;

/// Shows a Profile or a Map body; other bodies are left to their own modules.
pub(super) fn view(
    view: &mut BodyView,
    body: &Body,
    options: &[ComponentSummary],
    errors: &FieldErrors,
) {
    match body {
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
        _ => {}
    }
}

/// Reads a submitted Profile form.
pub(super) fn profile_draft(form: &Pairs, errors: &mut FieldErrors) -> Body {
    Body::Profile {
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
    }
}

/// Reads a submitted Map form.
pub(super) fn map_draft(form: &Pairs) -> Body {
    Body::Map {
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
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}
