//! Server-rendered pages (tera), working without JavaScript. Polish by default, English
//! with `?lang=en` (remembered in a cookie).

pub mod assets;
pub mod atom;
pub mod budget;
pub mod budget_paper;
pub mod budget_take_part;
pub mod catalogue;
pub mod console;
pub mod consultation_feed;
pub mod consultation_requests;
pub mod consultation_results;
pub mod consultation_subscription;
pub mod consultation_take_part;
pub mod consultation_texts;
pub mod consultations;
pub mod correction;
pub mod council;
pub mod council_committee;
pub mod council_office;
pub mod council_room;
pub mod form_data;
pub mod initiatives;
pub mod mailbox;
pub mod mass_events;
pub mod my_cases;
pub mod national;
pub mod payments;
pub mod petitions;
pub mod signatures;
pub mod staff;
pub mod start;
pub mod step;
pub mod submit;
pub mod unit_mailbox;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

use crate::domain::lang::Lang;
use crate::state::AppState;

static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

pub fn templates() -> anyhow::Result<tera::Tera> {
    fn walk(dir: &include_dir::Dir<'static>, out: &mut Vec<(String, String)>) {
        for f in dir.files() {
            out.push((
                f.path().display().to_string(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            ));
        }
        dir.dirs().for_each(|d| walk(d, out));
    }
    let mut t = tera::Tera::new();
    let mut files = Vec::new();
    walk(&TEMPLATES, &mut files);
    t.add_raw_templates(files)
        .map_err(|e| anyhow::anyhow!("templates: {e}"))?;
    Ok(t)
}

/// UI strings: `(key, Polish, English)`.
const STRINGS: &[(&str, &str, &str)] = &[
    ("other_lang_name", "English", "Polski"),
    (
        "portal",
        "Okienko — e-usługi gminy",
        "Okienko — municipal e-services",
    ),
    ("search", "Szukaj usługi", "Search services"),
    ("search_button", "Szukaj", "Search"),
    ("start", "Rozpocznij", "Start now"),
    ("legal_basis", "Podstawa prawna", "Legal basis"),
    ("you_need", "Przygotuj", "What you need"),
    ("takes", "Zajmie to około", "It takes about"),
    ("minutes", "minut", "minutes"),
    ("term", "Termin załatwienia", "Processing term"),
    ("fee", "Opłata", "Fee"),
    (
        "by_situation",
        "Sprawy według sytuacji życiowej",
        "Services by life situation",
    ),
    (
        "by_unit",
        "Sprawy według komórki urzędu",
        "Services by office department",
    ),
    (
        "national_services",
        "Usługi krajowe, do których kierujemy",
        "National services we point to",
    ),
    (
        "national_mark",
        "usługa krajowa — prowadzi do serwisu zewnętrznego",
        "national service — leads to an outside website",
    ),
    ("results", "Wyniki wyszukiwania", "Search results"),
    (
        "no_results",
        "Nie znaleziono usługi. Spróbuj innych słów.",
        "No service found. Try other words.",
    ),
    ("go_national", "Przejdź do usługi", "Go to the service"),
    (
        "national_note",
        "Tej sprawy nie załatwia się w okienku gminy: prowadzi ją serwis krajowy.",
        "This matter is not filed with the gmina's okienko: a national service runs it.",
    ),
    ("no_fee", "Bez opłat", "Free of charge"),
    ("or_term", "albo", "or"),
    ("fee_due", "Opłata do zapłaty", "Fee to pay"),
    (
        "fee_exempt",
        "zwolnione z opłaty dla podanych danych",
        "exempt for the data given",
    ),
    ("fee_stamp_duty", "opłata skarbowa", "stamp duty"),
    (
        "fee_administrative",
        "opłata administracyjna",
        "administrative fee",
    ),
    ("fee_other", "opłata", "charge"),
    (
        "fee_exemptions",
        "Kto nie płaci opłaty skarbowej",
        "Who pays no stamp duty",
    ),
    (
        "login_needed",
        "Wymagane logowanie na poziomie",
        "Login required at level",
    ),
    ("continue", "Dalej", "Continue"),
    ("back", "Wstecz", "Back"),
    ("add_row", "Dodaj pozycję", "Add a row"),
    ("remove_row", "Usuń", "Remove"),
    ("row", "Pozycja", "Row"),
    ("errors_title", "Popraw błędy", "There is a problem"),
    ("warnings_title", "Uwaga", "Important"),
    (
        "check_answers",
        "Sprawdź odpowiedzi przed złożeniem",
        "Check your answers before submitting",
    ),
    ("change", "Zmień", "Change"),
    ("submit", "Złóż wniosek", "Submit"),
    ("attach", "Załącz pliki", "Attach files"),
    (
        "files_later",
        "Pliki załączysz na ostatniej stronie, przed złożeniem.",
        "You will attach files on the last page, before submitting.",
    ),
    ("yes", "Tak", "Yes"),
    ("no", "Nie", "No"),
    ("step", "Krok", "Step"),
    ("of", "z", "of"),
    ("submitted", "Wniosek złożony", "Submission complete"),
    ("receipt_number", "Numer potwierdzenia", "Receipt number"),
    (
        "download_pdf",
        "Pobierz potwierdzenie (PDF)",
        "Download the receipt (PDF)",
    ),
    (
        "receipt_json",
        "Potwierdzenie podpisane elektronicznie (JSON)",
        "Signed receipt (JSON)",
    ),
    ("filed_at", "Data złożenia", "Filed at"),
    ("not_found", "Nie znaleziono strony", "Page not found"),
    ("error_page", "Coś poszło nie tak", "Something went wrong"),
    ("home", "Wszystkie usługi", "All services"),
    (
        "computed",
        "wyliczone automatycznie",
        "calculated automatically",
    ),
    ("optional", "(nieobowiązkowe)", "(optional)"),
    ("log_in", "Zaloguj się", "Log in"),
    ("log_out", "Wyloguj", "Log out"),
    ("staff_login", "Logowanie pracowników urzędu", "Staff login"),
    ("logged_in_as", "Zalogowano", "Logged in"),
    (
        "session_warning",
        "Za chwilę wylogujemy Cię z powodu braku aktywności.",
        "You will be logged out soon because you have been inactive.",
    ),
    ("session_extend", "Pozostań zalogowany", "Stay logged in"),
    (
        "session_ended",
        "Sesja wygasła. Zaloguj się ponownie; zapisane dane nie przepadły.",
        "Your session has ended. Log in again; saved data is safe.",
    ),
];

/// UI strings in the page's language, plus which language to offer instead.
pub fn ui(lang: Lang) -> Value {
    let pl = lang == Lang::Pl;
    let mut m = serde_json::Map::new();
    m.insert("lang".into(), json!(lang.code()));
    m.insert("other_lang".into(), json!(if pl { "en" } else { "pl" }));
    for (key, p, e) in STRINGS {
        m.insert((*key).into(), json!(if pl { p } else { e }));
    }
    Value::Object(m)
}

pub fn render(app: &AppState, status: StatusCode, template: &str, ctx: &Value) -> Response {
    let mut context = match tera::Context::from_serialize(ctx) {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
    context.insert("viewer", &crate::web::session::viewer());
    match app.templates.render(template, &context) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => internal(e),
    }
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "rendering a page failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html("<!doctype html><title>okienko</title><p>Błąd serwera / Server error</p>"),
    )
        .into_response()
}

