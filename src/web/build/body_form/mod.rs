//! The typed part of a component's form: which body type is shown and read by which module,
//! and the controls they share. Secret fields travel apart, as edits; no database access here.

mod connectors;
mod profiles;
mod properties;
mod routing;

use crate::db::build::ComponentSummary;
use crate::domain::build::{Body, ComponentType};
use crate::domain::validation::FieldErrors;
use crate::services::build::components::BodyDraft;
use crate::web::page::{Choice, Field, Select};
use crate::web::pairs::Pairs;

pub use properties::PropertyRow;
pub use routing::{EndpointRow, RouteRow};

/// One control of a simple body form.
pub enum Control {
    Select(Select),
    Field(Field),
    Area(Field),
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
        Body::Connection { .. } | Body::Operation { .. } => {
            connectors::view(&mut view, body, stored, options, errors)
        }
        Body::Profile { .. } | Body::Map { .. } => profiles::view(&mut view, body, options, errors),
        Body::ProcessProperty { .. } => properties::view(&mut view, body, stored, errors),
        Body::ApiService { .. } | Body::ProcessRoute { .. } => {
            routing::view(&mut view, body, options, errors)
        }
        Body::Process { .. } => {}
    }
    view
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
        ComponentType::Connection => return Some(connectors::connection_draft(form, errors)),
        ComponentType::Operation => connectors::operation_draft(form, errors),
        ComponentType::Profile => profiles::profile_draft(form, errors),
        ComponentType::Map => profiles::map_draft(form),
        ComponentType::ProcessProperty => return Some(properties::draft(form, errors)),
        ComponentType::ApiService => routing::endpoints_draft(form, errors),
        ComponentType::ProcessRoute => routing::routes_draft(form),
    };
    Some(BodyDraft {
        body,
        secrets: Vec::new(),
    })
}
