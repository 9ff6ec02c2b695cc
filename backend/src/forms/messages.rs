//! Error messages of the form engine, in Polish and English, keyed by stable codes.
//! Clients match on `code`; people read `message`.

use crate::domain::lang::Lang;

/// The message for `code`, with `{min}`, `{max}`, `{n}`, `{types}` filled from `params`.
pub fn message(code: &str, lang: Lang, params: &[(&str, String)]) -> String {
    let (pl, en) = match code {
        "required" => ("To pole jest wymagane.", "This field is required."),
        "type" => (
            "Nieprawidłowy typ wartości.",
            "The value has the wrong type.",
        ),
        "unknown_field" => ("Nieznane pole.", "Unknown field."),
        "integer" => ("Wpisz liczbę całkowitą.", "Enter a whole number."),
        "decimal" => (
            "Wpisz liczbę, np. 1234,56.",
            "Enter a number, e.g. 1234.56.",
        ),
        "scale" => (
            "Podaj najwyżej {n} miejsc po przecinku.",
            "Use at most {n} decimal places.",
        ),
        "min" => (
            "Wartość nie może być mniejsza niż {min}.",
            "The value must be at least {min}.",
        ),
        "max" => (
            "Wartość nie może być większa niż {max}.",
            "The value must be at most {max}.",
        ),
        "min_length" => (
            "Wpisz co najmniej {n} znaków.",
            "Enter at least {n} characters.",
        ),
        "max_length" => (
            "Wpisz najwyżej {n} znaków.",
            "Enter at most {n} characters.",
        ),
        "pattern" => (
            "Wartość ma nieprawidłowy format.",
            "The value has the wrong format.",
        ),
        "date" => (
            "Wpisz datę w formacie RRRR-MM-DD.",
            "Enter a date as YYYY-MM-DD.",
        ),
        "date.min" => (
            "Data nie może być wcześniejsza niż {min}.",
            "The date must be {min} or later.",
        ),
        "date.max" => (
            "Data nie może być późniejsza niż {max}.",
            "The date must be {max} or earlier.",
        ),
        "choice" => (
            "Wybierz jedną z podanych opcji.",
            "Choose one of the options.",
        ),
        "yes_no" => ("Wybierz „tak” albo „nie”.", "Choose yes or no."),
        "filing.format" => (
            "Podaj numer potwierdzenia złożenia, np. UPO-2026-0123456789ABCDEF0123456789ABCDEF.",
            "Give the receipt number, e.g. UPO-2026-0123456789ABCDEF0123456789ABCDEF.",
        ),
        "filing.not_found" => (
            "Nie znaleziono Twojego złożonego wcześniej formularza tej usługi o tym numerze.",
            "None of your earlier filings of this service has this receipt number.",
        ),
        "scale.range" => (
            "Wybierz liczbę od {min} do {max}.",
            "Choose a number from {min} to {max}.",
        ),
        "ranking" => (
            "Ułóż podane opcje w kolejności, każdą najwyżej raz.",
            "Put the options in order, each at most once.",
        ),
        "email" => (
            "Wpisz poprawny adres e-mail, np. jan@example.pl.",
            "Enter a valid e-mail address, e.g. jan@example.com.",
        ),
        "phone" => (
            "Wpisz numer telefonu (9 do 15 cyfr, może zaczynać się od +).",
            "Enter a phone number (9 to 15 digits, may start with +).",
        ),
        "pesel.format" => (
            "PESEL ma dokładnie 11 cyfr.",
            "A PESEL has exactly 11 digits.",
        ),
        "pesel.date" => (
            "PESEL zawiera nieistniejącą datę urodzenia.",
            "The PESEL encodes a date of birth that does not exist.",
        ),
        "pesel.checksum" => (
            "Cyfra kontrolna numeru PESEL się nie zgadza — sprawdź, czy nie ma literówki.",
            "The PESEL check digit does not match: check for a typo.",
        ),
        "nip.format" => (
            "NIP ma 10 cyfr, np. 123-456-32-18.",
            "A NIP has 10 digits, e.g. 123-456-32-18.",
        ),
        "nip.checksum" => (
            "Cyfra kontrolna NIP się nie zgadza — sprawdź, czy nie ma literówki.",
            "The NIP check digit does not match: check for a typo.",
        ),
        "regon.format" => ("REGON ma 9 albo 14 cyfr.", "A REGON has 9 or 14 digits."),
        "regon.checksum" => (
            "Cyfra kontrolna numeru REGON się nie zgadza.",
            "The REGON check digit does not match.",
        ),
        "postal_code.format" => (
            "Kod pocztowy ma postać 00-000.",
            "A postal code has the form 00-000.",
        ),
        "ade.format" => (
            "Adres do doręczeń elektronicznych ma postać AE:PL-12345-67890-ABCDE-12.",
            "An e-delivery address has the form AE:PL-12345-67890-ABCDE-12.",
        ),
        "ade.check_pair" => (
            "Cyfry kontrolne adresu się nie zgadzają — sprawdź adres w bazie adresów elektronicznych.",
            "The address check digits do not match: confirm it in the e-delivery address register.",
        ),
        "teryt" => (
            "Identyfikator TERYT (SIMC) ma 7 cyfr.",
            "A TERYT (SIMC) identifier has 7 digits.",
        ),
        "rows.min" => ("Dodaj co najmniej {n} pozycji.", "Add at least {n} rows."),
        "rows.max" => (
            "Można dodać najwyżej {n} pozycji.",
            "At most {n} rows are allowed.",
        ),
        "files.max" => (
            "Można dołączyć najwyżej {n} plików.",
            "At most {n} files may be attached.",
        ),
        "file.type" => (
            "Dozwolone typy plików: {types}.",
            "Allowed file types: {types}.",
        ),
        "file.content" => (
            "Zawartość pliku nie odpowiada jego typowi.",
            "The file's content does not match its type.",
        ),
        "file.size" => (
            "Plik jest za duży (najwyżej {n} MB).",
            "The file is too large (at most {n} MB).",
        ),
        "file.name" => (
            "Nazwa pliku może mieć do 128 znaków i nie może zawierać spacji ani znaków ~ \" # % & * : < > ? ! / \\ { | }.",
            "A file name may have up to 128 characters and no spaces or ~ \" # % & * : < > ? ! / \\ { | }.",
        ),
        "file.name_duplicate" => (
            "Dwa pliki mają tę samą nazwę.",
            "Two files have the same name.",
        ),
        "file.missing" => (
            "Brakuje pliku, do którego odwołuje się wniosek.",
            "A file the submission refers to is missing.",
        ),
        "prefill.locked" => (
            "Tej wartości nie można zmienić: pochodzi z Twojej tożsamości.",
            "This value cannot be changed: it comes from your identity.",
        ),
        "expression" => (
            "Nie udało się sprawdzić reguły formularza.",
            "A rule of the form could not be evaluated.",
        ),
        _ => ("Nieprawidłowa wartość.", "The value is not valid."),
    };
    let mut text = match lang {
        Lang::Pl => pl,
        Lang::En => en,
    }
    .to_owned();
    for (k, v) in params {
        text = text.replace(&format!("{{{k}}}"), v);
    }
    text
}
