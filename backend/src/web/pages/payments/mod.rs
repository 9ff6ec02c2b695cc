//! Payments' pages (issue 21, docs/payments.md): the resident's debts with their transfer
//! data, paying online and the return from the provider (`mine.rs`); the clerks' queue of
//! unmatched payments, the manual match, the day's report and a statement's upload
//! (`office.rs`). `view` is a debt as both read it.

pub mod mine;
pub mod office;

use base64::Engine;
use serde_json::{Value, json};

use crate::db::payments::{self as db, Debt};
use crate::domain::payment::{Grosze, Nrb, PaymentCode, qr};
use crate::state::AppState;

/// `1 700` grosze as `17,00 zł`.
pub fn zl(grosze: i64) -> String {
    Grosze::new(grosze.max(0)).map_or_else(|_| grosze.to_string(), |g| g.to_string())
}

/// A debt's state in Polish.
pub fn state_label(status: &str) -> &'static str {
    match status {
        db::OPEN => "do zapłaty",
        db::PARTIAL => "zapłacona częściowo",
        db::PAID => "zapłacona",
        db::OVERPAID => "zapłacona z nadpłatą",
        _ => "nieznany",
    }
}

/// What is still owed on a debt.
pub fn owed(d: &Debt) -> i64 {
    (d.amount - d.paid).max(0)
}

/// A debt with its transfer data: the account (the debt's virtual one where configured),
/// the title, and the banks' 2D code (Rekomendacja ZBP „Standard 2D”) as a QR image while
/// anything is owed.
pub fn view(app: &AppState, d: &Debt) -> Value {
    let account = Nrb::parse(&d.account).ok();
    let left = owed(d);
    let code = account
        .clone()
        .zip(Grosze::new(left).ok().filter(|g| g.get() > 0))
        .map(|(nrb, amount)| {
            let nip = (app.settings.payments.nip.as_deref())
                .and_then(|n| crate::domain::nip::Nip::parse(n).ok());
            let code = PaymentCode::new(
                nip.as_ref(),
                nrb,
                amount,
                &app.settings.payments.recipient,
                &d.title,
            );
            let svg = qr::svg(&code, 180);
            format!(
                "data:image/svg+xml;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(svg)
            )
        });
    json!({
        "id": d.id,
        "number": d.number,
        "title": d.title,
        "amount": zl(d.amount),
        "paid": zl(d.paid),
        "owed": zl(left),
        "owed_grosze": left,
        "due": d.due,
        "status": d.status,
        "state": state_label(&d.status),
        "account": account.map_or_else(|| d.account.clone(), |a| a.to_string()),
        "recipient": app.settings.payments.recipient,
        "qr": code,
        "payable": left > 0,
        // paid beyond what was owed: the resident may ask for it to be set against future
        // tax or returned (Ordynacja podatkowa art. 76 and 77), the catalogue's services
        "overpaid": (d.paid > d.amount).then(|| zl(d.paid - d.amount)),
    })
}
