use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::{TestApp, anon};

fn form(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

#[tokio::test]
async fn a_resident_files_a_request_through_the_pages() {
    let app = TestApp::new().await;
    let me = anon();
    let home = app.get("/", &me).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.text()
            .contains("Wniosek o udostępnienie informacji publicznej")
    );
    assert!(
        app.get("/?lang=en", &me)
            .await
            .text()
            .contains("Request for public information")
    );
    assert_eq!(
        app.get("/assets/okienko.css", &me).await.status,
        StatusCode::OK
    );

    let start = app
        .send(form("/uslugi/informacja-publiczna", &me, ""))
        .await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let step1 = start.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(step1.ends_with("/request"), "{step1}");
    // an error re-renders the step with a summary and the message at the field
    let r = app
        .send(form(&step1, &me, "request=short&action=next"))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("govuk-error-summary"));
    assert!(r.text().contains("Wpisz co najmniej 10 znaków."));
    assert!(r.text().contains("short"), "what was typed is kept");
    let r = app
        .send(form(
            &step1,
            &me,
            "request=Prosz%C4%99+o+rejestr+um%C3%B3w&access_form=electronic&action=next",
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let step2 = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let r = app
        .send(form(
            &step2,
            &me,
            "delivery=email&email=a%40example.org&action=next",
        ))
        .await;
    let review = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    assert!(review.ends_with("/sprawdz"));
    let page = app.get(&review, &me).await;
    assert!(page.text().contains("a@example.org"));
    let submit = Request::post(review.replace("/sprawdz", "/zloz"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XX")
        .header(header::COOKIE, &me)
        .body(Body::from("--XX--\r\n"))
        .unwrap();
    let r = app.send(submit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let confirmation = r.headers[header::LOCATION].to_str().unwrap().to_owned();
    let page = app.get(&confirmation, &me).await;
    assert!(page.text().contains("UPO-"));
    assert_eq!(
        app.get(&confirmation, &anon()).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn repeating_groups_add_and_remove_rows_without_javascript() {
    let app = TestApp::new().await;
    // in-1 needs `substantial`; an anonymous start would go to the login first
    let me = app
        .resident(okienko::domain::level::IdentityLevel::Substantial)
        .await;
    let start = app.send(form("/uslugi/in-1", &me, "")).await;
    let base = start.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .rsplit_once('/')
        .unwrap()
        .0
        .to_owned();
    let objects = format!("{base}/objects");
    app.send(form(&objects, &me, "action=add_row%3Azin1")).await;
    app.send(form(
        &objects,
        &me,
        "zin1%5B0%5D.location=A&action=add_row%3Azin1",
    ))
    .await;
    let page = app.get(&objects, &me).await.text();
    assert!(page.contains("zin1[1].location"));
    app.send(form(
        &objects,
        &me,
        "zin1%5B0%5D.location=A&zin1%5B1%5D.location=B&action=remove_row%3Azin1%3A0",
    ))
    .await;
    let page = app.get(&objects, &me).await.text();
    assert!(page.contains("value=\"B\"") && !page.contains("zin1[1].location"));
}

#[tokio::test]
async fn a_clerk_works_a_case_through_the_pages() {
    let app = TestApp::new().await;
    let sign = app.file_request(&anon(), "page-case").await;
    let clerk = app.staff("clerk-or", "OR").await;
    let queue = app.get("/urzad", &clerk).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text());
    assert!(queue.text().contains(&sign));
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("Proszę o rejestr umów"),
        "the submission as filed"
    );
    assert!(page.contains("Przyjmij do prowadzenia"));
    assert!(page.contains("Metryka sprawy") && page.contains("nienaruszony"));
    let r = app
        .send(form(
            &format!("/urzad/sprawy/{sign}/take"),
            &clerk,
            "version=1",
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    // a refusal shows the case with the rule, not an error page
    let r = app
        .send(form(
            &format!("/urzad/sprawy/{sign}/call_to_supplement"),
            &clerk,
            "version=2&items=podpis&term=P5D",
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.text().contains("art. 64"), "{}", r.text());
    assert!(r.text().contains("Nie wykonano czynności"));
    // a stale form
    let r = app
        .send(form(
            &format!("/urzad/sprawy/{sign}/note"),
            &clerk,
            "version=1&note=x",
        ))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // another unit gets the not-found page
    let other = app.staff("clerk-fn", "FN").await;
    let r = app.get(&format!("/urzad/sprawy/{sign}"), &other).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.text().contains("<html"), "a page, not JSON");
}

/// The clerk sees, for each action that makes a letter, which channel the letter takes:
/// the portal's mailbox unless `delivery.channels` sends that kind through e-Doręczenia.
#[tokio::test]
async fn the_case_page_names_each_letters_delivery_channel() {
    use okienko::config::Channel;
    let app = TestApp::with(|s| {
        s.authority.ade = Some("AE:PL-30275-59799-JADHJ-27".into());
        s.edoreczenia.base_url = Some("https://ua.invalid/api/v1".into());
        s.edoreczenia.token_url = Some("https://as.invalid/oauth2/token".into());
        s.edoreczenia.client_id = Some("gmina".into());
        s.delivery
            .channels
            .insert("granted".into(), Channel::National);
        s.delivery
            .channels
            .insert("refused".into(), Channel::National);
    })
    .await;
    let sign = app.file_request(&anon(), "page-case").await;
    let clerk = app.staff("clerk-or", "OR").await;
    let r = app
        .send(form(
            &format!("/urzad/sprawy/{sign}/take"),
            &clerk,
            "version=1",
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app
        .get(&format!("/urzad/sprawy/{sign}"), &clerk)
        .await
        .text();
    assert!(
        page.contains("uwzględnienie: skrzynka w portalu, bo wniosek nie podaje adresu"),
        "{page}"
    );
    // no address for electronic delivery in the application: the portal, and why
    assert!(page.contains("odmowa: skrzynka w portalu, bo wniosek nie podaje adresu"));
    assert!(page.contains("pozostawienie bez rozpoznania: skrzynka w portalu"));
    assert!(page.contains("zawiadomienie o zwłoce: skrzynka w portalu"));
}

#[tokio::test]
async fn a_resident_answers_a_call_to_supplement_from_their_case_page() {
    use okienko::domain::level::IdentityLevel;
    let app = TestApp::new().await;
    let me = app.resident(IdentityLevel::Substantial).await;
    let sign = app.file_request(&me, "supplement-1").await;
    let clerk = app.staff("clerk-or", "OR").await;
    for (path, body) in [
        ("take", "version=1"),
        (
            "call_to_supplement",
            "version=2&items=pe%C5%82nomocnictwo&term=P7D",
        ),
    ] {
        let r = app
            .send(form(&format!("/urzad/sprawy/{sign}/{path}"), &clerk, body))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    }
    let list = app.get("/moje-sprawy", &me).await.text();
    assert!(
        list.contains(&sign) && list.contains("czeka na Ciebie"),
        "{list}"
    );
    let page = app.get(&format!("/moje-sprawy/{sign}"), &me).await.text();
    assert!(
        page.contains("pełnomocnictwo") && page.contains("Wyślij uzupełnienie"),
        "{page}"
    );
    // another resident cannot see it or answer it
    let stranger = app.resident(IdentityLevel::Substantial).await;
    assert_eq!(
        app.get(&format!("/moje-sprawy/{sign}"), &stranger)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let body = "--X\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nW załączeniu.\r\n--X\r\nContent-Disposition: form-data; name=\"files\"; filename=\"pelnomocnictwo podpisane.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 test\r\n--X--\r\n";
    let send = |cookie: &str| {
        Request::post(format!("/moje-sprawy/{sign}/uzupelnij"))
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=X")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(
        app.send(send(&stranger)).await.status,
        StatusCode::NOT_FOUND
    );
    let r = app.send(send(&me)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let case = app.get(&format!("/api/cases/{sign}"), &clerk).await.json();
    assert_eq!(case["status"], "in_progress");
    let last = case["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "supplemented");
    assert_eq!(last["position"], "wnioskodawca");
    assert_eq!(
        last["detail"]["files"][0]["name"],
        "pelnomocnictwo_podpisane.pdf"
    );
    assert_eq!(last["detail"]["comment"], "W załączeniu.");
    // answering again when nothing is asked is refused
    let r = app.send(send(&me)).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let page = app.get(&format!("/moje-sprawy/{sign}"), &me).await.text();
    assert!(page.contains("Uzupełnienie wpłynęło"), "{page}");
    assert!(!page.contains("Wyślij uzupełnienie"));
}
