//! Every evidence type of UA API 3.0.8 (`Evidence.type`) mapped to okienko's delivery
//! states and to what it means for the deadlines that run from delivery. Pure: no I/O.
//!
//! The codes and their meanings are DOMAIN.md §1 (COI "Projekt Techniczny UA-API 5.27",
//! Annex A); the delivery fiction is u.d.e. art. 42 ust. 2 (`domain::deemed`): an
//! uncollected letter from a public entity counts as delivered on the 15th day after the day
//! it arrived (D.1), and the E.1 then issued carries that day.

use time::OffsetDateTime;

/// Every value of `Evidence.type` in the specification, in its order: the dotted codes and
/// the undotted variants the API also uses.
pub const SPEC_CODES: [&str; 36] = [
    "A.1", "A.2", "B.1", "B.2", "B.3", "D.1", "D.2", "D.3", "E.1", "E.2", "BP.WX", "BP.WP",
    "BP.OX", "BP.OP", "H.DW", "H.PN", "H.EPO", "E1", "BPOX", "BPOP", "BPWX", "D", "D1", "B2", "C2",
    "A1", "A2", "B1", "B3", "D2", "D3", "E2", "BPWP", "HDW", "HPN", "HEPO",
];

/// An evidence code, whichever way the service spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// Submission accepted (dowód nadania).
    A1,
    /// Submission rejected.
    A2,
    /// Relay between RDE services accepted.
    B1,
    /// Relay rejected.
    B2,
    /// Relay failed (error).
    B3,
    /// `C2`: listed by the specification without a meaning. Every other `.2` is a rejection
    /// or failure of its stage, so okienko reads it as one [U].
    C2,
    /// `D` without a number: listed by the specification without a meaning; read as a
    /// notice about availability that starts no clock (D.1 does) [U].
    D,
    /// Ready for collection in the addressee's mailbox (dowód dostarczenia): the arrival
    /// the delivery fiction counts from.
    D1,
    /// Consignment failed (technical failure).
    D2,
    /// The notification that the message is ready was sent.
    D3,
    /// Handed over (dowód otrzymania): collected, or deemed delivered.
    E1,
    /// Handover failed.
    E2,
    /// Business confirmation of sending, XML.
    BpWx,
    /// Business confirmation of sending, PDF.
    BpWp,
    /// Business confirmation of receipt, XML.
    BpOx,
    /// Business confirmation of receipt, PDF.
    BpOp,
    /// Hybrid service: negative validation (not posted).
    HDw,
    /// Hybrid service: posted on paper.
    HPn,
    /// Hybrid service: electronic proof that the paper letter was received.
    HEpo,
}

impl Code {
    /// Reads a code as the API spells it (`A.1`, `A1`, `BP.WX`, `BPWX`, `H.EPO`, `HEPO`, …).
    pub fn parse(s: &str) -> Option<Self> {
        let flat: String = s
            .trim()
            .chars()
            .filter(|c| *c != '.')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        Some(match flat.as_str() {
            "A1" => Self::A1,
            "A2" => Self::A2,
            "B1" => Self::B1,
            "B2" => Self::B2,
            "B3" => Self::B3,
            "C2" => Self::C2,
            "D" => Self::D,
            "D1" => Self::D1,
            "D2" => Self::D2,
            "D3" => Self::D3,
            "E1" => Self::E1,
            "E2" => Self::E2,
            "BPWX" => Self::BpWx,
            "BPWP" => Self::BpWp,
            "BPOX" => Self::BpOx,
            "BPOP" => Self::BpOp,
            "HDW" => Self::HDw,
            "HPN" => Self::HPn,
            "HEPO" => Self::HEpo,
            _ => return None,
        })
    }

    /// The dotted spelling okienko stores and shows.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A1 => "A.1",
            Self::A2 => "A.2",
            Self::B1 => "B.1",
            Self::B2 => "B.2",
            Self::B3 => "B.3",
            Self::C2 => "C.2",
            Self::D => "D",
            Self::D1 => "D.1",
            Self::D2 => "D.2",
            Self::D3 => "D.3",
            Self::E1 => "E.1",
            Self::E2 => "E.2",
            Self::BpWx => "BP.WX",
            Self::BpWp => "BP.WP",
            Self::BpOx => "BP.OX",
            Self::BpOp => "BP.OP",
            Self::HDw => "H.DW",
            Self::HPn => "H.PN",
            Self::HEpo => "H.EPO",
        }
    }
}

/// Where a letter sent through the national service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeliveryState {
    /// Accepted for sending (or, on paper, posted).
    Submitted,
    /// Passed between the senders' and the addressee's services.
    Relayed,
    /// In the addressee's mailbox, waiting to be collected.
    ReadyForCollection,
    /// Collected (or received on paper).
    Delivered,
    /// Not collected: deemed delivered (u.d.e. art. 42 ust. 2).
    DeemedDelivered,
    /// Rejected or failed: not delivered, send it by other means.
    Failed,
}

