//! The clerks' payments pages: the queue of payments no rule matched (keyset pages, each
//! with suggestions: open debts of its amount, debts its title names), the manual match
//! (recorded with the clerk who made it), the day's reconciliation report per account as
//! HTML and CSV, and a bank statement uploaded from the browser (as `okienko payments
//! import` does). Clerks of any unit and administrators may (`Access::Office`): the
//! role model has no finance role narrower than that (docs/payments.md).

use axum::extract::{Multipart, Path, Query, RawForm, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sea_orm::TransactionTrait;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{view, zl};
use crate::db::payments::{self as db, NewMatch, Payment};
use crate::domain::identity::{Identity, Role};
use crate::error::{AppError, AppResult};
use crate::payments::import::{self, ImportError};
use crate::payments::matching;
use crate::state::AppState;
use crate::web::extract::Requester;
use crate::web::pages::{render, ui};

/// Payments on a page of the queue.
const PAGE: u64 = 50;
/// The largest statement the browser may send (a day of a large gmina's virtual accounts
/// is a few MB; 100,000 MT940 entries about 30 MB).
pub const MAX_STATEMENT_MB: u32 = 50;

/// Refuses (401/403) anyone but a clerk or an administrator.
pub fn office(who: &Requester) -> AppResult<&Identity> {
    let id = who.identity.as_ref().ok_or(AppError::Unauthenticated)?;
    if id.has_role(Role::Clerk) || id.has_role(Role::Admin) {
        Ok(id)
    } else {
        Err(AppError::Forbidden(
            "wpłaty uzgadniają tylko urzędnicy i administratorzy".into(),
        ))
    }
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    /// The last payment of the previous page: `<booked>~<id>`.
    pub po: Option<String>,
}

fn payment_json(p: &Payment) -> Value {
    json!({ "id": p.id, "channel": p.channel, "amount": zl(p.amount), "booked": p.booked,
        "account": p.account, "payer_name": p.payer_name, "payer_account": p.payer_account,
        "title": p.title })
}

pub async fn queue(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<QueueQuery>,
) -> AppResult<Response> {
    queue_page(&app, &who, q.po.as_deref(), None).await
}

async fn queue_page(
    app: &AppState,
    who: &Requester,
    after: Option<&str>,
    error: Option<(StatusCode, String)>,
) -> AppResult<Response> {
    office(who)?;
    let after = after.and_then(|a| a.split_once('~'));
    let page = db::unmatched(&app.db, after, PAGE).await?;
    // suggestions, set-based: open debts of the page's amounts and the debts the titles name
    let amounts: Vec<i64> = page.iter().map(|p| p.amount).collect();
    let by_amount = db::open_debts_by_amounts(&app.db, &amounts).await?;
    let numbers: Vec<i64> = page
        .iter()
        .flat_map(|p| matching::references(&p.title).collect::<Vec<_>>())
        .collect();
    let by_number = db::debts_by_numbers(&app.db, &numbers).await?;
    let items: Vec<Value> = page
        .iter()
        .map(|p| {
            let named: Vec<i64> = matching::references(&p.title).collect();
            let mut suggestions: Vec<Value> = by_number
                .iter()
                .filter(|d| named.contains(&d.number))
                .chain(by_amount.iter().filter(|d| d.amount - d.paid == p.amount))
                .take(3)
                .map(|d| view(app, d))
                .collect();
            suggestions.dedup_by(|a, b| a["id"] == b["id"]);
            let mut v = payment_json(p);
            v["suggestions"] = Value::Array(suggestions);
            v
        })
        .collect();
    let next = (page.len() as u64 == PAGE)
        .then(|| page.last())
        .flatten()
        .map(|p| format!("/urzad/platnosci?po={}~{}", p.booked, p.id));
    let (status, error) = error.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
    Ok(render(
        app,
        status,
        "payments_queue.html",
        &json!({ "ui": ui(who.lang), "title": "Wpłaty do uzgodnienia", "items": items,
            "next": next, "error": error }),
    ))
}

/// `POST /urzad/platnosci/{payment}/dopasuj` with `numer` (the debt's number, `NAL-` or
/// not): the whole payment settles that debt (what exceeds it stays as an overpayment),
/// recorded as the clerk's manual match. A payment no longer waiting is a 409.
pub async fn assign(
    app: State<AppState>,
    who: Requester,
    Path(payment): Path<String>,
    RawForm(form): RawForm,
) -> AppResult<Response> {
    let clerk = office(&who)?;
    if payment.len() > 64 {
        return Err(AppError::NotFound("payment"));
    }
    let p = db::payment(&app.db, &payment)
        .await?
        .ok_or(AppError::NotFound("payment"))?;
    let raw = url::form_urlencoded::parse(&form)
        .find(|(k, _)| k == "numer")
        .map(|(_, v)| v.trim().to_owned())
        .unwrap_or_default();
    let digits = raw
        .strip_prefix("NAL-")
        .or_else(|| raw.strip_prefix("nal-"))
        .unwrap_or(&raw);
    let number = digits.parse::<i64>().ok().filter(|n| *n > 0);
    let debt = match number {
        Some(n) => db::debts_by_numbers(&app.db, &[n]).await?.pop(),
        None => None,
    };
    let Some(debt) = debt else {
        let why = format!(
            "numer: nie ma należności o numerze „{raw}” (wpisz numer NAL-… z tytułu należności)"
        );
        return queue_page(
            &app,
            &who,
            None,
            Some((StatusCode::UNPROCESSABLE_ENTITY, why)),
        )
        .await;
    };
    let txn = app.db.begin().await?;
    if !db::mark_matched(&txn, &p.id).await? {
        return Err(AppError::Conflict(
            "ta wpłata nie czeka już w kolejce: ktoś ją uzgodnił".into(),
        ));
    }
    db::insert_matches(
        &txn,
        &[NewMatch {
            payment_id: p.id.clone(),
            debt_id: debt.id.clone(),
            amount: p.amount,
            rule: "manual",
            matched_by: format!("{}:{}", clerk.provider, clerk.subject),
        }],
    )
    .await?;
    txn.commit().await?;
    tracing::info!(payment.id = %p.id, payment.debt = %debt.id, "payment matched by a clerk");
    Ok(Redirect::to("/urzad/platnosci").into_response())
}

#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    pub dzien: Option<String>,
}

