//! Session reads gathered into one statement (`db::session_reads`): each read gets its own
//! session, several waiting reads share a statement, and a session changed or deleted before
//! a read is seen by it.

use process_library::db::{self, session_reads::SessionReads, sessions::Session};

use crate::support::{TestApp, queries_so_far};

fn session(app: &TestApp, id_hash: &str, email: &str, flash: &str) -> Session {
    let user_id = app.text_of(&format!(
        "SELECT id AS t FROM users WHERE email = '{email}'"
    ));
    let now = db::now();
    let session = Session {
        id_hash: id_hash.to_owned(),
        user_id: Some(user_id.into()),
        account_id: None,
        security_stamp: None,
        csrf_token: format!("csrf of {id_hash}"),
        flash: Some(flash.to_owned()),
        created_at: now,
        last_seen_at: now,
    };
    db::write(&app.pool, |conn| db::sessions::insert(conn, &session)).expect("session kept");
    session
}

#[actix_web::test]
async fn reads_waiting_together_share_one_statement_and_each_gets_its_own_session() {
    let app = TestApp::new().await;
    app.primary_account("Partner Co", "ada@partner.test");
    app.primary_account("Other Co", "bo@other.test");
    let ada = session(&app, "hash-of-ada", "ada@partner.test", "status:for Ada");
    let bo = session(&app, "hash-of-bo", "bo@other.test", "status:for Bo");
    let reads = SessionReads::start(app.pool.clone()).expect("a thread");

    // Every connection taken: the thread waits for one with the first read it took, while
    // the others are asked.
    let held: Vec<_> = (0..app.pool.max_size())
        .map(|_| app.pool.get().expect("a connection"))
        .collect();
    let keys = ["hash-of-ada", "hash-of-bo", "hash-of-nobody"];
    let before = queries_so_far();
    let answers: Vec<_> = (0..21).map(|i| reads.ask(keys[i % 3])).collect();
    drop(held);
    let answers = futures_util::future::join_all(answers).await;
    let statements = queries_so_far() - before;

    for (i, answer) in answers.into_iter().enumerate() {
        let found = answer.expect("read").expect("no outage");
        match keys[i % 3] {
            "hash-of-nobody" => assert!(found.is_none(), "an unknown key has no session"),
            key => {
                let (row, user, clock) = found.expect("a session");
                let expected = if key == "hash-of-ada" { &ada } else { &bo };
                assert_eq!(row.id_hash, key);
                assert_eq!(row.flash, expected.flash, "its own row");
                assert_eq!(user.map(|u| u.id), expected.user_id, "its own user");
                assert!(clock.is_some(), "with the clock");
            }
        }
    }
    assert!(
        (1..=2).contains(&statements),
        "21 reads asked while the first waited took {statements} statements"
    );

    // A change committed before a read is seen by it.
    app.execute("UPDATE sessions SET flash = 'status:changed' WHERE id_hash = 'hash-of-bo'");
    let (row, _, _) = reads
        .ask("hash-of-bo")
        .await
        .expect("read")
        .expect("no outage")
        .expect("a session");
    assert_eq!(row.flash.as_deref(), Some("status:changed"));
    app.execute("DELETE FROM sessions WHERE id_hash = 'hash-of-ada'");
    assert!(
        reads
            .ask("hash-of-ada")
            .await
            .expect("read")
            .expect("no outage")
            .is_none(),
        "a deleted session is gone at once"
    );
}

mod on_postgres {
    use process_library::db::session_reads::SessionReads;
    use process_library::error::AppError;

    use crate::support::TestApp;

    #[actix_web::test]
    async fn an_outage_answers_every_waiting_read_at_once_and_reads_resume_after_it() {
        let proxy = crate::support::proxy::Proxy::to_postgres();
        let app = TestApp::on_postgres_through(&proxy).await;
        app.primary_account("Partner Co", "ada@partner.test");
        super::session(&app, "hash-of-ada", "ada@partner.test", "status:for Ada");
        let reads = SessionReads::start(app.pool.clone()).expect("a thread");
        assert!(matches!(reads.ask("hash-of-ada").await, Some(Ok(Some(_)))));

        proxy.cut();
        let answers =
            futures_util::future::join_all((0..20).map(|_| reads.ask("hash-of-ada"))).await;
        for answer in answers {
            assert!(
                matches!(answer, Some(Err(AppError::Unavailable(_)))),
                "the outage itself, for the page to answer 503: {answer:?}"
            );
        }

        proxy.restore();
        let back = reads.ask("hash-of-ada").await;
        assert!(
            matches!(back, Some(Ok(Some(_)))),
            "read again once the database is back: {back:?}"
        );
    }
}
