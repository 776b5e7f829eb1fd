//! The landing page of the Manage section: an overview of what the account shares or
//! installed.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::accounts::Privilege;
use crate::error::AppError;
use crate::services::LibraryAccess;
use crate::services::overview::{self, Overview};
use crate::web::page::{self, PageContext, Section};
use crate::web::request::Request;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/manage", web::get().to(manage));
}

#[derive(Template)]
#[template(path = "sections/manage.html")]
struct ManagePage {
    ctx: PageContext,
    note: Option<&'static str>,
    overview: Overview,
}

pub async fn manage(req: Request) -> Result<HttpResponse, AppError> {
    req.caller().require(Privilege::BuildRead)?;
    let access = req.caller().library_access();
    let note = match access {
        // The overview leads to the library.
        LibraryAccess::ManagedAccount => None,
        LibraryAccess::FeatureOff => Some(
            "The Process Library feature is not enabled for this account. Contact your sales representative to enable it.",
        ),
        LibraryAccess::NoPrivilege => {
            Some("Your role does not include the Process Library privilege.")
        }
        LibraryAccess::Open => None,
    };
    let overview = req.read(overview::of).await?;
    let ctx = req.page(Section::Manage, "/manage", "Manage").await?;
    page::ok(&ManagePage {
        ctx,
        note,
        overview,
    })
}
