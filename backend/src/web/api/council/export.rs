//! The agenda as files anyone may download: `GET /api/council/sessions/{id}/agenda.csv`
//! and `/agenda.pdf`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::view;
use crate::error::AppResult;
use crate::participation::council::view::SessionView;
use crate::state::AppState;

#[utoipa::path(get, path = "/api/council/sessions/{id}/agenda.csv", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "text/csv (`;`, UTF-8 with a byte-order mark; formulas defused)"), (status = 404, description = "no such session")))]
pub async fn csv(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let v = view(&app, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"porzadek-obrad-{}.csv\"", v.id),
            ),
        ],
        agenda_csv(&v),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/council/sessions/{id}/agenda.pdf", tag = "council", params(("id" = String, Path)),
    responses((status = 200, description = "application/pdf"), (status = 404, description = "no such session")))]
pub async fn pdf(app: State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let v = view(&app, &id).await?;
    let bytes = agenda_pdf(&app.settings.council.name, &v)?;
    Ok(crate::web::api::cases::pdf_response(
        &format!("porzadek-obrad-{}.pdf", v.id),
        bytes.into(),
    ))
}

/// The agenda as CSV (`;`, for Polish spreadsheets), every field defused against formulas.
pub fn agenda_csv(v: &SessionView) -> String {
    let field = crate::web::api::cases::csv_field;
    let mut out = String::from("Lp.;Sprawa;Znak sprawy;Wymagana większość;Uchwała nr;Wynik\r\n");
    for i in &v.items {
        let outcome = i
            .votes
            .iter()
            .rev()
            .find_map(|x| x.result.clone())
            .unwrap_or_default();
        let row = [
            i.position.to_string(),
            i.title.clone(),
            i.case_sign.clone().unwrap_or_default(),
            i.majority_label.clone(),
            i.resolution_no.clone().unwrap_or_default(),
            outcome,
        ];
        out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    format!("\u{feff}{out}")
}

/// The agenda as PDF, with the PDF code of letters and receipts.
pub fn agenda_pdf(council: &str, v: &SessionView) -> AppResult<Vec<u8>> {
    use crate::receipt::pdf::{Line, document};
    let mut lines = vec![
        Line::Heading(council.to_owned()),
        Line::Title(format!("PORZĄDEK OBRAD: {}", v.title)),
        Line::Text(format!("{}, {}", v.starts_at_pl, v.place)),
        Line::Gap,
    ];
    for i in &v.items {
        lines.push(Line::Heading(format!("{}. {}", i.position, i.title)));
        let mut about = format!("Wymagana większość: {}", i.majority_label);
        if let Some(sign) = &i.case_sign {
            about.push_str(&format!("; sprawa {sign}"));
        }
        if let Some(basis) = &i.secret_basis {
            about.push_str(&format!("; głosowanie tajne ({basis})"));
        }
        lines.push(Line::Text(about));
        if let Some(no) = &i.resolution_no {
            lines.push(Line::Small(format!("Uchwała nr {no}")));
        }
    }
    Ok(document(&format!("Porządek obrad — {}", v.title), lines)?)
}
