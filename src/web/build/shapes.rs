//! The shapes of a process on its page: the list with its buttons, the Add Shape form, and the
//! handlers that change them (each change is saved at once).

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::component::rerender;
use super::diagram::process_svg;
use crate::app::AppState;
use crate::db::build::ComponentSummary;
use crate::domain::build::{ComponentType, Shape, ShapeKind};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::build::process::{self, NewShape};
use crate::web::blocking;
use crate::web::csrf::Form;
use crate::web::page::{self, Choice, Field, Select};
use crate::web::pairs::Pairs;
use crate::web::session::Actor;

/// A shape as listed.
pub struct ShapeRow {
    pub index: usize,
    pub n: usize,
    pub kind: &'static str,
    pub label: String,
    pub component: Option<(String, String)>,
    pub operation: Option<String>,
    pub operations: Option<Select>,
    pub first: bool,
    pub last: bool,
}

/// The process part of a component page.
pub struct ProcessView {
    pub shapes: Vec<ShapeRow>,
    pub shape: Select,
    pub component: Select,
    pub label: Field,
    pub diagram: String,
}

/// Builds the shapes list, the add form and the diagram.
pub fn process_view(
    shapes: &[Shape],
    options: &[ComponentSummary],
    errors: &FieldErrors,
) -> ProcessView {
    let name_of = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| options.iter().find(|o| &o.id == id))
            .map(|o| (o.id.clone(), o.name.clone()))
    };
    let operations = |shape: &Shape, n: usize, index: usize| {
        let chosen = shape.operation.as_deref();
        let choices = options
            .iter()
            .filter(|o| o.component_type == ComponentType::Operation.code())
            .map(|o| Choice::new(o.id.clone(), o.name.clone(), Some(o.id.as_str()) == chosen))
            .collect();
        Select::new(
            format!("operation_{index}"),
            format!("Operation for shape {n}"),
            choices,
        )
        .optional("None")
    };
    let rows = shapes
        .iter()
        .enumerate()
        .map(|(index, shape)| ShapeRow {
            index,
            n: index + 1,
            kind: shape.kind.label(),
            label: shape.label.clone(),
            component: name_of(&shape.component),
            operation: name_of(&shape.operation).map(|(_, name)| name),
            operations: (shape.kind == ShapeKind::Connector)
                .then(|| operations(shape, index + 1, index)),
            first: index == 0,
            last: index + 1 == shapes.len(),
        })
        .collect();
    let addable = options
        .iter()
        .filter(|o| o.component_type != ComponentType::Operation.code())
        .map(|o| {
            let kind = ComponentType::from_code(&o.component_type).map_or("", |k| k.label());
            Choice::new(o.id.clone(), format!("{} ({kind})", o.name), false)
        })
        .collect();
    let names: Vec<Option<String>> = shapes
        .iter()
        .map(|s| name_of(&s.component).map(|(_, n)| n))
        .collect();
    ProcessView {
        shapes: rows,
        shape: Select::new("shape", "Shape", ShapeKind::ALL.iter().map(|k| Choice::new(k.code(), k.label(), false)).collect())
            .required()
            .error(errors, "shape"),
        component: Select::new("component", "Component", addable)
            .optional("None")
            .help("Connector: a connection; Map: a map; Process Call: a process; Process Route: a route; Set Properties: a process property.")
            .error(errors, "component"),
        label: Field::text("label", "Label").with("", errors),
        diagram: process_svg(shapes, &names),
    }
}

#[derive(Debug, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    revision: String,
    #[serde(default)]
    shape: String,
    #[serde(default)]
    component: String,
    #[serde(default)]
    label: String,
}

async fn finish(
    state: web::Data<AppState>,
    actor: Actor,
    id: String,
    result: Result<i32, AppError>,
    message: &str,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(_) => {
            page::redirect_with(
                &state,
                &actor,
                &format!("/build/components/{id}#shapes"),
                message.to_owned(),
            )
            .await
        }
        Err(AppError::Validation(errors)) => rerender(&state, &actor, id, &errors).await,
        Err(other) => Err(other),
    }
}

pub async fn add(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<String>,
    Form(form): Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let revision = form.revision.parse().unwrap_or(-1);
    let input = NewShape {
        kind: form.shape,
        component_id: form.component,
        label: form.label,
    };
    let target = id.clone();
    let result =
        blocking(move || process::add_shape(&pool, &caller, &target, revision, &input)).await;
    finish(state, actor, id, result, "Shape added.").await
}

pub async fn change(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(String, usize, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, index, action) = path.into_inner();
    let form = Pairs(pairs);
    let revision = form.get("revision").parse().unwrap_or(-1);
    let operation = form.get(&format!("operation_{index}")).to_owned();
    let pool = state.pool.clone();
    let caller = actor.caller.clone();
    let target = id.clone();
    let (result, message) = match action.as_str() {
        "up" | "down" => {
            let up = action == "up";
            (
                blocking(move || process::move_shape(&pool, &caller, &target, revision, index, up))
                    .await,
                "Shape moved.",
            )
        }
        "remove" => (
            blocking(move || process::remove_shape(&pool, &caller, &target, revision, index)).await,
            "Shape removed.",
        ),
        "operation" => (
            blocking(move || {
                process::set_operation(&pool, &caller, &target, revision, index, &operation)
            })
            .await,
            "Operation set.",
        ),
        _ => return Err(AppError::NotFound),
    };
    finish(state, actor, id, result, message).await
}
