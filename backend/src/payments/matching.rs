//! Matching incoming payments to debts, in memory over hash maps built from a few
//! set-based reads (`import.rs`): never a query per line. The rules, in order:
//!
//! 1. the credited virtual account: the account's open debts, oldest due first;
//! 2. the debts' references in the title (`NAL-<number>`), in the order written;
//! 3. amount and payer: a payer's account that paid an owner's debt before, and exactly
//!    one open debt of that owner whose remainder is this amount.
//!
//! Partial payments and overpayments are recorded as they are: a payment fills the
//! debts it matched in order, and what is left over stays on the last one (overpaid,
//! offered for set-off).

use std::collections::HashMap;

use crate::db::payments::Debt;

/// The rule that matched a payment, as stored in `payment_match.rule`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    VirtualAccount,
    Title,
    AmountPayer,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::VirtualAccount => "virtual_account",
            Self::Title => "title",
            Self::AmountPayer => "amount_payer",
        }
    }
}

/// A payment to match.
#[derive(Debug, Clone)]
pub struct Incoming<'a> {
    pub amount: i64,
    /// The credited account's 26 digits, when the bank names it.
    pub credited: Option<&'a str>,
    pub title: &'a str,
    pub payer_account: Option<&'a str>,
}

/// The debts a matching pass may settle, and what it settled so far.
#[derive(Debug, Default)]
pub struct Book {
    remaining: HashMap<String, i64>,
    by_account: HashMap<String, Vec<String>>,
    by_number: HashMap<i64, String>,
    /// Open debts by owner, oldest first.
    by_owner: HashMap<String, Vec<String>>,
    /// Owners whose debts a payer's account paid before.
    payer_owners: HashMap<String, Vec<String>>,
}

impl Book {
    /// Adds debts read for the first two rules (each once, whatever query found it).
    pub fn add(&mut self, debts: Vec<Debt>) {
        for d in debts {
            if self.remaining.contains_key(&d.id) {
                continue;
            }
            self.remaining.insert(d.id.clone(), d.amount - d.paid);
            self.by_account
                .entry(d.account.clone())
                .or_default()
                .push(d.id.clone());
            self.by_number.insert(d.number, d.id.clone());
        }
    }

    /// Adds what the third rule needs: owners by payer account, and their open debts.
    pub fn add_payers(&mut self, owners: Vec<(String, String, String)>, debts: Vec<Debt>) {
        for (payer, _kind, owner) in owners {
            self.payer_owners.entry(payer).or_default().push(owner);
        }
        for d in debts {
            self.by_owner
                .entry(d.owner.clone())
                .or_default()
                .push(d.id.clone());
            self.remaining.entry(d.id).or_insert(d.amount - d.paid);
        }
    }

    /// Matches one payment, changing what the debts still owe; `None` leaves it for a
    /// clerk.
    pub fn settle(&mut self, p: &Incoming<'_>) -> Option<(Rule, Vec<(String, i64)>)> {
        if let Some(ids) = p.credited.and_then(|a| self.by_account.get(a)).cloned() {
            return Some((Rule::VirtualAccount, self.fill(&ids, p.amount)));
        }
        let ids: Vec<String> = references(p.title)
            .filter_map(|n| self.by_number.get(&n).cloned())
            .fold(Vec::new(), |mut v, id| {
                if !v.contains(&id) {
                    v.push(id);
                }
                v
            });
        if !ids.is_empty() {
            return Some((Rule::Title, self.fill(&ids, p.amount)));
        }
        let owners = p.payer_account.and_then(|a| self.payer_owners.get(a))?;
        let mut candidates = owners
            .iter()
            .filter_map(|o| self.by_owner.get(o))
            .flatten()
            .filter(|id| self.remaining.get(*id) == Some(&p.amount));
        let only = candidates.next()?.clone();
        if candidates.next().is_some() {
            return None;
        }
        Some((Rule::AmountPayer, self.fill(&[only], p.amount)))
    }

    /// Fills `ids` in order with `amount`; what is left over goes to the last.
    fn fill(&mut self, ids: &[String], amount: i64) -> Vec<(String, i64)> {
        let mut left = amount;
        let mut out: Vec<(String, i64)> = Vec::new();
        for id in ids {
            let owed = self.remaining.get(id).copied().unwrap_or(0).max(0);
            let part = owed.min(left);
            if part > 0 {
                out.push((id.clone(), part));
                left -= part;
            }
            if left == 0 {
                break;
            }
        }
        if left > 0 {
            let last = ids.last().cloned().unwrap_or_default();
            match out.last_mut() {
                Some((id, part)) if *id == last => *part += left,
                _ => out.push((last, left)),
            }
        }
        for (id, part) in &out {
            if let Some(r) = self.remaining.get_mut(id) {
                *r -= part;
            }
        }
        out
    }
}

