//! Install for Accounts and the jobs behind it: a partner queues installs into the accounts
//! that see a process (ticked, or a whole group), a worker does each in its own transaction
//! with a result per account, a worker that stops half-way is taken over without doing anything
//! twice, and another tenant's accounts are refused.

use actix_web::http::StatusCode;
use process_library::domain::build::{Body, ComponentType};
use process_library::services::jobs;

use crate::support::{PASSWORD, TestApp, install, library_world, share};

fn work(app: &TestApp, worker: &str, max: usize) -> usize {
    jobs::work(&app.instance, worker, max).expect("the worker runs")
}

#[actix_web::test]
async fn a_partner_installs_a_process_for_its_customers_with_a_result_per_account() {
    let mut w = library_world().await;
    let sync = w.app.component(
        &w.partner,
        "Orders Sync",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &sync, false);
    share(&w, &w.all, &pp);
    share(&w, &w.gold, &pp);
    // Acme installs it itself first.
    install(&mut w.app, &pp, "Orders Sync").await;
    let rival = w.app.primary_account("Rival Inc", "boss@rival.test");
    w.app.enable_library(&rival);
    let stranger = w
        .app
        .managed_account(&rival, "Rival Customer", "boss@rivalcustomer.test");

    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let manage = w
        .app
        .get(&format!("/manage/process-library?selected={sync}"))
        .await;
    let url = manage
        .attr("a[href$='/install-for-accounts']", "href")
        .expect("Install for Accounts");
    let audience = w
        .app
        .get(
            &manage
                .attr("a[href$='/audience']", "href")
                .expect("Who Can See This"),
        )
        .await;
    assert_eq!(audience.text("h1"), "Who Can See Orders Sync");
    assert_eq!(
        audience.texts("tbody td"),
        [
            "Acme Retail",
            "All Accounts, Gold",
            "Globex",
            "All Accounts"
        ]
    );

    let form = w.app.get(&url).await;
    assert_eq!(form.text("h1"), "Install Orders Sync for Accounts");
    assert_eq!(form.texts("fieldset label"), ["Acme Retail", "Globex"]);
    let narrowed = w.app.get(&format!("{url}?q=glo")).await;
    assert_eq!(narrowed.texts("fieldset label"), ["Globex"]);

    // Nothing ticked; an account of another partner.
    let none = w.app.post(&url, &[("folder_name", "From Partner")]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        none.text("#f-accounts-error"),
        "Tick the accounts to install into, or choose a group."
    );
    let foreign = w
        .app
        .post(&url, &[("account", &stranger), ("account", &w.globex)])
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(w.app.count("jobs"), 0);

    let queued = w
        .app
        .post(
            &url,
            &[
                ("account", &w.acme),
                ("account", &w.globex),
                ("folder_name", "From Partner"),
            ],
        )
        .await;
    assert_eq!(queued.status, StatusCode::SEE_OTHER);
    let job_url = queued.location();
    let waiting = w.app.get(&job_url).await;
    assert_eq!(
        waiting.text("label[for=job-progress]"),
        "In progress: 0 of 2 accounts"
    );
    assert_eq!(work(&w.app, "worker-1", 100), 2);
    let done = w.app.get(&job_url).await;
    assert_eq!(
        done.text("label[for=job-progress]"),
        "Done: 2 of 2 accounts"
    );
    assert_eq!(
        done.texts("tbody td:nth-child(2)"),
        ["Already installed", "Installed"]
    );
    assert!(
        done.text("main")
            .contains("1 installed, 1 already installed, 0 not installed.")
    );
    assert_eq!(
        w.app.count(&format!(
            "folders WHERE account_id = '{}' AND name = 'From Partner'",
            w.globex
        )),
        1
    );
    assert_eq!(
        w.app.count(&format!(
            "audit_events WHERE account_id = '{}' AND action = 'installation.create' AND summary LIKE '%by Partner Co on the account''s behalf'",
            w.globex
        )),
        1,
        "audited in the account as done on its behalf"
    );
    assert_eq!(
        w.app.count(&format!(
            "audit_events WHERE account_id = '{}' AND action = 'installation.create_for_account'",
            w.partner
        )),
        1,
        "and in the partner's log"
    );
    assert_eq!(work(&w.app, "worker-1", 100), 0, "nothing left to do");

    // Another partner's administrator reaches neither the form nor the job.
    w.app.set_cookie(None);
    w.app.sign_in("boss@rival.test", PASSWORD).await;
    assert_eq!(w.app.get(&url).await.status, StatusCode::NOT_FOUND);
    assert_eq!(w.app.get(&job_url).await.status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn a_job_stopped_half_way_is_taken_over_and_nothing_is_installed_twice() {
    let mut w = library_world().await;
    let sync = w.app.component(
        &w.partner,
        "Orders Sync",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &sync, false);
    share(&w, &w.all, &pp);
    let more: Vec<String> = (0..3)
        .map(|i| {
            w.app.managed_account(
                &w.partner,
                &format!("Customer {i}"),
                &format!("boss{i}@customers.test"),
            )
        })
        .collect();
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let url = format!("/manage/process-library/processes/{sync}/install-for-accounts");
    w.app.get(&url).await;
    // The whole group: every account that sees the process (five).
    let queued = w.app.post(&url, &[("group", &w.all)]).await;
    assert_eq!(queued.status, StatusCode::SEE_OTHER);
    assert_eq!(w.app.count("job_items"), 5);

    assert_eq!(work(&w.app, "worker-1", 2), 2);
    // The first worker dies holding a fresh claim: nobody else may take the job yet.
    w.app
        .execute("UPDATE jobs SET claimed_by = 'worker-1', claimed_at = CURRENT_TIMESTAMP");
    assert_eq!(
        work(&w.app, "worker-2", 100),
        0,
        "a live claim is respected"
    );
    // Its claim grows stale: the second worker takes over and finishes.
    w.app
        .execute("UPDATE jobs SET claimed_at = '2000-01-01 00:00:00'");
    assert_eq!(work(&w.app, "worker-2", 100), 3);
    assert_eq!(
        w.app.count("installations"),
        5,
        "one installation per account"
    );
    assert_eq!(w.app.count("job_items WHERE state = 'installed'"), 5);
    assert_eq!(w.app.count("jobs WHERE state = 'done' AND done = 5"), 1);
    let _ = more;
}

#[actix_web::test]
async fn bad_folder_names_revoked_users_and_unreadable_jobs_fail_cleanly() {
    let mut w = library_world().await;
    let sync = w.app.component(
        &w.partner,
        "Orders Sync",
        Body::empty(ComponentType::Process),
    );
    let (pp, _) = w.app.publish(&w.partner, &sync, false);
    share(&w, &w.all, &pp);
    let eve = w.app.user(
        &w.partner,
        "eve@partner.test",
        process_library::domain::accounts::BuiltInRole::Administrator,
    );
    w.app.set_cookie(None);
    w.app.sign_in("eve@partner.test", PASSWORD).await;
    let url = format!("/manage/process-library/processes/{sync}/install-for-accounts");
    w.app.get(&url).await;
    let slash = w
        .app
        .post(&url, &[("account", &w.acme), ("folder_name", "a/b")])
        .await;
    assert_eq!(slash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        slash.text("#f-folder_name-error"),
        "Folder Name cannot contain a slash."
    );
    assert_eq!(w.app.count("jobs"), 0);
    let queued = w
        .app
        .post(&url, &[("account", &w.acme), ("account", &w.globex)])
        .await;
    assert_eq!(queued.status, StatusCode::SEE_OTHER);
    // Eve loses her role before the worker gets to the job.
    w.app
        .execute(&format!("DELETE FROM user_roles WHERE user_id = '{eve}'"));
    assert_eq!(work(&w.app, "worker-1", 100), 2);
    assert_eq!(w.app.count("installations"), 0);
    assert_eq!(
        w.app.count(
            "job_items WHERE state = 'failed' AND message = 'The user who asked no longer manages the process library.'"
        ),
        2
    );

    // A job this release cannot read fails its items and holds no worker.
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app.get(&url).await;
    w.app.post(&url, &[("account", &w.acme)]).await;
    w.app
        .execute("UPDATE jobs SET payload = '{' WHERE state = 'queued'");
    assert_eq!(work(&w.app, "worker-1", 100), 1);
    assert_eq!(
        w.app
            .count("job_items WHERE message = 'This job cannot be read by this release.'"),
        1
    );
    assert_eq!(w.app.count("jobs WHERE state = 'done'"), 2);
}
