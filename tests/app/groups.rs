//! Settings > Account Groups: All Accounts, custom groups, members, users with roles in every
//! member account, and resources (never API services).

use actix_web::http::StatusCode;
use process_library::db::ids::*;
use process_library::domain::accounts::BuiltInRole;
use process_library::domain::build::{Body, ComponentType, Endpoint, HttpMethod};

use crate::support::{PASSWORD, TestApp, admin_app};

const GROUPS: &str = "/settings/groups";

async fn create_group(app: &mut TestApp, name: &str) -> String {
    app.get(&format!("{GROUPS}/new")).await;
    let created = app.post(&format!("{GROUPS}/new"), &[("name", name)]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    created
        .location()
        .trim_start_matches("/settings/groups/")
        .to_owned()
}

#[actix_web::test]
async fn all_accounts_comes_first_holds_every_managed_account_and_cannot_change() {
    let (mut app, partner) = admin_app().await;
    app.managed_account(&partner, "Zeta Foods", "z@zeta.test");
    app.managed_account(&partner, "Acme Retail", "a@acme.test");
    create_group(&mut app, "Gold").await;
    let list = app.get(GROUPS).await;
    assert_eq!(list.texts("tbody td:first-child"), ["All Accounts", "Gold"]);
    let all = list
        .attr("tbody tr:first-child a", "href")
        .expect("All Accounts");
    let page = app.get(&all).await;
    assert_eq!(page.text("h1"), "All Accounts");
    assert_eq!(
        page.texts("nav[aria-label=Group] a"),
        ["Access Control", "Resources"]
    );
    assert_eq!(
        page.texts("#accounts-heading ~ .table-wrap table tbody td:first-child"),
        ["Acme Retail", "Zeta Foods"]
    );
    assert_eq!(page.count("a[href$='/accounts/add']"), 0);
    assert_eq!(
        app.post(&format!("{all}/rename"), &[("name", "Everyone")])
            .await
            .status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        app.post(&format!("{all}/delete"), &[]).await.status,
        StatusCode::CONFLICT
    );
    app.managed_account(&partner, "New Co", "n@new.test");
    assert_eq!(
        app.get(&all)
            .await
            .count("#accounts-heading ~ .table-wrap table tbody tr"),
        3,
        "new accounts join at once"
    );
}

#[actix_web::test]
async fn groups_are_created_renamed_and_deleted_with_confirmation() {
    let (mut app, _partner) = admin_app().await;
    let form = app.get(&format!("{GROUPS}/new")).await;
    assert_eq!(form.texts("form label"), ["Group Name"]);
    let empty = app.post(&format!("{GROUPS}/new"), &[("name", " ")]).await;
    assert_eq!(empty.text("#f-name-error"), "Group Name is required.");
    let id = create_group(&mut app, "Gold").await;
    let twice = app
        .post(&format!("{GROUPS}/new"), &[("name", "gold")])
        .await;
    assert_eq!(
        twice.text("#f-name-error"),
        "A group with this name already exists."
    );
    let renamed = app
        .post(&format!("{GROUPS}/{id}/rename"), &[("name", "Platinum")])
        .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}")).await.text("h1"),
        "Platinum"
    );
    let confirm = app.get(&format!("{GROUPS}/{id}/delete")).await;
    assert_eq!(confirm.text("h1"), "Delete Platinum");
    assert_eq!(
        app.post(&format!("{GROUPS}/{id}/delete"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.count("audit_events WHERE action LIKE 'group.%'"), 3);
}

#[actix_web::test]
async fn accounts_are_chosen_by_search_added_and_removed() {
    let (mut app, partner) = admin_app().await;
    for name in ["Acme Retail", "Acme Wholesale", "Globex"] {
        app.managed_account(
            &partner,
            name,
            &format!("admin@{}.test", name.replace(' ', "").to_lowercase()),
        );
    }
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    let foreign = app.managed_account(&rival, "Rival Customer", "c@rival-customer.test");
    let id = create_group(&mut app, "Gold").await;
    let chooser = app.get(&format!("{GROUPS}/{id}/accounts/add")).await;
    assert_eq!(
        chooser.texts("fieldset label"),
        ["Acme Retail", "Acme Wholesale", "Globex"]
    );
    let searched = app.get(&format!("{GROUPS}/{id}/accounts/add?q=ACME")).await;
    assert_eq!(
        searched.texts("fieldset label"),
        ["Acme Retail", "Acme Wholesale"]
    );
    let ids: Vec<String> = ["Acme Retail", "Acme Wholesale"]
        .iter()
        .map(|n| {
            let sel = scraper::Selector::parse("fieldset .check").expect("selector");
            searched
                .html()
                .select(&sel)
                .find(|c| c.text().collect::<String>() == *n)
                .and_then(|c| {
                    c.select(&scraper::Selector::parse("input").expect("input"))
                        .next()
                })
                .and_then(|i| i.value().attr("value"))
                .expect("checkbox")
                .to_owned()
        })
        .collect();
    let added = app
        .post(
            &format!("{GROUPS}/{id}/accounts/add"),
            &[
                ("account", &ids[0]),
                ("account", &ids[1]),
                ("account", &foreign),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("{GROUPS}/{id}")).await;
    assert_eq!(page.text("[role=status]"), "2 accounts added to the group.");
    assert_eq!(
        page.texts("#accounts-heading ~ .table-wrap table tbody td:first-child"),
        ["Acme Retail", "Acme Wholesale"]
    );
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}/accounts/add"))
            .await
            .texts("fieldset label"),
        ["Globex"]
    );
    let none = app.post(&format!("{GROUPS}/{id}/accounts/add"), &[]).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.text("#f-accounts-error"), "Tick at least one account.");
    let removed = app
        .post(&format!("{GROUPS}/{id}/accounts/{}/remove", ids[0]), &[])
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}"))
            .await
            .texts("#accounts-heading ~ .table-wrap table tbody td:first-child"),
        ["Acme Wholesale"]
    );
    assert_eq!(
        app.post(&format!("{GROUPS}/{id}/accounts/{foreign}/remove"), &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[actix_web::test]
async fn a_group_user_holds_the_role_in_every_member_account_until_removed() {
    let (mut app, partner) = admin_app().await;
    let acme = app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    let user = app.user(&partner, "consultant@partner.test", BuiltInRole::Support);
    let id = create_group(&mut app, "Gold").await;
    app.post(
        &format!("{GROUPS}/{id}/accounts/add"),
        &[("account", &acme)],
    )
    .await;
    let page = app.get(&format!("{GROUPS}/{id}")).await;
    assert_eq!(page.texts("#users-heading ~ form label"), ["Email", "Role"]);
    let stranger = app
        .post(
            &format!("{GROUPS}/{id}/users"),
            &[
                ("email", "admin@acme.test"),
                ("role", BuiltInRole::StandardUser.id()),
            ],
        )
        .await;
    assert_eq!(
        stranger.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "only users of the primary account"
    );
    assert!(
        stranger
            .text("#f-email-error")
            .starts_with("No user of this account has this e-mail")
    );
    let added = app
        .post(
            &format!("{GROUPS}/{id}/users"),
            &[
                ("email", "Consultant@Partner.test"),
                ("role", BuiltInRole::StandardUser.id()),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}"))
            .await
            .texts("#users-heading ~ .table-wrap table tbody tr td:nth-child(-n+2)"),
        ["consultant@partner.test", "Standard User"]
    );

    app.set_cookie(None);
    app.sign_in("consultant@partner.test", PASSWORD).await;
    let settings = app.get("/settings").await;
    assert_eq!(
        settings.texts("#switch-account option"),
        ["Acme Retail", "Partner Co"]
    );
    assert_eq!(
        settings.text(".current-account"),
        "Current account: Partner Co",
        "lands in the primary account"
    );
    assert_eq!(
        app.get("/build/components/new").await.status,
        StatusCode::FORBIDDEN,
        "Support in the primary"
    );
    app.post("/switch", &[("account", &acme)]).await;
    assert_eq!(
        app.get("/build/components/new").await.status,
        StatusCode::OK,
        "Standard User in the member account"
    );
    let consultant_cookie = app.cookie();

    app.set_cookie(None);
    app.sign_in("ada@partner.test", PASSWORD).await;
    // Change Role: the user's row leads to a form with the role they hold.
    let group_page = app.get(&format!("{GROUPS}/{id}")).await;
    let change = format!("{GROUPS}/{id}/users/{user}/role");
    assert_eq!(
        group_page
            .attr(&format!("a[href='{change}']"), "aria-label")
            .as_deref(),
        Some("Change Role of consultant@partner.test")
    );
    let form = app.get(&change).await;
    assert_eq!(
        form.text("h1"),
        "Change Role of consultant@partner.test in Gold"
    );
    assert_eq!(form.text("#f-role option[selected]"), "Standard User");
    let changed = app
        .post(&change, &[("role", BuiltInRole::Support.id())])
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}"))
            .await
            .text("[role=status]"),
        "consultant@partner.test now holds Support in every account of the group."
    );
    assert_eq!(
        app.count("audit_events WHERE action = 'group.user_role'"),
        1
    );
    let admin_cookie = app.cookie();
    app.set_cookie(consultant_cookie.clone());
    assert_eq!(
        app.get("/build/components/new").await.status,
        StatusCode::FORBIDDEN,
        "Support in the member account from the next request on"
    );
    app.set_cookie(admin_cookie);
    app.get(&change).await;
    let unknown = app.post(&change, &[("role", "no-such-role")]).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.text("#f-role-error"), "Choose a role.");
    assert_eq!(
        app.post(&format!("{GROUPS}/{id}/users/{user}/remove"), &[])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    app.set_cookie(consultant_cookie);
    let after = app.get("/settings").await;
    assert_eq!(
        after.text(".current-account"),
        "Current account: Partner Co",
        "the next request lost the member account"
    );
    assert_eq!(after.count("#switch-account"), 0);
}

