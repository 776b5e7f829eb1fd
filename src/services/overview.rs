//! Manage > Overview: for a partner, what it publishes, who installs it and its latest jobs;
//! for a customer, what it installed.

use crate::db::browse::Installation;
use crate::db::jobs::Job;
use crate::db::library::PublishedProcess;
use crate::db::overview::{self, PartnerFigures};
use crate::domain::accounts::Privilege;
use crate::error::AppError;
use crate::services::{Ctx, LibraryAccess};

/// How many rows each list of the overview shows.
const SHOWN: i64 = 5;

/// What the overview shows for the current account.
#[derive(Debug)]
pub enum Overview {
    /// A partner with the Process Library open to the caller.
    Partner {
        figures: PartnerFigures,
        most_installed: Vec<PublishedProcess>,
        last_published: Vec<PublishedProcess>,
        /// Latest jobs with what each is called.
        jobs: Vec<(Job, String)>,
    },
    /// A managed account: its installations (how many, the latest).
    Customer {
        installations: i64,
        latest: Vec<Installation>,
    },
    /// A partner whose library is not open to the caller: nothing to show.
    Nothing,
}

/// The overview of the caller's account (Build Read Access).
pub fn of(ctx: &Ctx) -> Result<Overview, AppError> {
    let caller = ctx.caller();
    caller.require(Privilege::BuildRead)?;
    let account = caller.account_id();
    match caller.library_access() {
        LibraryAccess::Open => ctx.read(|conn| {
            let jobs = overview::latest_jobs(conn, account, SHOWN)?
                .into_iter()
                .map(|job| {
                    let title = super::jobs::title(&job);
                    (job, title)
                })
                .collect();
            Ok(Overview::Partner {
                figures: overview::partner_figures(conn, account)?,
                most_installed: overview::most_installed(conn, account, SHOWN)?,
                last_published: overview::last_published(conn, account, SHOWN)?,
                jobs,
            })
        }),
        LibraryAccess::ManagedAccount => ctx.read(|conn| {
            let (installations, latest) = overview::latest_installations(conn, account, SHOWN * 2)?;
            Ok(Overview::Customer {
                installations,
                latest,
            })
        }),
        LibraryAccess::FeatureOff | LibraryAccess::NoPrivilege => Ok(Overview::Nothing),
    }
}