impl DeliveryState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Relayed => "relayed",
            Self::ReadyForCollection => "ready_for_collection",
            Self::Delivered => "delivered",
            Self::DeemedDelivered => "deemed_delivered",
            Self::Failed => "failed",
        }
    }

    /// Delivered, deemed delivered or failed: no later evidence changes it.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Delivered | Self::DeemedDelivered | Self::Failed)
    }
}

/// What an evidence means for the terms that run from delivery (KPA art. 57 § 1: from the
/// day after).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// Nothing changes.
    Unchanged,
    /// The letter arrived: unless collected first, it is deemed delivered at this moment.
    DeemedDeliveryAt(OffsetDateTime),
    /// Delivered at this moment (collected, received on paper, or deemed): terms run from it.
    RunsFrom(OffsetDateTime),
    /// Not delivered: no term runs from this letter.
    DoesNotRun,
}

/// The state and the deadline consequence of one evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub state: DeliveryState,
    pub deadline: Deadline,
}

/// What evidence `code` of an event at `event_at` means. `ready_at` is the event time of the
/// letter's D.1 (its arrival), when known: a receipt evidence (E.1, BP.OX, BP.OP) at or after
/// the deemed moment of that arrival is the delivery fiction, dated at that moment.
pub fn classify(code: Code, event_at: OffsetDateTime, ready_at: Option<OffsetDateTime>) -> Outcome {
    use DeliveryState as S;
    let (state, deadline) = match code {
        Code::A1 | Code::BpWx | Code::BpWp | Code::HPn => (S::Submitted, Deadline::Unchanged),
        Code::B1 => (S::Relayed, Deadline::Unchanged),
        Code::D1 => (
            S::ReadyForCollection,
            Deadline::DeemedDeliveryAt(crate::domain::deemed::deemed_at(event_at)),
        ),
        Code::D | Code::D3 => (S::ReadyForCollection, Deadline::Unchanged),
        Code::E1 | Code::BpOx | Code::BpOp => match ready_at {
            Some(arrived) if event_at >= crate::domain::deemed::deemed_at(arrived) => {
                let deemed = crate::domain::deemed::deemed_at(arrived);
                (S::DeemedDelivered, Deadline::RunsFrom(deemed))
            }
            _ => (S::Delivered, Deadline::RunsFrom(event_at)),
        },
        Code::HEpo => (S::Delivered, Deadline::RunsFrom(event_at)),
        Code::A2 | Code::B2 | Code::B3 | Code::C2 | Code::D2 | Code::E2 | Code::HDw => {
            (S::Failed, Deadline::DoesNotRun)
        }
    };
    Outcome { state, deadline }
}

/// The outcome of a letter's evidences taken together, in the order of their events: the
/// furthest state reached, a final one never undone; the deadline of the evidence that set
/// it. `None` when no evidence has a known code and a readable event time.
pub fn summarise(evidences: &[(Code, OffsetDateTime)]) -> Option<Outcome> {
    let mut sorted = evidences.to_vec();
    sorted.sort_by_key(|(_, at)| *at);
    let ready_at = sorted
        .iter()
        .find(|(c, _)| *c == Code::D1)
        .map(|(_, at)| *at);
    let mut out: Option<Outcome> = None;
    for (code, at) in sorted {
        let next = classify(code, at, ready_at);
        out = match out {
            Some(cur) if cur.state.is_final() => Some(cur),
            Some(cur) if next.state < cur.state && next.state != DeliveryState::Failed => Some(cur),
            _ => Some(next),
        };
    }
    out
}