/// A day's figures of one account.
#[derive(Debug, Default, Clone, serde::Serialize)]
struct AccountDay {
    account: String,
    online: (i64, i64),
    transfer: (i64, i64),
    matched: (i64, i64),
    unmatched: (i64, i64),
}

async fn report_of(app: &AppState, q: &ReportQuery) -> AppResult<(String, Vec<AccountDay>)> {
    let today = crate::domain::clock::in_poland(time::OffsetDateTime::now_utc()).date();
    let day = match q.dzien.as_deref().filter(|d| !d.is_empty()) {
        None => today,
        Some(d) => crate::forms::expr::parse_date(d)
            .ok_or_else(|| AppError::bad_request("dzien", "dzień: podaj datę RRRR-MM-DD"))?,
    };
    let day = day.to_string();
    let mut out: Vec<AccountDay> = Vec::new();
    for r in db::day_report(&app.db, &day).await? {
        if out.last().is_none_or(|a| a.account != r.account) {
            out.push(AccountDay {
                account: r.account.clone(),
                ..AccountDay::default()
            });
        }
        let Some(a) = out.last_mut() else { continue };
        let add = |t: &mut (i64, i64)| {
            t.0 += r.count;
            t.1 += r.amount;
        };
        match r.channel.as_str() {
            db::CHANNEL_ONLINE => add(&mut a.online),
            _ => add(&mut a.transfer),
        }
        match r.status.as_str() {
            db::MATCHED => add(&mut a.matched),
            _ => add(&mut a.unmatched),
        }
    }
    Ok((day, out))
}

/// `GET /urzad/platnosci/raport?dzien=RRRR-MM-DD` (today by default).
pub async fn report(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    office(&who)?;
    let (day, rows) = report_of(&app, &q).await?;
    let pair = |t: (i64, i64)| json!({ "count": t.0, "amount": zl(t.1) });
    let rows: Vec<Value> = rows
        .iter()
        .map(|a| {
            let account = crate::domain::payment::Nrb::parse(&a.account)
                .map_or_else(|_| a.account.clone(), |n| n.to_string());
            json!({ "account": account, "online": pair(a.online), "transfer": pair(a.transfer),
                "matched": pair(a.matched), "unmatched": pair(a.unmatched) })
        })
        .collect();
    Ok(render(
        &app,
        StatusCode::OK,
        "payments_report.html",
        &json!({ "ui": ui(who.lang), "title": format!("Uzgodnienie wpłat {day}"), "day": day, "rows": rows }),
    ))
}

