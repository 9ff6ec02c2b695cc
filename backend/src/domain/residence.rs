//! Registrations of stay as pure values (issue 20 §1): the residents' register and the
//! register of foreigners' residence the gmina keeps (ustawa z dnia 24 września 2010 r. o
//! ewidencji ludności, art. 8 pkt 2 and 3), one registration of permanent or temporary
//! stay (art. 24, 25) a row, and what is current on a day.

use time::Date;

use super::pesel::Pesel;

/// Which of the gmina's two registers a registration is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Register {
    /// Rejestr mieszkańców: Polish citizens (u.e.l. art. 8 pkt 2).
    Residents,
    /// Rejestr zamieszkania cudzoziemców (u.e.l. art. 8 pkt 3).
    Foreigners,
}

impl Register {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "residents" => Some(Self::Residents),
            "foreigners" => Some(Self::Foreigners),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Residents => "residents",
            Self::Foreigners => "foreigners",
        }
    }

    /// The register's name in a certificate ("z rejestru …").
    pub fn pl(self) -> &'static str {
        match self {
            Self::Residents => "rejestr mieszkańców",
            Self::Foreigners => "rejestr zamieszkania cudzoziemców",
        }
    }
}

/// Permanent or temporary stay (u.e.l. art. 25 ust. 1 and 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stay {
    Permanent,
    Temporary,
}

impl Stay {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "permanent" => Some(Self::Permanent),
            "temporary" => Some(Self::Temporary),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permanent => "permanent",
            Self::Temporary => "temporary",
        }
    }

    pub fn pl(self) -> &'static str {
        match self {
            Self::Permanent => "pobyt stały",
            Self::Temporary => "pobyt czasowy",
        }
    }
}

/// One registration of stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The register system's key (`case:<id>` for one a case in okienko decided).
    pub key: String,
    pub register: Register,
    pub pesel: Pesel,
    pub name: String,
    /// A foreigner's citizenship, as the register keeps it.
    pub citizenship: Option<String>,
    pub stay: Stay,
    pub address: String,
    pub from_on: Date,
    /// The end of a temporary stay as registered.
    pub until_on: Option<Date>,
    /// The day the person was deregistered (wymeldowanie, art. 27, 35).
    pub ended_on: Option<Date>,
}

impl Registration {
    /// Whether the person is registered at this address on `day`: from its first day
    /// until the day before deregistration, and a temporary stay until its last day.
    pub fn current_on(&self, day: Date) -> bool {
        self.from_on <= day
            && self.ended_on.is_none_or(|e| day < e)
            && self.until_on.is_none_or(|u| day <= u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn uel_art_25_a_registration_is_current_from_its_day_until_deregistration_or_its_end() {
        let mut r = Registration {
            key: "R1".into(),
            register: Register::Residents,
            pesel: Pesel::parse("44051401359").unwrap(),
            name: "Jan Kowalski".into(),
            citizenship: None,
            stay: Stay::Temporary,
            address: "Ostróda".into(),
            from_on: date!(2026 - 01 - 10),
            until_on: Some(date!(2026 - 06 - 30)),
            ended_on: None,
        };
        assert!(!r.current_on(date!(2026 - 01 - 09)));
        assert!(r.current_on(date!(2026 - 01 - 10)));
        assert!(r.current_on(date!(2026 - 06 - 30)));
        assert!(!r.current_on(date!(2026 - 07 - 01)));
        r.ended_on = Some(date!(2026 - 03 - 01));
        assert!(r.current_on(date!(2026 - 02 - 28)));
        assert!(!r.current_on(date!(2026 - 03 - 01)));
        assert_eq!(Register::parse("foreigners"), Some(Register::Foreigners));
        assert_eq!(Stay::parse("stały"), None);
    }
}
