//! Deprecate and Undeprecate: Browse hides a deprecated process unless asked, its View page
//! and installed copies name the reason and the successor (a link only where the account can
//! see it), bad input is answered beside its field, and nothing installed changes.

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::build::{Body, ComponentType};

use crate::support::{PASSWORD, install, library_world, share};

#[actix_web::test]
async fn a_deprecated_process_points_to_its_successor_and_keeps_its_copies() {
    let mut w = library_world().await;
    let old = w
        .app
        .component(&w.partner, "Old Sync", Body::empty(ComponentType::Process));
    let new = w
        .app
        .component(&w.partner, "New Sync", Body::empty(ComponentType::Process));
    let (old_pp, _) = w.app.publish(&w.partner, &old, false);
    let (new_pp, _) = w.app.publish(&w.partner, &new, false);
    // Everyone sees the old process; only Gold (Acme) sees its successor.
    share(&w, &w.all, &old_pp);
    share(&w, &w.gold, &new_pp);
    let installed = install(&mut w.app, &old_pp, "Old Sync").await;
    let copy = w
        .app
        .get(&installed.location())
        .await
        .attr(".actions a", "href")
        .expect("copy");

    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    let manage = w
        .app
        .get(&format!("/manage/process-library?selected={old}"))
        .await;
    let form_url = manage
        .attr(&format!("a[href$='/processes/{old}/deprecate']"), "href")
        .expect("a Deprecate button");
    assert_eq!(
        manage.text(&format!("a[href$='/processes/{old}/deprecate']")),
        "Deprecate"
    );
    let form = w.app.get(&form_url).await;
    assert_eq!(form.text("h1"), "Deprecate Old Sync");
    assert_eq!(
        form.texts("#f-successor option"),
        ["No successor", "New Sync"],
        "the other processes of the account, not itself"
    );
    // Bad input: no reason; a successor that is not this account's.
    let refused = w
        .app
        .post(&form_url, &[("successor", ""), ("reason", "  ")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.text("#f-reason-error"), "Reason is required.");
    let foreign = w
        .app
        .post(
            &form_url,
            &[("successor", "not-a-process"), ("reason", "Old")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        foreign.text("#f-successor-error"),
        "Choose another published process of this account."
    );
    assert_eq!(
        w.app
            .count("published_processes WHERE deprecated_at IS NOT NULL"),
        0
    );
    let done = w
        .app
        .post(
            &form_url,
            &[
                ("successor", &new_pp),
                ("reason", "Replaced by the faster New Sync."),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let manage = w.app.get(&done.location()).await;
    assert!(
        manage
            .text(".callout.deprecated")
            .contains("Replaced by the faster New Sync. Successor: New Sync.")
    );
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'process.deprecate'"),
        1
    );
    // A successor that is deprecated itself is refused.
    let new_form = format!("/manage/process-library/processes/{new}/deprecate");
    let circular = w
        .app
        .post(&new_form, &[("successor", &old_pp), ("reason", "Loop")])
        .await;
    assert_eq!(circular.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        circular.text("#f-successor-error"),
        "Choose a process that is not deprecated itself."
    );

    // Acme: hidden from Browse unless asked; the View page and the copy link the successor.
    w.app.set_cookie(None);
    w.app.sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["New Sync"]
    );
    let all = w
        .app
        .get("/build/library?show_deprecated=on&sort=name")
        .await;
    assert_eq!(all.texts("article h2"), ["New Sync", "Old Sync"]);
    assert!(
        all.text("ul.cards > li:nth-child(2) .marks")
            .starts_with("Deprecated")
    );
    let view = w.app.get(&format!("/build/library/{old_pp}")).await;
    assert_eq!(view.status, StatusCode::OK);
    assert_eq!(
        view.text(".callout.deprecated"),
        "Deprecated: Replaced by the faster New Sync. Use New Sync instead."
    );
    assert_eq!(
        view.attr(".callout.deprecated a", "href"),
        Some(format!("/build/library/{new_pp}"))
    );
    let copy_page = w.app.get(&copy).await;
    assert_eq!(copy_page.status, StatusCode::OK, "the copy keeps working");
    assert!(
        copy_page
            .text(".callout.deprecated")
            .contains("The publisher recommends New Sync instead.")
    );
    assert!(copy_page.attr(".callout.deprecated a", "href").is_some());

    // Globex cannot see the successor: its name only.
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    let view = w.app.get(&format!("/build/library/{old_pp}")).await;
    assert!(
        view.text(".callout.deprecated")
            .ends_with("Use New Sync instead.")
    );
    assert_eq!(view.count(".callout.deprecated a"), 0);

    // Undeprecate: back in Browse.
    w.app.set_cookie(None);
    w.app.sign_in("ada@partner.test", PASSWORD).await;
    w.app
        .get(&format!("/manage/process-library?selected={old}"))
        .await;
    let back = w
        .app
        .post(
            &format!("/manage/process-library/processes/{old}/undeprecate"),
            &[],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    assert_eq!(
        w.app
            .count("audit_events WHERE action = 'process.undeprecate'"),
        1
    );
    w.app.set_cookie(None);
    w.app.sign_in("admin@globex.test", PASSWORD).await;
    assert_eq!(
        w.app.get("/build/library").await.texts("article h2"),
        ["Old Sync"]
    );
    let _ = ProcessId::from(old_pp);
}