#[actix_web::test]
async fn resources_are_published_processes_never_api_services() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let process = app.component(
        &partner,
        "Sync Accounts",
        Body::empty(ComponentType::Process),
    );
    let (published, _) = app.publish(&partner, &process, false);
    let api = app.component(
        &partner,
        "Accounts API",
        Body::ApiService {
            endpoints: vec![Endpoint {
                process: process.clone(),
                path: "/sync".into(),
                method: HttpMethod::Post,
            }],
        },
    );
    let (api_published, _) = app.publish(&partner, &api, false);
    let id = create_group(&mut app, "Gold").await;
    let page = app.get(&format!("{GROUPS}/{id}/resources")).await;
    assert_eq!(page.text("h1"), "Gold");
    let chooser = app.get(&format!("{GROUPS}/{id}/resources/add")).await;
    assert_eq!(
        chooser.texts("form label"),
        ["Filter Processes", "Sync Accounts"]
    );
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}/resources/add?q=zzz"))
            .await
            .count("fieldset label"),
        0
    );
    let forged = app
        .post(
            &format!("{GROUPS}/{id}/resources/add"),
            &[("process", &api_published)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        forged.text("#f-processes-error"),
        "Accounts API: API Service publications are for integration packs only: they cannot be shared with an account group."
    );
    assert_eq!(app.count("group_resources"), 0);
    let added = app
        .post(
            &format!("{GROUPS}/{id}/resources/add"),
            &[("process", &published)],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("{GROUPS}/{id}/resources")).await;
    assert_eq!(page.texts("tbody td:first-child"), ["Sync Accounts"]);
    let confirm_url = page.attr("tbody a", "href").expect("Remove");
    let confirm = app.get(&confirm_url).await;
    assert_eq!(confirm.text("h1"), "Remove Sync Accounts");
    assert_eq!(
        app.post(&confirm_url, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("group_resources"), 0);
    assert_eq!(
        app.count("audit_events WHERE action IN ('group.resource_add', 'group.resource_remove')"),
        2
    );
}

#[actix_web::test]
async fn only_group_managers_of_primary_accounts_reach_groups() {
    let (mut app, partner) = admin_app().await;
    let id = create_group(&mut app, "Gold").await;
    app.user(&partner, "builder@partner.test", BuiltInRole::StandardUser);
    app.set_cookie(None);
    app.sign_in("builder@partner.test", PASSWORD).await;
    for path in [
        GROUPS.to_owned(),
        format!("{GROUPS}/{id}"),
        format!("{GROUPS}/{id}/resources"),
    ] {
        assert_eq!(app.get(&path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(
        app.post(&format!("{GROUPS}/{id}/delete"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    app.managed_account(&partner, "Acme Retail", "admin@acme.test");
    app.set_cookie(None);
    app.sign_in("admin@acme.test", PASSWORD).await;
    assert_eq!(app.get(GROUPS).await.status, StatusCode::NOT_FOUND);
    let rival = app.primary_account("Rival Inc", "boss@rival.test");
    let _ = rival;
    app.set_cookie(None);
    app.sign_in("boss@rival.test", PASSWORD).await;
    assert_eq!(
        app.get(&format!("{GROUPS}/{id}")).await.status,
        StatusCode::NOT_FOUND,
        "another primary's group"
    );
}

#[actix_web::test]
async fn a_groups_resources_are_listed_a_page_at_a_time() {
    let (mut app, partner) = admin_app().await;
    app.enable_library(&partner);
    let mut published = Vec::new();
    for i in 0..53 {
        let process = app.component(
            &partner,
            &format!("Process {i:02}"),
            Body::empty(ComponentType::Process),
        );
        published.push(app.publish(&partner, &process, false).0);
    }
    let id = create_group(&mut app, "Gold").await;
    let published: Vec<ProcessId> = published.iter().map(ProcessId::from).collect();
    process_library::services::groups::add_resources(
        &app.admin(&partner),
        &GroupId::from(&id),
        &published,
    )
    .expect("shared");
    let first = app.get(&format!("{GROUPS}/{id}/resources")).await;
    assert_eq!(first.status, StatusCode::OK);
    let names = first.texts("tbody td:first-child");
    assert_eq!(names.len(), 50);
    assert_eq!(names[0], "Process 00");
    assert_eq!(names[49], "Process 49");
    let next = first
        .attr("a[rel=next]", "href")
        .expect("a link to the next page");
    let second = app.get(&next).await;
    assert_eq!(
        second.texts("tbody td:first-child"),
        ["Process 50", "Process 51", "Process 52"]
    );
    assert_eq!(second.count("a[rel=next]"), 0, "the last page");
    assert_eq!(
        first.count("a[rel=prev]"),
        0,
        "nothing before the first page"
    );
    let back = app
        .get(
            &second
                .attr("a[rel=prev]", "href")
                .expect("a link to the page before")
                .replace("&amp;", "&"),
        )
        .await;
    assert_eq!(back.texts("tbody td:first-child"), names);
    assert_eq!(back.count("a[rel=prev]"), 0, "back on the first page");
    assert_eq!(back.attr("a[rel=next]", "href"), Some(next));
}

/// A group's accounts page both ways, in All Accounts and in a group of its own members.
#[actix_web::test]
async fn a_groups_accounts_page_back_to_where_they_came_from() {
    let (mut app, partner) = admin_app().await;
    let mut accounts = Vec::new();
    for n in 1..=53 {
        accounts.push(AccountId::from(app.managed_account(
            &partner,
            &format!("Customer {n:02}"),
            &format!("admin{n}@customer.test"),
        )));
    }
    let gold = create_group(&mut app, "Gold").await;
    process_library::services::groups::add_members(
        &app.admin(&partner),
        &GroupId::from(&gold),
        &accounts,
    )
    .expect("members");
    let list = app.get(GROUPS).await;
    let all = list
        .attr("tbody tr:first-child a", "href")
        .expect("All Accounts");
    let members = "section[aria-labelledby=accounts-heading] tbody td:first-child";
    for group in [all, format!("{GROUPS}/{gold}")] {
        let first = app.get(&group).await;
        let names = first.texts(members);
        assert_eq!(names.len(), 50, "{group}");
        assert_eq!(names[0], "Customer 01", "{group}");
        assert_eq!(first.count("a[rel=prev]"), 0, "{group}");
        let next = first.attr("a[rel=next]", "href").expect("a next page");
        let second = app.get(&next.replace("&amp;", "&")).await;
        assert_eq!(
            second.texts(members),
            ["Customer 51", "Customer 52", "Customer 53"],
            "{group}"
        );
        assert_eq!(second.count("a[rel=next]"), 0, "{group}");
        let back = app
            .get(
                &second
                    .attr("a[rel=prev]", "href")
                    .expect("a link to the page before")
                    .replace("&amp;", "&"),
            )
            .await;
        assert_eq!(back.texts(members), names, "{group}");
        assert_eq!(back.count("a[rel=prev]"), 0, "{group}: the first page");
        assert_eq!(back.attr("a[rel=next]", "href"), Some(next), "{group}");
    }
}