/// Debt numbers referenced in a title: `NAL-123456`, `NAL 123456`, `nal123456`.
pub fn references(title: &str) -> impl Iterator<Item = i64> + '_ {
    let upper = title.as_bytes();
    (0..upper.len()).filter_map(move |i| {
        let word = upper.get(i..i + 3)?;
        if !word.eq_ignore_ascii_case(b"NAL") || (i > 0 && upper[i - 1].is_ascii_alphanumeric()) {
            return None;
        }
        let mut j = i + 3;
        if matches!(upper.get(j), Some(b'-' | b' ' | b'/' | b'.')) {
            j += 1;
        }
        let digits = upper[j..].iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=15).contains(&digits)
            || upper.get(j + digits).is_some_and(u8::is_ascii_alphanumeric)
        {
            return None;
        }
        std::str::from_utf8(&upper[j..j + digits])
            .ok()?
            .parse()
            .ok()
    })
}

/// The reference a title carries for debt `number`.
pub fn reference(number: i64) -> String {
    format!("NAL-{number}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn debt(id: &str, number: i64, account: &str, owner: &str, amount: i64, paid: i64) -> Debt {
        Debt {
            id: id.into(),
            number,
            owner_kind: "taxpayer".into(),
            owner: owner.into(),
            source_kind: "ledger".into(),
            source_ref: format!("L{number}"),
            amount,
            paid,
            title: String::new(),
            account: account.into(),
            due: "2026-12-15".into(),
            status: "open".into(),
        }
    }

    fn incoming<'a>(amount: i64, credited: Option<&'a str>, title: &'a str) -> Incoming<'a> {
        Incoming {
            amount,
            credited,
            title,
            payer_account: None,
        }
    }

    #[test]
    fn references_in_titles() {
        let found: Vec<i64> =
            references("Opłata NAL-123456, nal 77 i NAL/9; BANAL-5 NAL-12x NAL-").collect();
        assert_eq!(found, vec![123_456, 77, 9]);
        assert_eq!(reference(42), "NAL-42");
        assert_eq!(references(&reference(42)).collect::<Vec<_>>(), vec![42]);
    }

    #[test]
    fn virtual_account_fills_the_oldest_instalment_first_and_keeps_the_overpayment() {
        let mut book = Book::default();
        book.add(vec![
            debt("a", 1, "VA1", "T1", 10_000, 0),
            debt("b", 2, "VA1", "T1", 10_000, 0),
        ]);
        // partial: 150 zł pays the first instalment and half the second
        let (rule, parts) = book.settle(&incoming(15_000, Some("VA1"), "")).unwrap();
        assert_eq!(rule, Rule::VirtualAccount);
        assert_eq!(parts, vec![("a".into(), 10_000), ("b".into(), 5_000)]);
        // overpayment: 80 zł more, 50 zł owed, 30 zł stays on the last debt
        let (_, parts) = book.settle(&incoming(8_000, Some("VA1"), "")).unwrap();
        assert_eq!(parts, vec![("b".into(), 8_000)]);
        assert_eq!(book.remaining["b"], -3_000);
    }

    #[test]
    fn title_then_amount_and_payer_then_the_clerk() {
        let mut book = Book::default();
        book.add(vec![debt("a", 42, "VA9", "T1", 1_700, 0)]);
        let (rule, parts) = book
            .settle(&incoming(1_700, None, "opłata skarbowa NAL-42"))
            .unwrap();
        assert_eq!((rule, parts), (Rule::Title, vec![("a".into(), 1_700)]));
        // the same title again: the debt is paid, the payment is an overpayment on it
        let (_, parts) = book.settle(&incoming(1_700, None, "NAL-42")).unwrap();
        assert_eq!(parts, vec![("a".into(), 1_700)]);

        book.add_payers(
            vec![("PAYER".into(), "taxpayer".into(), "T2".into())],
            vec![
                debt("c", 7, "VA7", "T2", 5_000, 0),
                debt("d", 8, "VA8", "T2", 6_000, 0),
            ],
        );
        let mut p = incoming(6_000, None, "podatek");
        p.payer_account = Some("PAYER");
        assert_eq!(
            book.settle(&p),
            Some((Rule::AmountPayer, vec![("d".into(), 6_000)]))
        );
        // no open debt of that amount left: the clerk decides
        assert_eq!(book.settle(&p), None);
        assert_eq!(book.settle(&incoming(100, None, "darowizna")), None);
    }
}