/// `GET /urzad/platnosci/raport.csv?dzien=`: the same, one line per account, amounts in
/// złoty with a dot (`17.00`), `;`-separated with a header line.
pub async fn report_csv(
    app: State<AppState>,
    who: Requester,
    Query(q): Query<ReportQuery>,
) -> AppResult<Response> {
    office(&who)?;
    let (day, rows) = report_of(&app, &q).await?;
    let dec = |g: i64| {
        crate::domain::payment::Grosze::new(g.max(0))
            .map_or_else(|_| g.to_string(), |g| g.to_decimal_string())
    };
    let mut csv = String::from(
        "day;account;online_count;online_amount;transfer_count;transfer_amount;matched_count;matched_amount;unmatched_count;unmatched_amount\n",
    );
    for a in &rows {
        csv.push_str(&format!(
            "{day};{};{};{};{};{};{};{};{};{}\n",
            a.account,
            a.online.0,
            dec(a.online.1),
            a.transfer.0,
            dec(a.transfer.1),
            a.matched.0,
            dec(a.matched.1),
            a.unmatched.0,
            dec(a.unmatched.1)
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"wplaty-{day}.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

/// `GET /urzad/platnosci/wyciag`: the upload form.
pub async fn statement_form(app: State<AppState>, who: Requester) -> AppResult<Response> {
    office(&who)?;
    Ok(statement_page(&app, &who, StatusCode::OK, None, None))
}

fn statement_page(
    app: &AppState,
    who: &Requester,
    status: StatusCode,
    error: Option<String>,
    report: Option<Value>,
) -> Response {
    render(
        app,
        status,
        "payments_statement.html",
        &json!({ "ui": ui(who.lang), "title": "Wyciąg bankowy", "error": error, "report": report,
            "max_mb": MAX_STATEMENT_MB }),
    )
}

/// `POST /urzad/platnosci/wyciag` (multipart, field `plik`, at most `MAX_STATEMENT_MB`):
/// imported as the clerk, the same file twice refused.
pub async fn statement_upload(
    app: State<AppState>,
    who: Requester,
    mut mp: Multipart,
) -> AppResult<Response> {
    let clerk = office(&who)?;
    let mut file = None;
    while let Some(part) = mp.next_field().await? {
        if part.name() == Some("plik") {
            let name = part.file_name().unwrap_or("").to_owned();
            file = Some(crate::web::upload::read_part("plik", MAX_STATEMENT_MB, name, part).await?);
        }
    }
    let Some(file) = file.filter(|f| !f.bytes.is_empty()) else {
        return Ok(statement_page(
            &app,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some("plik: wybierz plik wyciągu (MT940 albo camt.053)".into()),
            None,
        ));
    };
    let by = format!("{}:{}", clerk.provider, clerk.subject);
    match import::import(&app.db, &file.bytes, &by).await {
        Ok(r) => {
            tracing::info!(payment.statement = %r.statement_id, entries = r.entries, unmatched = r.unmatched, "statement imported from the browser");
            let report = json!({ "format": r.format, "entries": r.entries, "debits": r.debits,
                "known": r.known, "by_virtual_account": r.by_virtual_account, "by_title": r.by_title,
                "by_amount_payer": r.by_amount_payer, "unmatched": r.unmatched });
            Ok(statement_page(
                &app,
                &who,
                StatusCode::OK,
                None,
                Some(report),
            ))
        }
        Err(ImportError::Db(e)) => Err(e.into()),
        Err(ImportError::AlreadyImported(_)) => Ok(statement_page(
            &app,
            &who,
            StatusCode::CONFLICT,
            Some("plik: ten wyciąg został już zaimportowany (ten sam plik)".into()),
            None,
        )),
        Err(ImportError::Statement(e)) => Ok(statement_page(
            &app,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(format!("plik: nie odczytano wyciągu: {e}")),
            None,
        )),
    }
}
