//! Who may call a route: the rule kinds okienko has, one per row of the route table
//! (`web::routes`). The handlers and extractors enforce them; this names them, so the route
//! matrix test (`tests/integration/route_matrix.rs`) can compute every caller's answer.

use crate::auth::api_token::Scope;

/// A route's access rule. "404" below is how a foreign object answers: it does not say
/// whether the object exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, logged in or not.
    Public,
    /// Anyone; the object is found by its id *and* the caller's owner key (the anonymous
    /// browser's, the person's or the API client's): another's draft or receipt is 404.
    OwnerKey,
    /// Any logged-in person (401, or a login redirect on pages, without a session).
    LoggedIn,
    /// A logged-in resident (role `resident`, from the residents' provider): staff 403,
    /// nobody 401 or a login redirect.
    Resident,
    /// A logged-in person or any API client (401 for nobody).
    Someone,
    /// A logged-in person's own object (their case, letter, project, initiative): anyone
    /// else's is 404 (401 or a login redirect without a session).
    OwnObject,
    /// A resident's own object (their project): another resident's is 404, staff 403,
    /// nobody 401.
    ResidentOwn,
    /// The author of a public object (an initiative's representative, a request's author):
    /// anyone else 403, nobody 401 or a login redirect.
    Author,
    /// A logged-in resident's mailbox, or a unit's for its clerks, administrators and API
    /// clients with `mailbox:send`; any other caller gets 404 for it.
    Mailbox,
    /// A unit's mailbox only (sending and drafting): as `Mailbox`, and 403 for a resident's.
    UnitMailbox,
    /// Casework (`casework::access`): clerks see their unit's cases (another unit's is
    /// 404), administrators all, API clients with `cases:read` (or `cases:write` when
    /// `write`); residents and councillors 403, nobody 401.
    Cases { write: bool },
    /// The mailbox pages of the clerk's own unit: clerks only (another unit's message is
    /// 404), other persons 403.
    UnitClerk,
    /// A council member (role `councillor` and listed in `council.members`).
    Councillor,
    /// The councillor chairing the session (opening and closing its votes).
    Chair,
    /// The council's committee (councillors on it) or office (clerks of
    /// `council.office_unit`, administrators).
    Committee,
    /// The council office: clerks of `council.office_unit` and administrators.
    CouncilOffice,
    /// Consultations are run by councillors and administrators (the coordinator); one
    /// consultation by its author and administrators (other councillors 403).
    Coordinator,
    /// Only administrators (the participatory budget's coordinator).
    Admin,
    /// Clerks of any unit and administrators (the budget's evaluation, paper cards of
    /// every instrument, the initiative's verification).
    Office,
    /// Deciding a paper card: as `Office`, but not the clerk who typed it in (four eyes,
    /// 403).
    SecondClerk,
    /// An API client holding the scope (403 without it, 401 for nobody).
    Scope(Scope),
    /// The caller's own list, or everyone's for an API client with the scope.
    OwnOrScope(Scope),
    /// The development identity provider: served only when `dev_idp` runs (not in
    /// production), to anyone.
    DevIdp,
    /// `/metrics`: the holder of `metrics.token` (404 for anyone else).
    MetricsToken,
}
