//! Manage > Process Library and the Publisher tab: publishing, history, details, compare,
//! republish, Review and Publish, and who may do it.

use actix_web::http::StatusCode;
use process_library::domain::accounts::{BuiltInRole, Feature};
use process_library::domain::build::{Body, ComponentType};
use process_library::services::accounts::setup;

use crate::support::{PASSWORD, TestApp, admin_app, connection, connector_process};

const LIB: &str = "/manage/process-library";

async fn publish_form(
    app: &mut TestApp,
    component: &str,
    fields: &[(&str, &str)],
) -> crate::support::Response {
    let url = format!("{LIB}/processes/{component}/publish");
    app.get(&url).await;
    app.post(&url, fields).await
}

fn package(app: &TestApp, partner: &str, component: &str, version: &str) -> String {
    process_library::services::deploy::create(
        &app.admin(partner),
        &process_library::services::deploy::NewPackage {
            component_id: component.into(),
            version: version.into(),
            notes: String::new(),
            shareable: true,
        },
    )
    .expect("package")
    .into_string()
}

#[actix_web::test]
async fn the_library_needs_the_feature_and_the_privilege() {
    let (mut app, partner) = admin_app().await;
    assert_eq!(
        app.get(LIB).await.status,
        StatusCode::FORBIDDEN,
        "feature off"
    );
    assert!(
        !app.get("/manage")
            .await
            .texts("nav[aria-label=Section] a")
            .contains(&"Process Library".to_owned())
    );
    assert!(
        !app.get("/settings")
            .await
            .texts("nav[aria-label=Section] a")
            .contains(&"Publisher".to_owned())
    );
    setup::set_feature(&app.pool, "Partner Co", Feature::ProcessLibrary, true).expect("feature");
    assert_eq!(app.get(LIB).await.status, StatusCode::OK);
    assert_eq!(
        app.get("/manage").await.texts("nav[aria-label=Section] a"),
        ["Overview", "Process Library"]
    );
    for (role, expected) in [
        (BuiltInRole::StandardUser, StatusCode::OK),
        (BuiltInRole::Support, StatusCode::FORBIDDEN),
    ] {
        let email = format!("{}@partner.test", role.name().replace(' ', "."));
        app.user(&partner, &email, role);
        app.set_cookie(None);
        app.sign_in(&email, PASSWORD).await;
        assert_eq!(app.get(LIB).await.status, expected, "{}", role.name());
        assert_eq!(app.get("/settings/publisher").await.status, expected);
    }
    app.managed_account(&partner, "Customer One", "boss@one.test");
    app.set_cookie(None);
    app.sign_in("boss@one.test", PASSWORD).await;
    assert_eq!(
        app.get(LIB).await.status,
        StatusCode::NOT_FOUND,
        "managed accounts have no library to manage"
    );
    assert_eq!(
        app.get("/settings/publisher").await.status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn publishing_needs_a_publisher_name_and_the_publisher_form_checks_its_fields() {
    let (mut app, partner) = admin_app().await;
    setup::set_feature(&app.pool, "Partner Co", Feature::ProcessLibrary, true).expect("feature");
    let process = app.component(
        &partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    let pkg = package(&app, &partner, &process, "1.0");
    let page = app.get(&format!("{LIB}?selected={process}")).await;
    assert_eq!(
        page.attr("[role=note] a", "href").as_deref(),
        Some("/settings/publisher")
    );
    assert_eq!(
        page.count("a[href$='/publish']"),
        0,
        "no Publish Package without a publisher"
    );
    let refused = publish_form(&mut app, &process, &[("package", &pkg)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.text("#f-package-error"),
        "Set a Publisher Name on the Publisher tab before publishing."
    );
    assert_eq!(app.count("publications"), 0);

    let form = app.get("/settings/publisher").await;
    assert_eq!(
        form.texts("form label"),
        [
            "Publisher Name",
            "Publisher Email",
            "Publisher URL",
            "Support Email",
            "Support URL"
        ]
    );
    let bad = app
        .post(
            "/settings/publisher",
            &[
                ("publisher_name", "Partner"),
                ("publisher_email", "nope"),
                ("publisher_url", "ftp://x.test"),
                ("support_email", "help@partner.test"),
                ("support_url", "javascript:alert(1)"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text("#f-publisher_email-error")
            .contains("e-mail address")
    );
    assert!(
        bad.text("#f-publisher_url-error")
            .contains("http:// or https://")
    );
    assert!(
        bad.text("#f-support_url-error")
            .contains("http:// or https://")
    );
    assert_eq!(
        bad.attr("#f-publisher_name", "value").as_deref(),
        Some("Partner")
    );
    let blank = app
        .post(
            "/settings/publisher",
            &[
                ("publisher_name", "   "),
                ("publisher_email", ""),
                ("publisher_url", ""),
                ("support_email", ""),
                ("support_url", ""),
            ],
        )
        .await;
    assert_eq!(blank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        blank
            .text("#f-publisher_name-error")
            .contains("Publisher Name is required")
    );
    let ok = app
        .post(
            "/settings/publisher",
            &[
                ("publisher_name", "Partner Integrations"),
                ("publisher_url", "https://partner.test"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let published = publish_form(
        &mut app,
        &process,
        &[
            ("package", &pkg),
            ("description", "Syncs accounts"),
            ("notes", "internal"),
        ],
    )
    .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.count("audit_events WHERE action IN ('publisher.save', 'publication.publish')"),
        2
    );
}

#[actix_web::test]
async fn publications_are_append_only_with_history_details_and_republish() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    let v1 = package(&app, &partner, &process, "1.0");
    let v2 = package(&app, &partner, &process, "2.0");
    let form = app.get(&format!("{LIB}/processes/{process}/publish")).await;
    assert_eq!(
        form.texts("#f-package option")
            .iter()
            .map(|o| o.split(' ').next().unwrap_or("").to_owned())
            .collect::<Vec<_>>(),
        ["Choose…", "2.0", "1.0"]
    );
    assert_eq!(
        form.texts("form label"),
        [
            "Package Version",
            "Publication Description",
            "Include passwords in publication",
            "Publication Notes"
        ]
    );
    publish_form(
        &mut app,
        &process,
        &[
            ("package", &v1),
            ("description", "First"),
            ("notes", "first notes"),
        ],
    )
    .await;
    let second = publish_form(
        &mut app,
        &process,
        &[
            ("package", &v2),
            ("description", "Second"),
            ("include_passwords", "on"),
            ("notes", "second notes"),
        ],
    )
    .await;
    assert_eq!(second.location(), format!("{LIB}?selected={process}"));
    let page = app.get(&second.location()).await;
    assert_eq!(page.text("[role=status]"), "Published as version 2.");
    let link = page.attr("#share-link", "value").expect("share link");
    assert!(
        link.starts_with("http://localhost/build/library/"),
        "{link}"
    );
    assert_eq!(page.attr("#share-link", "readonly").as_deref(), Some(""));
    let rows: Vec<String> = page.texts("table tbody tr td:nth-child(2)");
    assert_eq!(rows, ["2.0", "1.0"], "newest first");
    assert_eq!(
        page.count("a[href$='/republish']"),
        1,
        "only the older version can be republished"
    );

    let details_url = page
        .attr("tbody tr:nth-child(2) a[href*='/publications/']", "href")
        .expect("details");
    let details = app.get(&details_url).await;
    assert_eq!(details.text("h1"), "Publication Details");
    let facts: Vec<String> = details.texts("dl.facts dd");
    assert_eq!(facts[1], "1");
    assert_eq!(facts[4], "No");
    let latest = app
        .get(
            &page
                .attr("tbody tr:nth-child(1) a[href*='/publications/']", "href")
                .expect("details"),
        )
        .await;
    assert_eq!(latest.texts("dl.facts dd")[4], "Yes");

    let republish_url = format!("{details_url}/republish");
    let form = app.get(&republish_url).await;
    assert_eq!(form.text("h1"), "Republish Version 1");
    let done = app
        .post(&republish_url, &[("notes", "2.0 broke the EU mapping")])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("{LIB}?selected={process}")).await;
    assert_eq!(
        page.texts("table tbody tr td:nth-child(2)"),
        ["1.0", "2.0", "1.0"]
    );
    assert_eq!(
        page.text("table tbody tr td:nth-child(5)"),
        "2.0 broke the EU mapping first notes"
    );
    let latest_republish = app
        .post(
            &format!(
                "{}/republish",
                page.attr("tbody tr:nth-child(1) a[href*='/publications/']", "href")
                    .expect("v3")
            ),
            &[("notes", "again")],
        )
        .await;
    assert_eq!(latest_republish.status, StatusCode::CONFLICT);
    assert_eq!(app.count("publications"), 3);

    let deleted = app
        .post(&format!("/deploy/packages/{v1}/delete"), &[])
        .await;
    assert_eq!(deleted.status, StatusCode::CONFLICT);
    assert!(
        deleted
            .text("[role=alert]")
            .contains("a published package cannot be deleted")
    );
    assert!(
        app.get(&format!("/deploy/packages/{v1}"))
            .await
            .text(".note")
            .contains("published as version 1")
    );
}

#[actix_web::test]
async fn history_pages_by_ten_and_compare_shows_what_changed() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let conn = app.component(&partner, "Salesforce Prod", connection());
    let process = app.component(&partner, "Sync Accounts", connector_process(&conn));
    let first = package(&app, &partner, &process, "1.0");
    publish_form(&mut app, &process, &[("package", &first)]).await;
    let extra = app.component(
        &partner,
        "Audit Log Writer",
        Body::empty(ComponentType::Process),
    );
    let url = format!("/build/components/{process}");
    let rev = app
        .get(&url)
        .await
        .attr("input[name=revision]", "value")
        .expect("rev");
    app.post(
        &format!("{url}/shapes"),
        &[
            ("revision", &rev),
            ("shape", "process_call"),
            ("component", &extra),
            ("label", "Log"),
        ],
    )
    .await;
    for n in 2..=12 {
        let pkg = package(&app, &partner, &process, &format!("{n}.0"));
        publish_form(&mut app, &process, &[("package", &pkg)]).await;
    }
    let page = app.get(&format!("{LIB}?selected={process}")).await;
    assert_eq!(page.count("table tbody tr"), 10);
    let older = page
        .attr("a[rel=next]", "href")
        .expect("older publications");
    let rest = app.get(&older).await;
    assert_eq!(rest.texts("table tbody tr td:nth-child(1)"), ["2", "1"]);

    let v1 = rest
        .attr("tbody tr:nth-child(2) a[href*='/publications/']", "href")
        .expect("v1");
    let v12 = page
        .attr("tbody tr:nth-child(1) a[href*='/publications/']", "href")
        .expect("v12");
    let v12_id = v12.rsplit('/').next().expect("id");
    let compared = app.get(&format!("{v1}/compare?with={v12_id}")).await;
    assert!(
        compared
            .text("h1 + p")
            .contains("changes from version 1 to version 12")
    );
    let changes: Vec<String> = compared.texts("tbody tr td:nth-child(5)");
    assert_eq!(
        compared.texts("tbody tr td:first-child"),
        ["Audit Log Writer", "Salesforce Prod", "Sync Accounts"]
    );
    assert_eq!(changes, ["Added", "Unchanged", "Changed"]);
    assert_eq!(
        compared.texts("tbody tr td:nth-child(6)"),
        ["", "", "Shapes"],
        "a changed component names the fields that changed"
    );
    let only_changes = app
        .get(&format!("{v1}/compare?with={v12_id}&show=changes"))
        .await;
    assert_eq!(only_changes.count("tbody tr"), 2);
    let without = app
        .get(&format!("{v1}/compare?with={v12_id}&show=without"))
        .await;
    assert_eq!(
        without.texts("tbody tr td:first-child"),
        ["Salesforce Prod"]
    );
    let current = app.get(&format!("{v12}/compare?with=current")).await;
    assert!(
        current
            .text("h1 + p")
            .contains("0 added, 0 removed, 0 changed, 3 unchanged")
    );
}

#[actix_web::test]
async fn review_and_publish_keeps_each_processs_version_description_and_passwords() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let a = app.component(&partner, "Alpha Sync", Body::empty(ComponentType::Process));
    let b = app.component(&partner, "Beta Sync", Body::empty(ComponentType::Process));
    let a10 = package(&app, &partner, &a, "1.0");
    let a11 = package(&app, &partner, &a, "1.1");
    let b30 = package(&app, &partner, &b, "3.0");
    let page = app.get(LIB).await;
    assert_eq!(page.texts("ul.packaged li a"), ["Alpha Sync", "Beta Sync"]);
    assert_eq!(page.texts("ul.packaged label"), ["Alpha Sync", "Beta Sync"]);
    // Nothing ticked: the page again, with the refusal as an alert (not a success).
    let nothing = app.post(&format!("{LIB}/review"), &[]).await;
    assert_eq!(nothing.location(), LIB);
    let again = app.get(LIB).await;
    assert_eq!(
        again.text("[role=alert]"),
        "Tick the processes to publish first."
    );
    assert_eq!(again.count("[role=status]"), 0);
    let review = app
        .post(
            &format!("{LIB}/review"),
            &[("component", &a), ("component", &b)],
        )
        .await;
    assert_eq!(review.status, StatusCode::OK);
    assert_eq!(review.text("h1"), "Review and Publish");
    assert_eq!(review.texts("fieldset legend"), ["Alpha Sync", "Beta Sync"]);
    assert_eq!(
        review.texts("form label"),
        [
            "Package Version for Alpha Sync",
            "Publication Description for Alpha Sync",
            "Include passwords in publication for Alpha Sync",
            "Package Version for Beta Sync",
            "Publication Description for Beta Sync",
            "Include passwords in publication for Beta Sync",
            "Publication Notes"
        ]
    );
    assert_eq!(
        review.attr(&format!("#f-package_{a} option[selected]"), "value"),
        Some(a11.clone()),
        "the newest shareable version first"
    );
    assert_eq!(review.text("main form button[type=submit]"), "Publish All");
    let publish_all = |a_package: &str, b_package: &str| {
        vec![
            ("component".to_owned(), a.clone()),
            ("component".to_owned(), b.clone()),
            (format!("package_{a}"), a_package.to_owned()),
            (format!("description_{a}"), "Alpha for everyone".to_owned()),
            (format!("include_passwords_{a}"), "on".to_owned()),
            (format!("package_{b}"), b_package.to_owned()),
            (format!("description_{b}"), "Beta for everyone".to_owned()),
            ("notes".to_owned(), "Spring release".to_owned()),
        ]
    };
    let fields = publish_all(&a10, &b30);
    let sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let done = app.post(&format!("{LIB}/publish-selected"), &sent).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(LIB).await.text("[role=status]"),
        "Published 2 processes."
    );
    assert_eq!(app.count("publications WHERE notes = 'Spring release'"), 2);
    assert_eq!(
        app.count(&format!(
            "publications WHERE package_id = '{a10}' AND include_passwords \
             AND description = 'Alpha for everyone'"
        )),
        1,
        "the chosen (older) version, with its passwords and description"
    );
    assert_eq!(
        app.count(&format!(
            "publications WHERE package_id = '{b30}' AND NOT include_passwords"
        )),
        1
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'publication.publish_many'"),
        1
    );

    // The next review starts from the latest publications.
    let review = app
        .post(
            &format!("{LIB}/review"),
            &[("component", &a), ("component", &b)],
        )
        .await;
    assert_eq!(
        review.text(&format!("#f-description_{a}")),
        "Alpha for everyone"
    );
    assert_eq!(
        review
            .attr(&format!("#f-include_passwords_{a}"), "checked")
            .as_deref(),
        Some("")
    );
    assert_eq!(
        review.attr(&format!("#f-include_passwords_{b}"), "checked"),
        None
    );

    // Publishing again what the latest publications publish refuses the whole batch.
    let fields = publish_all(&a11, &b30);
    let sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let refused = app.post(&format!("{LIB}/publish-selected"), &sent).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let message =
        "Beta Sync: version 1 already publishes package 3.0. Choose another package version.";
    assert_eq!(refused.text("[role=alert] h2"), "There is a problem");
    assert_eq!(refused.texts("[role=alert] li"), [message]);
    assert_eq!(
        refused.attr("[role=alert] li a", "href"),
        Some(format!("#f-package_{b}")),
        "the summary leads to Beta's package version"
    );
    assert_eq!(refused.text(&format!("#f-package_{b}-error")), message);
    assert!(refused.text("title").starts_with("Error: "));
    assert_eq!(
        app.count("publications"),
        2,
        "nothing published, not even Alpha's new version"
    );
    // Two rows at fault: the summary names both, each beside its own select.
    let fields = publish_all(&a10, &b30);
    let sent: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let both = app.post(&format!("{LIB}/publish-selected"), &sent).await;
    assert_eq!(both.status, StatusCode::CONFLICT);
    assert_eq!(
        both.texts("[role=alert] li"),
        [
            "Alpha Sync: version 1 already publishes package 1.0. Choose another package version.",
            "Beta Sync: version 1 already publishes package 3.0. Choose another package version."
        ]
    );
    assert_eq!(both.count(".has-error select[aria-invalid=true]"), 2);
    assert_eq!(app.count("publications"), 2);
    let published = app.get(&format!("{LIB}?status=published&q=ALPHA")).await;
    assert_eq!(published.texts("ul.packaged li a"), ["Alpha Sync"]);
    assert_eq!(
        app.get(&format!("{LIB}?status=not_published"))
            .await
            .count("ul.packaged li"),
        0
    );
}

#[actix_web::test]
async fn publish_package_starts_from_the_latest_publication_and_refuses_the_same_package() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let process = app.component(&partner, "Sync Orders", Body::empty(ComponentType::Process));
    let v1 = package(&app, &partner, &process, "1.0");
    let url = format!("{LIB}/processes/{process}/publish");
    let first = app.get(&url).await;
    assert_eq!(first.text("#f-description"), "");
    assert_eq!(first.attr("#f-include_passwords", "checked"), None);
    let done = publish_form(
        &mut app,
        &process,
        &[
            ("package", &v1),
            ("description", "Orders to the ERP"),
            ("include_passwords", "on"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let form = app.get(&url).await;
    assert_eq!(form.text("#f-description"), "Orders to the ERP");
    assert_eq!(
        form.attr("#f-include_passwords", "checked").as_deref(),
        Some("")
    );
    let again = app
        .post(
            &url,
            &[
                ("package", &v1),
                ("description", "Orders to the ERP"),
                ("include_passwords", "on"),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(
        again.text("#f-package-error"),
        "Sync Orders: version 1 already publishes package 1.0. Choose another package version."
    );
    assert_eq!(app.count("publications"), 1, "nothing published");
    let v2 = package(&app, &partner, &process, "2.0");
    let next = app
        .post(
            &url,
            &[
                ("package", &v2),
                ("description", "Orders to the ERP"),
                ("include_passwords", "on"),
            ],
        )
        .await;
    assert_eq!(next.status, StatusCode::SEE_OTHER);
    assert_eq!(app.count("publications WHERE include_passwords"), 2);
}

#[actix_web::test]
async fn other_accounts_packages_and_publications_are_out_of_reach() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    app.enable_library(&rival);
    let theirs = app.component(&rival, "Rival Sync", Body::empty(ComponentType::Process));
    let (_, their_publication) = app.publish(&rival, &theirs, false);
    let their_package = package(&app, &rival, &theirs, "9.0");
    let mine = app.component(
        &partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    package(&app, &partner, &mine, "1.0");
    for path in [
        format!("{LIB}/publications/{their_publication}"),
        format!("{LIB}/publications/{their_publication}/compare"),
        format!("{LIB}/publications/{their_publication}/republish"),
        format!("{LIB}/processes/{theirs}/publish"),
        format!("{LIB}?selected={theirs}"),
    ] {
        let page = app.get(&path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!page.body.contains("Rival Sync"));
    }
    let forged = publish_form(&mut app, &mine, &[("package", &their_package)]).await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        forged.text("#f-package-error"),
        "Choose a shareable package version of this process."
    );
    assert_eq!(
        app.post(
            &format!("{LIB}/publications/{their_publication}/republish"),
            &[("notes", "x")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("publications"), 1);
}

#[actix_web::test]
async fn publication_history_pages_both_ways() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let process = app.component(&partner, "Busy Sync", Body::empty(ComponentType::Process));
    for _ in 0..23 {
        app.publish(&partner, &process, false);
    }
    let versions = |page: &crate::support::Response| page.texts("table tbody tr td:first-child");
    let first = app.get(&format!("{LIB}?selected={process}")).await;
    assert_eq!(
        versions(&first).first().map(String::as_str),
        Some("23 latest")
    );
    assert_eq!(
        first.count("a[rel=prev]"),
        0,
        "the newest page has nothing newer"
    );
    let older = first.attr("a[rel=next]", "href").expect("older");
    let second = app.get(&older).await;
    assert_eq!(
        versions(&second),
        ["13", "12", "11", "10", "9", "8", "7", "6", "5", "4"]
    );
    let third = app
        .get(&second.attr("a[rel=next]", "href").expect("older"))
        .await;
    assert_eq!(versions(&third), ["3", "2", "1"]);
    assert_eq!(third.count("a[rel=next]"), 0);
    let back = app
        .get(&third.attr("a[rel=prev]", "href").expect("newer"))
        .await;
    assert_eq!(versions(&back), versions(&second));
    let top = app
        .get(&back.attr("a[rel=prev]", "href").expect("newer"))
        .await;
    assert_eq!(versions(&top), versions(&first));
    assert_eq!(top.count("a[rel=prev]"), 0);
}