/// A simple message page (not found, login needed, ...).
pub fn message_page(
    app: &AppState,
    lang: Lang,
    status: StatusCode,
    title: &str,
    text: &str,
) -> Response {
    render(
        app,
        status,
        "message.html",
        &json!({ "ui": ui(lang), "title": title, "text": text }),
    )
}

pub async fn not_found(
    app: axum::extract::State<AppState>,
    crate::web::extract::Language(lang): crate::web::extract::Language,
    uri: axum::http::Uri,
) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::AppError::NotFound("resource").into_response();
    }
    let u = ui(lang);
    let title = u["not_found"].as_str().unwrap_or("").to_owned();
    message_page(&app, lang, StatusCode::NOT_FOUND, &title, "")
}

/// Errors on page routes become pages: the one `AppError` answers JSON, and this turns an
/// error response into the message page with the same status, in the visitor's language.
pub async fn html_errors(
    app: axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = req.into_parts();
    let lang = crate::web::extract::lang_of(&parts);
    let res = next
        .run(axum::extract::Request::from_parts(parts, body))
        .await;
    let Some(info) = res.extensions().get::<crate::error::ErrorInfo>().cloned() else {
        return res;
    };
    let status = res.status();
    let u = ui(lang);
    let title = if status == StatusCode::NOT_FOUND {
        u["not_found"].as_str().unwrap_or("")
    } else {
        u["error_page"].as_str().unwrap_or("")
    };
    let mut page = message_page(&app, lang, status, title, &info.message);
    for (name, value) in res.headers() {
        if name == axum::http::header::RETRY_AFTER || name == axum::http::header::SET_COOKIE {
            page.headers_mut().append(name, value.clone());
        }
    }
    page
}