/// An API evidence's code and event time (`eventDate`, else `createDate`), when both read.
pub fn of(e: &super::model::Evidence) -> Option<(Code, OffsetDateTime)> {
    let code = Code::parse(e.kind.as_deref()?)?;
    let at = e.event_date.as_deref().or(e.create_date.as_deref())?;
    let at = OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339).ok()?;
    Some((code, at))
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    /// Every evidence type the specification lists is understood, and each spelling of one
    /// code maps alike; the schema's enum is read from the document itself.
    #[test]
    fn every_evidence_type_of_the_specification_maps_to_a_state() {
        let spec = include_str!("../../../e2e/contract/edoreczenia-ua-api-3.0.8.yaml");
        let doc: serde_yaml::Value = serde_yaml::from_str(spec).unwrap();
        let listed: Vec<String> =
            doc["components"]["schemas"]["Evidence"]["properties"]["type"]["enum"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
        assert_eq!(listed, SPEC_CODES.map(str::to_owned).to_vec());
        let at = datetime!(2026-03-01 10:00 UTC);
        for s in SPEC_CODES {
            let code = Code::parse(s).unwrap_or_else(|| panic!("{s} is not understood"));
            // the undotted spelling is the same code as the dotted one
            assert_eq!(Code::parse(&s.replace('.', "")), Some(code));
            assert_eq!(Code::parse(code.as_str()), Some(code));
            let _ = classify(code, at, None);
        }
        assert_eq!(Code::parse("X.9"), None);
    }

    #[test]
    fn each_code_has_its_state_and_deadline() {
        use Deadline as Dl;
        use DeliveryState as S;
        let at = datetime!(2026-03-01 10:00 UTC);
        let expect = [
            ("A.1", S::Submitted, Dl::Unchanged),
            ("A.2", S::Failed, Dl::DoesNotRun),
            ("B.1", S::Relayed, Dl::Unchanged),
            ("B.2", S::Failed, Dl::DoesNotRun),
            ("B.3", S::Failed, Dl::DoesNotRun),
            ("C2", S::Failed, Dl::DoesNotRun),
            ("D", S::ReadyForCollection, Dl::Unchanged),
            // arrival on 1 March → deemed delivered at the start of 16 March (Polish time)
            (
                "D.1",
                S::ReadyForCollection,
                Dl::DeemedDeliveryAt(datetime!(2026-03-15 23:00 UTC)),
            ),
            ("D.2", S::Failed, Dl::DoesNotRun),
            ("D.3", S::ReadyForCollection, Dl::Unchanged),
            ("E.1", S::Delivered, Dl::RunsFrom(at)),
            ("E.2", S::Failed, Dl::DoesNotRun),
            ("BP.WX", S::Submitted, Dl::Unchanged),
            ("BP.WP", S::Submitted, Dl::Unchanged),
            ("BP.OX", S::Delivered, Dl::RunsFrom(at)),
            ("BP.OP", S::Delivered, Dl::RunsFrom(at)),
            ("H.DW", S::Failed, Dl::DoesNotRun),
            ("H.PN", S::Submitted, Dl::Unchanged),
            ("H.EPO", S::Delivered, Dl::RunsFrom(at)),
        ];
        for (code, state, deadline) in expect {
            let got = classify(Code::parse(code).unwrap(), at, None);
            assert_eq!((got.state, got.deadline), (state, deadline), "{code}");
        }
    }

    /// u.d.e. art. 42 ust. 2: a letter that arrived (D.1) on 1 March 2026 and was not
    /// collected is deemed delivered on 16 March; the E.1 the service issues then is the
    /// fiction, and terms run from 16 March, not from when the evidence was fetched.
    #[test]
    fn ude_art_42_e1_after_fourteen_full_days_is_deemed_delivery() {
        let arrived = datetime!(2026-03-01 10:00 UTC);
        let deemed = datetime!(2026-03-15 23:00 UTC); // 16 March 00:00 in Poland (CET)
        let late = classify(Code::E1, datetime!(2026-03-16 02:00 UTC), Some(arrived));
        assert_eq!(late.state, DeliveryState::DeemedDelivered);
        assert_eq!(late.deadline, Deadline::RunsFrom(deemed));
        // collected on 15 March, the 14th full day: actual delivery that day
        let collected = datetime!(2026-03-15 12:00 UTC);
        let early = classify(Code::E1, collected, Some(arrived));
        assert_eq!(early.state, DeliveryState::Delivered);
        assert_eq!(early.deadline, Deadline::RunsFrom(collected));
    }

    #[test]
    fn a_letters_evidences_together() {
        let t = |d: u8| datetime!(2026-03-01 10:00 UTC).replace_day(d).unwrap();
        let s = summarise(&[
            (Code::BpWx, t(1)),
            (Code::A1, t(1)),
            (Code::D1, t(1)),
            (Code::E1, t(4)),
        ])
        .unwrap();
        assert_eq!(s.state, DeliveryState::Delivered);
        assert_eq!(s.deadline, Deadline::RunsFrom(t(4)));
        // a late-listed D.3 does not undo delivery, nor a relay confirmation
        let s = summarise(&[(Code::E1, t(4)), (Code::D3, t(5)), (Code::B1, t(6))]).unwrap();
        assert_eq!(s.state, DeliveryState::Delivered);
        let s = summarise(&[(Code::A1, t(1)), (Code::B3, t(2))]).unwrap();
        assert_eq!(s.state, DeliveryState::Failed);
        assert_eq!(summarise(&[]), None);
    }

    #[test]
    fn an_api_evidence_is_read_with_its_event_time() {
        let e = super::super::model::Evidence {
            evidence_id: "e".into(),
            message_id: "m".into(),
            kind: Some("BPOX".into()),
            event_date: Some("2017-07-21T17:32:28Z".into()),
            ..Default::default()
        };
        assert_eq!(
            of(&e),
            Some((Code::BpOx, datetime!(2017-07-21 17:32:28 UTC)))
        );
    }

    /// An evidence dated at the calendar's last hour (the API allows any RFC 3339 time)
    /// panicked when its deemed delivery was worked out in Polish time; it is read like any
    /// other (the `edoreczenia_message` fuzz target's shape).
    #[test]
    fn an_evidence_at_the_end_of_the_calendar_is_summarised() {
        let body = r#"{"evidences":[
            {"evidenceId":"a","messageId":"m","type":"D.1","eventDate":"9999-12-31T23:30:00Z"},
            {"evidenceId":"b","messageId":"m","type":"E.1","eventDate":"9999-12-31T23:59:59-23:59"}]}"#;
        let w: super::super::model::EvidenceWrapper = serde_json::from_str(body).unwrap();
        let items: Vec<_> = w.evidences.iter().filter_map(of).collect();
        assert_eq!(items.len(), 2);
        let out = summarise(&items).unwrap();
        assert!(out.state.is_final(), "{out:?}");
    }
}
