//! The shapes of a process on its page: the list with its buttons, the Add Shape form, and the
//! handlers that change them (each change is saved at once).

use crate::db::ids::*;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::component::page_with_errors;
use super::diagram::process_svg;
use crate::db::build::ComponentSummary;
use crate::domain::build::{ComponentType, Shape, ShapeKind};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::build::process::{self, NewShape};
use crate::web::csrf::Form;
use crate::web::page::{Choice, Field, Select};
use crate::web::pairs::Pairs;
use crate::web::request::{Redirect, Request};

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
            .map(|o| (o.id.to_string(), o.name.clone()))
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

/// Saves a change of the shapes (a new revision) and goes back to them, or shows the
/// component page again with the error.
async fn finish(
    req: Request,
    id: String,
    change: impl FnOnce(&Ctx) -> Result<i32, AppError> + Send + 'static,
    message: &'static str,
) -> Result<HttpResponse, AppError> {
    let location = format!("/build/components/{id}#shapes");
    req.submit(
        move |ctx| {
            change(ctx)?;
            Ok(Redirect::to(location).with(message))
        },
        async |errors| page_with_errors(&req, id, &errors).await,
    )
    .await
}

pub async fn add(
    req: Request,
    path: web::Path<String>,
    Form(form): Form<AddForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let revision = form.revision.parse().unwrap_or(-1);
    let input = NewShape {
        kind: form.shape,
        component_id: ComponentId::from(form.component),
        label: form.label,
    };
    let target = id.clone();
    let change =
        move |ctx: &Ctx| process::add_shape(ctx, &ComponentId::from(&target), revision, &input);
    finish(req, id, change, "Shape added.").await
}

pub async fn change(
    req: Request,
    path: web::Path<(String, usize, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let (id, index, action) = path.into_inner();
    let form = Pairs(pairs);
    let revision = form.get("revision").parse().unwrap_or(-1);
    let operation = form.get(&format!("operation_{index}")).to_owned();
    let target = id.clone();
    match action.as_str() {
        "up" | "down" => {
            let up = action == "up";
            let change = move |ctx: &Ctx| {
                process::move_shape(ctx, &ComponentId::from(&target), revision, index, up)
            };
            finish(req, id, change, "Shape moved.").await
        }
        "remove" => {
            let change = move |ctx: &Ctx| {
                process::remove_shape(ctx, &ComponentId::from(&target), revision, index)
            };
            finish(req, id, change, "Shape removed.").await
        }
        "operation" => {
            let change = move |ctx: &Ctx| {
                process::set_operation(
                    ctx,
                    &ComponentId::from(&target),
                    revision,
                    index,
                    &operation,
                )
            };
            finish(req, id, change, "Operation set.").await
        }
        _ => Err(AppError::NotFound),
    }
}
