//! The page a failed login ends on: what happened, in plain words, and what to do next.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::auth::LoginError;
use crate::domain::lang::Lang;
use crate::state::AppState;
use crate::web::pages::{render, ui};

pub fn page(app: &AppState, lang: Lang, e: &LoginError) -> Response {
    let pl = lang == Lang::Pl;
    let (status, text, next) = match e {
        LoginError::ProviderDown(_) => (
            StatusCode::BAD_GATEWAY,
            if pl {
                "Usługa logowania jest chwilowo niedostępna."
            } else {
                "The login service is not available at the moment."
            },
            if pl {
                "Spróbuj ponownie za kilka minut. Zapisane wersje robocze nie przepadły."
            } else {
                "Try again in a few minutes. Your saved drafts are safe."
            },
        ),
        LoginError::UnknownState => (
            StatusCode::BAD_REQUEST,
            if pl {
                "Ten link logowania wygasł albo został już użyty."
            } else {
                "This login link has expired or has already been used."
            },
            if pl {
                "Zaloguj się ponownie, zaczynając od strony usługi."
            } else {
                "Log in again, starting from the service page."
            },
        ),
        LoginError::NotThisBrowser => (
            StatusCode::BAD_REQUEST,
            if pl {
                "To logowanie nie zostało rozpoczęte w tej przeglądarce, więc nikogo nie zalogowaliśmy."
            } else {
                "This login was not started in this browser, so nobody was logged in."
            },
            if pl {
                "Zaloguj się, zaczynając od strony okienka. Nie używaj linków do logowania otrzymanych od innych osób."
            } else {
                "Log in starting from okienko's own pages. Do not use login links someone sent you."
            },
        ),
        LoginError::Provider { error } if error == "access_denied" => (
            StatusCode::UNAUTHORIZED,
            if pl {
                "Logowanie zostało przerwane."
            } else {
                "You cancelled the login."
            },
            if pl {
                "Możesz zalogować się ponownie, kiedy zechcesz."
            } else {
                "You can log in again whenever you are ready."
            },
        ),
        LoginError::Claims(crate::auth::claims::ClaimsError::NoRole) => (
            StatusCode::FORBIDDEN,
            if pl {
                "Twoje konto nie ma uprawnień w okienku."
            } else {
                "Your account has no role in okienko."
            },
            if pl {
                "Poproś administratora urzędu o nadanie roli."
            } else {
                "Ask the town hall's administrator to grant you a role."
            },
        ),
        LoginError::Claims(crate::auth::claims::ClaimsError::NoSecondFactor) => (
            StatusCode::FORBIDDEN,
            if pl {
                "Pracownicy urzędu logują się z drugim składnikiem (np. kodem z aplikacji), a to logowanie go nie miało."
            } else {
                "Town hall staff log in with a second factor (such as a code from an app), and this login had none."
            },
            if pl {
                "Zaloguj się ponownie i potwierdź logowanie drugim składnikiem. Jeśli nie masz go skonfigurowanego, zwróć się do administratora urzędu."
            } else {
                "Log in again and confirm with your second factor. If you have none set up, ask the town hall's administrator."
            },
        ),
        LoginError::UnknownProvider(_) => (
            StatusCode::NOT_FOUND,
            if pl {
                "Nie ma takiego sposobu logowania."
            } else {
                "There is no such way to log in."
            },
            if pl {
                "Wróć do strony głównej i wybierz logowanie stamtąd."
            } else {
                "Go back to the home page and log in from there."
            },
        ),
        _ => (
            StatusCode::BAD_REQUEST,
            if pl {
                "Nie udało się potwierdzić Twojej tożsamości."
            } else {
                "We could not confirm your identity."
            },
            if pl {
                "Zaloguj się ponownie. Jeśli to się powtarza, skontaktuj się z urzędem i podaj kod błędu."
            } else {
                "Log in again. If it happens again, contact the town hall and quote the error code."
            },
        ),
    };
    let title = if pl {
        "Logowanie nie powiodło się"
    } else {
        "Login failed"
    };
    render(
        app,
        status,
        "login_failed.html",
        &json!({ "ui": ui(lang), "title": title, "text": text, "next": next, "code": e.code(),
            "retry": if pl { "Zaloguj się ponownie" } else { "Log in again" } }),
    )
}
