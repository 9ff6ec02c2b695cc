//! Server-rendered pages (tera), working without JavaScript. Polish by default, English
//! with `?lang=en` (remembered in a cookie).

pub mod assets;
pub mod catalogue;
pub mod form_data;
pub mod start;
pub mod step;
pub mod submit;

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{Value, json};

use crate::domain::lang::Lang;
use crate::state::AppState;

static TEMPLATES: include_dir::Dir<'static> =
    include_dir::include_dir!("$CARGO_MANIFEST_DIR/templates");

pub fn templates() -> anyhow::Result<tera::Tera> {
    let mut t = tera::Tera::new();
    let files: Vec<(String, String)> = TEMPLATES
        .files()
        .map(|f| {
            (
                f.path().display().to_string(),
                String::from_utf8_lossy(f.contents()).into_owned(),
            )
        })
        .collect();
    t.add_raw_templates(files)
        .map_err(|e| anyhow::anyhow!("templates: {e}"))?;
    Ok(t)
}

/// UI strings in both languages.
pub fn ui(lang: Lang) -> Value {
    let pl = lang == Lang::Pl;
    let s = |p: &str, e: &str| Value::from(if pl { p } else { e });
    json!({
        "lang": lang.code(),
        "other_lang": if pl { "en" } else { "pl" },
        "other_lang_name": s("English", "Polski"),
        "portal": s("Okienko — e-usługi gminy", "Okienko — municipal e-services"),
        "search": s("Szukaj usługi", "Search services"),
        "search_button": s("Szukaj", "Search"),
        "start": s("Rozpocznij", "Start now"),
        "legal_basis": s("Podstawa prawna", "Legal basis"),
        "you_need": s("Przygotuj", "What you need"),
        "takes": s("Zajmie to około", "It takes about"),
        "minutes": s("minut", "minutes"),
        "term": s("Termin załatwienia", "Processing term"),
        "login_needed": s("Wymagane logowanie na poziomie", "Login required at level"),
        "continue": s("Dalej", "Continue"),
        "back": s("Wstecz", "Back"),
        "add_row": s("Dodaj pozycję", "Add a row"),
        "remove_row": s("Usuń", "Remove"),
        "row": s("Pozycja", "Row"),
        "errors_title": s("Popraw błędy", "There is a problem"),
        "warnings_title": s("Uwaga", "Important"),
        "check_answers": s("Sprawdź odpowiedzi przed złożeniem", "Check your answers before submitting"),
        "change": s("Zmień", "Change"),
        "submit": s("Złóż wniosek", "Submit"),
        "attach": s("Załącz pliki", "Attach files"),
        "files_later": s("Pliki załączysz na ostatniej stronie, przed złożeniem.", "You will attach files on the last page, before submitting."),
        "yes": s("Tak", "Yes"),
        "no": s("Nie", "No"),
        "step": s("Krok", "Step"),
        "of": s("z", "of"),
        "submitted": s("Wniosek złożony", "Submission complete"),
        "receipt_number": s("Numer potwierdzenia", "Receipt number"),
        "download_pdf": s("Pobierz potwierdzenie (PDF)", "Download the receipt (PDF)"),
        "receipt_json": s("Potwierdzenie podpisane elektronicznie (JSON)", "Signed receipt (JSON)"),
        "filed_at": s("Data złożenia", "Filed at"),
        "not_found": s("Nie znaleziono strony", "Page not found"),
        "error_page": s("Coś poszło nie tak", "Something went wrong"),
        "home": s("Wszystkie usługi", "All services"),
        "computed": s("wyliczone automatycznie", "calculated automatically"),
        "optional": s("(nieobowiązkowe)", "(optional)"),
    })
}

pub fn render(app: &AppState, status: StatusCode, template: &str, ctx: &Value) -> Response {
    let context = match tera::Context::from_serialize(ctx) {
        Ok(c) => c,
        Err(e) => return internal(e),
    };
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
