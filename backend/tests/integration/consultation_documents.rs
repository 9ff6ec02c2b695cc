//! A consultation's documents (issue 14 §1): uploaded by the coordinator into object
//! storage before the consultation opens, listed on its page with size and type,
//! downloaded under their name, and frozen with the version residents answer.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use okienko::domain::identity::Role;
use serde_json::Value;
use time::Duration;

use crate::consultations::{codes, consultation, put_json, save_body, today};
use crate::helpers::{Resp, TestApp, anon};

const PDF: &str = "%PDF-1.4 projekt uchwały\n%%EOF\n";

fn upload(url: &str, cookie: &str, parts: &[(&str, &str)], file: (&str, &str)) -> Request<Body> {
    let mut body = String::new();
    for (name, value) in parts {
        body.push_str(&format!(
            "--X\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--X\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/pdf\r\n\r\n{}\r\n--X--\r\n", file.0, file.1));
    Request::post(url)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
        .body(Body::from(body))
        .unwrap()
}

async fn delete(app: &TestApp, url: &str, cookie: &str) -> Resp {
    app.send(
        Request::delete(url)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

fn actions(h: &Value) -> Vec<String> {
    h["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn documents_are_uploaded_before_opening_listed_downloaded_and_then_frozen() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let other = app.with_roles("radny-2", vec![Role::Councillor]).await;
    let resident = app.resident_with_pesel("44051401359").await;
    let later = consultation("formal_open", today() + Duration::days(7), 14);
    let r = app
        .post_json("/api/consultations", &councillor, None, &save_body(&later))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let url = format!("/api/consultations/{id}/documents");

    // who may: the author (and the coordinator); a stranger's draft is not there at all
    let draft = [
        ("role", "draft"),
        ("title", "Projekt uchwały w sprawie tablic"),
    ];
    let r = app
        .send(upload(&url, &resident, &draft, ("projekt.pdf", PDF)))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    let r = app
        .send(upload(&url, &other, &draft, ("projekt.pdf", PDF)))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());

    // bounded types whose content agrees with the name, known roles, a file part
    let r = app
        .send(upload(&url, &councillor, &draft, ("program.exe", "MZ")))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .send(upload(
            &url,
            &councillor,
            &draft,
            ("projekt.pdf", "to nie jest PDF"),
        ))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let r = app
        .send(upload(
            &url,
            &councillor,
            &draft,
            ("projekt uchwały.pdf", PDF),
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::BAD_REQUEST,
        "a space is not allowed in a name: {}",
        r.text()
    );
    let r = app
        .send(upload(
            &url,
            &councillor,
            &[("role", "poster")],
            ("plakat.pdf", PDF),
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    assert_eq!(codes(&r), ["document.role"]);

    let r = app
        .send(upload(&url, &councillor, &draft, ("projekt.pdf", PDF)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["version"], 1);
    assert_eq!(r.json()["size"], PDF.len());
    let map = [("role", "map"), ("title", "Mapa obszaru")];
    let r = app
        .send(upload(&url, &councillor, &map, ("mapa_ośrodka.pdf", PDF)))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let map_href = r.json()["href"].as_str().unwrap().to_owned();
    let spare = app
        .send(upload(&url, &councillor, &[], ("zbedny.pdf", PDF)))
        .await
        .json();
    assert_eq!(spare["role"], "other");
    assert_eq!(spare["title"], "zbedny.pdf");
    let gone = delete(&app, spare["href"].as_str().unwrap(), &councillor).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{}", gone.text());
    assert_eq!(
        app.get(spare["href"].as_str().unwrap(), &councillor)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // not public while a draft
    assert_eq!(app.get(&url, &anon()).await.status, StatusCode::NOT_FOUND);

    // a new version moving the dates to today keeps the documents; published, it opens
    let now = consultation("formal_open", today(), 14);
    let r = put_json(
        &app,
        &format!("/api/consultations/{id}"),
        &councillor,
        &save_body(&now),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = app
        .post_json(
            &format!("/api/consultations/{id}/publish"),
            &councillor,
            None,
            "",
        )
        .await;
    assert_eq!(p.status, StatusCode::OK, "{}", p.text());

    let list = app.get(&url, &anon()).await.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items[0]["role"], "draft");
    assert_eq!(items[1]["title"], "Mapa obszaru");
    assert_eq!(items[1]["content_type"], "application/pdf");
    let file = app.get(&map_href, &anon()).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(
        file.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"mapa_osrodka.pdf\"; filename*=UTF-8''mapa_o%C5%9Brodka.pdf"
    );
    assert_eq!(file.text(), PDF);

    // open: frozen, with the version residents answer
    let r = app
        .send(upload(&url, &councillor, &draft, ("nowy.pdf", PDF)))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert!(r.text().contains("zamroż"), "{}", r.text());
    assert_eq!(
        delete(&app, &map_href, &councillor).await.status,
        StatusCode::CONFLICT
    );

    let page = app.get(&format!("/konsultacje/{id}"), &anon()).await.text();
    assert!(
        page.contains("Mapa obszaru")
            && page.contains(&map_href)
            && page.contains("mapa")
            && page.contains(&format!("application/pdf, {} B", PDF.len())),
        "{page}"
    );
    let h = app
        .get(&format!("/api/consultations/{id}/history"), &anon())
        .await
        .json();
    let a = actions(&h);
    assert_eq!(
        a.iter().filter(|x| *x == "document_added").count(),
        3,
        "{a:?}"
    );
    assert!(a.contains(&"document_removed".to_owned()), "{a:?}");
    let other_doc = format!("/api/consultations/{id}/documents/{}", uuid::Uuid::now_v7());
    assert_eq!(
        app.get(&other_doc, &anon()).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("{url}/nie-uuid"), &anon()).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_console_uploads_and_removes_documents_before_opening() {
    let app = TestApp::new().await;
    let councillor = app.with_roles("radna-1", vec![Role::Councillor]).await;
    let later = consultation("formal_open", today() + Duration::days(7), 14);
    let r = app
        .post_json("/api/consultations", &councillor, None, &save_body(&later))
        .await;
    let id = r.json()["id"].as_str().unwrap().to_owned();
    let console = format!("/konsole/konsultacje/{id}");
    let form = [("role", "map"), ("title", "Mapa obszaru")];
    // a browser's name with spaces is tidied in the pages
    let r = app
        .send(upload(
            &format!("{console}/dokumenty"),
            &councillor,
            &form,
            ("Skan 1.pdf", PDF),
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&console, &councillor).await.text();
    assert!(
        page.contains("Mapa obszaru")
            && page.contains("Skan_1.pdf")
            && page.contains("Dodaj dokument"),
        "{page}"
    );
    let list = app
        .get(&format!("/api/consultations/{id}/documents"), &councillor)
        .await
        .json();
    let doc = list["items"][0]["id"].as_str().unwrap().to_owned();
    let r = app
        .post_json(
            &format!("{console}/dokumenty/{doc}/usun"),
            &councillor,
            None,
            "",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let list = app
        .get(&format!("/api/consultations/{id}/documents"), &councillor)
        .await
        .json();
    assert_eq!(list["items"], serde_json::json!([]));
}
