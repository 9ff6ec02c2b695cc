//! The yearly information on petitions (u.p.p. art. 14) as files for publication:
//! `GET /api/petitions/reports/{year}/report.csv` and `/report.pdf` (PDF/UA-1), besides its
//! page and JSON. The figures and rows are those of `participation::petitions::year_report`.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, AppResult};
use crate::participation::petitions::YearReport;
use crate::state::AppState;

fn year_of(year: i32) -> AppResult<i32> {
    if (2000..=2100).contains(&year) {
        Ok(year)
    } else {
        Err(AppError::bad_request("year", "`year` to rok, np. 2026."))
    }
}

#[utoipa::path(get, path = "/api/petitions/reports/{year}/report.csv", tag = "petitions",
    params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "text/csv (`;`, UTF-8 with a byte-order mark, formulas defused): each petition of the year, then the totals"),
        (status = 400, description = "not a year")))]
pub async fn csv(app: State<AppState>, Path(year): Path<i32>) -> AppResult<Response> {
    let r = super::petitions::report(&app, year_of(year)?).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"petycje-{year}.csv\""),
            ),
        ],
        report_csv(&r),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/petitions/reports/{year}/report.pdf", tag = "petitions",
    params(("year" = i32, Path, minimum = 2000, maximum = 2100)),
    responses((status = 200, description = "application/pdf, PDF/UA-1"), (status = 400, description = "not a year")))]
pub async fn pdf(app: State<AppState>, Path(year): Path<i32>) -> AppResult<Response> {
    let r = super::petitions::report(&app, year_of(year)?).await?;
    let bytes = report_pdf(&app.settings.authority.name, &r)?;
    Ok(super::cases::pdf_response(
        &format!("petycje-{year}.pdf"),
        bytes.into(),
    ))
}

/// The report as CSV: one row a petition (sign, filing date, addressee, subject, how it
/// was dealt with, the date expected or of the answer), for Polish spreadsheets.
pub fn report_csv(r: &YearReport) -> String {
    let field = super::cases::csv_field;
    let mut out =
        String::from("Znak;Data złożenia;Adresat;Przedmiot petycji;Sposób załatwienia;Termin\r\n");
    for p in &r.petitions {
        let row = [
            p.sign.as_str(),
            p.filed_on.as_str(),
            p.addressee.as_str(),
            p.subject.as_str(),
            p.state_label,
            p.expected_on.as_str(),
        ];
        out.push_str(&row.iter().map(|f| field(f)).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    format!("\u{feff}{out}")
}

/// The report as a PDF/UA-1 document, with the PDF code of letters and receipts.
pub fn report_pdf(authority: &str, r: &YearReport) -> AppResult<Vec<u8>> {
    use crate::receipt::pdf::{Line, document};
    let mut lines = vec![
        Line::Small(authority.to_owned()),
        Line::Title(format!(
            "Zbiorcza informacja o petycjach rozpatrzonych w {} r.",
            r.year
        )),
        Line::Text(format!(
            "Art. 14 ustawy z dnia 11 lipca 2014 r. o petycjach; publikacja do {}.",
            r.publish_by
        )),
        Line::Text(format!(
            "Złożone: {}. Rozpatrzone: {}. Pozostawione bez rozpatrzenia: {}. W trakcie rozpatrywania: {}.",
            r.filed, r.answered, r.left_unconsidered, r.in_progress
        )),
        Line::Gap,
    ];
    for p in &r.petitions {
        lines.push(Line::Heading(format!("{} — {}", p.sign, p.subject)));
        lines.push(Line::Text(format!(
            "Złożona {}; adresat: {}; {}.",
            p.filed_on, p.addressee, p.state_label
        )));
    }
    Ok(document(
        &format!("Petycje w {} r. — informacja zbiorcza", r.year),
        lines,
    )?)
}
