//! `okienko verify` (issue 18 §4): a database as okienko wrote it verifies clean, and each
//! kind of tampering is reported with its record.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

use crate::helpers::TestApp;
use okienko::domain::level::IdentityLevel;

/// A registration with a PDF attachment; returns its submission id.
async fn file_with_attachment(app: &TestApp, me: &str) -> String {
    let data = json!({"stay_kind": "permanent",
        "arrival_date": okienko::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date().to_string(),
        "address": {"building": "5", "postal_code": "64-530", "locality": "Przykładowo"}, "has_title": true});
    let mut body = Vec::new();
    body.extend_from_slice(b"--XX\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n");
    body.extend_from_slice(json!({"data": data}).to_string().as_bytes());
    body.extend_from_slice(b"\r\n--XX\r\nContent-Disposition: form-data; name=\"title_document\"; filename=\"umowa.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 umowa\r\n--XX--\r\n");
    let r = app
        .send(
            Request::post("/api/services/zameldowanie/submissions")
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
                .header(header::COOKIE, me)
                .header("idempotency-key", "integrity-1")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["receipt"]["claims"]["submission_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn exec(app: &TestApp, sql: &str) {
    let db = &app.state.db;
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        sql.to_owned(),
    ))
    .await
    .unwrap();
}

#[tokio::test]
async fn a_database_as_written_verifies_and_each_tampering_is_reported() {
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let with_file = file_with_attachment(&app, &me).await;
    let (_, sign, message) = crate::delivery::letter_to(&app, "integrity-2").await;
    let clean = okienko::integrity::verify(&app.state, true).await.unwrap();
    assert!(clean.is_clean(), "{:?}", clean.problems);
    assert_eq!(clean.checked["receipts"], 2);
    assert_eq!(clean.checked["attachments"], 1);
    assert_eq!(clean.checked["case histories"], 2);
    assert!(clean.checked["evidences"] >= 2, "{:?}", clean.checked);

    // a submission's data changed after its receipt
    exec(
        &app,
        &format!(
            "UPDATE submission SET data = REPLACE(data, 'Przykładowo', 'Gdzieindziej') WHERE id = '{with_file}'"
        ),
    )
    .await;
    // a history entry rewritten
    exec(
        &app,
        &format!(
            "UPDATE case_event SET actor_name = 'ktoś inny' WHERE seq = 2 AND case_id = (SELECT id FROM case_file WHERE sign = '{sign}')"
        ),
    )
    .await;
    // an evidence moved to another code
    exec(
        &app,
        &format!(
            "UPDATE evidence SET code = 'E.9' WHERE message_id = '{message}' AND code = 'A.1'"
        ),
    )
    .await;
    // an attachment's bytes gone from object storage
    let key: String = {
        use okienko::db::entity::attachment;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        attachment::Entity::find()
            .filter(attachment::Column::SubmissionId.eq(with_file.as_str()))
            .one(&app.state.db)
            .await
            .unwrap()
            .unwrap()
            .storage_key
    };
    use object_store::ObjectStoreExt as _;
    app.state
        .storage
        .delete(&object_store::path::Path::from(key.as_str()))
        .await
        .unwrap();

    let found = okienko::integrity::verify(&app.state, true).await.unwrap();
    let all = found.problems.join("\n");
    assert_eq!(found.problems.len(), 4, "{all}");
    assert!(
        all.contains(&format!(
            "of submission {with_file}: the stored submission differs"
        )),
        "{all}"
    );
    assert!(all.contains("history entry 2 does not follow"), "{all}");
    assert!(
        all.contains("its signed claims name another evidence"),
        "{all}"
    );
    assert!(all.contains("not in object storage"), "{all}");
    // without reading the bytes, the other three remain
    let rows_only = okienko::integrity::verify(&app.state, false).await.unwrap();
    assert_eq!(rows_only.problems.len(), 3, "{:?}", rows_only.problems);
}
