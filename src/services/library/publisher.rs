//! The publisher profile: who publishes, and where customers get support.

use crate::db::library::PublisherProfile;
use crate::db::{self};
use crate::domain::audit::Action;
use crate::domain::validation::{self as v, FieldErrors};
use crate::error::AppError;
use crate::services::Ctx;
use crate::services::audit::{self, By, Entry};

/// The Publisher form.
#[derive(Debug, Clone, Default)]
pub struct PublisherInput {
    pub publisher_name: String,
    pub publisher_email: String,
    pub publisher_url: String,
    pub support_email: String,
    pub support_url: String,
}

/// The account's profile (empty until saved).
pub fn get(ctx: &Ctx) -> Result<PublisherProfile, AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    ctx.read(|conn| {
        Ok(
            db::library::find_publisher(conn, caller.account_id())?.unwrap_or_else(|| {
                PublisherProfile {
                    account_id: caller.account_id().clone(),
                    ..PublisherProfile::default()
                }
            }),
        )
    })
}

/// Saves the profile; e-mails and http/https addresses are checked.
pub fn save(ctx: &Ctx, input: &PublisherInput) -> Result<(), AppError> {
    let caller = ctx.caller();
    caller.require_library()?;
    let mut errors = FieldErrors::new();
    errors.check(
        "publisher_name",
        v::required_text("Publisher Name", &input.publisher_name, 100),
    );
    errors.check(
        "publisher_email",
        v::optional_email("Publisher Email", &input.publisher_email),
    );
    errors.check(
        "publisher_url",
        v::optional_url("Publisher URL", &input.publisher_url),
    );
    errors.check(
        "support_email",
        v::optional_email("Support Email", &input.support_email),
    );
    errors.check(
        "support_url",
        v::optional_url("Support URL", &input.support_url),
    );
    errors.into_result()?;
    ctx.write(|conn| {
        let mut errors = FieldErrors::new();
        if let Some(why) = crate::services::platform::name_refused(
            conn,
            caller.account_id(),
            &input.publisher_name,
        )? {
            errors.add("publisher_name", why);
        }
        errors.into_result()?;
        db::library::save_publisher(
            conn,
            &PublisherProfile {
                account_id: caller.account_id().clone(),
                publisher_name: input.publisher_name.trim().to_owned(),
                publisher_email: input.publisher_email.trim().to_owned(),
                publisher_url: input.publisher_url.trim().to_owned(),
                support_email: input.support_email.trim().to_owned(),
                support_url: input.support_url.trim().to_owned(),
                updated_at: db::now(),
                updated_by: Some(caller.email().to_owned()),
            },
        )?;
        audit::record(
            conn,
            &By::from(caller),
            Entry {
                account_id: Some(caller.account_id()),
                action: Action::PublisherSaved,
                target_type: "publisher",
                target_id: Some(caller.account_id()),
                summary: format!(
                    "Publisher profile saved (Publisher Name: {})",
                    input.publisher_name.trim()
                ),
            },
        )
    })
}
