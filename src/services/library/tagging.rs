//! *Save Category and Tags* on the selected process of Manage > Process Library: what Browse
//! offers as facets.

use crate::db::ids::ComponentId;
use crate::db::{self};
use crate::domain::audit::Action;
use crate::domain::tags::{self, CATEGORIES};
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};

/// Sets the category (one of [`CATEGORIES`], or empty for none) and the tags (comma-separated)
/// of the published process of a component (Process Library); returns its name.
pub fn save(
    ctx: &Ctx,
    component_id: &ComponentId,
    category: &str,
    tags_text: &str,
) -> Result<String, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let mut errors = FieldErrors::new();
    let category = category.trim();
    if !category.is_empty() && !CATEGORIES.contains(&category) {
        errors.add("category", "Choose one of the categories, or none.");
    }
    let tags = tags::normalize(tags_text);
    if let Err(message) = &tags {
        errors.add("tags", message.clone());
    }
    errors.into_result()?;
    let tags = tags.unwrap_or_default();
    ctx.write(|conn| {
        let process =
            db::library::find_process_by_component(conn, caller.account_id(), component_id)?
                .ok_or(AppError::NotFound)?;
        if process.category == category && process.tags == tags {
            return Ok(process.name);
        }
        db::library::set_category_and_tags(conn, &process.id, category, &tags)?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::CategoryAndTagsSaved,
                target_type: "published_process",
                target_id: Some(&process.id),
                summary: format!(
                    "{}: category {}, tags {}",
                    process.name,
                    if category.is_empty() {
                        "none"
                    } else {
                        category
                    },
                    if tags.is_empty() {
                        "none"
                    } else {
                        tags.as_str()
                    }
                ),
            },
        )?;
        Ok(process.name)
    })
}
