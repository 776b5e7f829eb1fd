//! The shapes of a process: add, move, remove, and the operation of a connector shape.
//! Each change is saved at once as a new revision.

use super::components::update_body;
use crate::db::ids::*;
use crate::domain::build::{Body, Shape, ShapeKind};
use crate::domain::validation::{self as v, FieldErrors};
use crate::error::AppError;
use crate::services::Ctx;

/// The Add Shape form.
#[derive(Debug, Clone, Default)]
pub struct NewShape {
    pub kind: String,
    pub component_id: ComponentId,
    pub label: String,
}

fn shapes(body: &mut Body) -> Result<&mut Vec<Shape>, AppError> {
    match body {
        Body::Process { shapes } => Ok(shapes),
        _ => Err(AppError::NotFound),
    }
}

fn index_in(shapes: &[Shape], index: usize) -> Result<usize, AppError> {
    if index < shapes.len() {
        Ok(index)
    } else {
        Err(AppError::NotFound)
    }
}

/// Appends a shape; its component must suit its kind (checked with the other references).
pub fn add_shape(
    ctx: &Ctx,
    id: &ComponentId,
    revision: i32,
    input: &NewShape,
) -> Result<i32, AppError> {
    let _caller = ctx.caller();
    let mut errors = FieldErrors::new();
    let kind = ShapeKind::from_code(&input.kind);
    if kind.is_none() {
        errors.add("shape", "Choose a shape.");
    }
    errors.check("label", v::optional_text("Label", input.label.trim(), 100));
    let component = Some(input.component_id.clone()).filter(|c| !c.is_empty());
    if let (Some(kind), Some(_)) = (kind, &component)
        && kind.component_type().is_none()
    {
        errors.add(
            "component",
            format!("A {} shape names no component.", kind.label()),
        );
    }
    errors.into_result()?;
    let kind = kind.ok_or_else(|| AppError::invalid("shape", "Choose a shape."))?;
    let label = if input.label.trim().is_empty() {
        kind.label().to_owned()
    } else {
        input.label.trim().to_owned()
    };
    update_body(ctx, id, revision, |body| {
        shapes(body)?.push(Shape {
            kind,
            component: component.map(|id| id.into_string()),
            operation: None,
            label,
        });
        Ok(())
    })
}

/// Moves a shape one place up or down.
pub fn move_shape(
    ctx: &Ctx,
    id: &ComponentId,
    revision: i32,
    index: usize,
    up: bool,
) -> Result<i32, AppError> {
    let _caller = ctx.caller();
    update_body(ctx, id, revision, |body| {
        let shapes = shapes(body)?;
        let from = index_in(shapes, index)?;
        let to = if up {
            from.checked_sub(1)
        } else {
            Some(from + 1).filter(|t| *t < shapes.len())
        };
        if let Some(to) = to {
            shapes.swap(from, to);
        }
        Ok(())
    })
}

/// Removes a shape.
pub fn remove_shape(
    ctx: &Ctx,
    id: &ComponentId,
    revision: i32,
    index: usize,
) -> Result<i32, AppError> {
    let _caller = ctx.caller();
    update_body(ctx, id, revision, |body| {
        let shapes = shapes(body)?;
        let at = index_in(shapes, index)?;
        shapes.remove(at);
        Ok(())
    })
}

/// Sets (or clears) the operation a connector shape runs.
pub fn set_operation(
    ctx: &Ctx,
    id: &ComponentId,
    revision: i32,
    index: usize,
    operation_id: &str,
) -> Result<i32, AppError> {
    let _caller = ctx.caller();
    update_body(ctx, id, revision, |body| {
        let shapes = shapes(body)?;
        let at = index_in(shapes, index)?;
        if shapes[at].kind != ShapeKind::Connector {
            return Err(AppError::invalid(
                "operation",
                "Only a connector shape runs an operation.",
            ));
        }
        shapes[at].operation = Some(operation_id.to_owned()).filter(|o| !o.is_empty());
        Ok(())
    })
}
