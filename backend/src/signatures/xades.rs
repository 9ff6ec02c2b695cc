//! XAdES (ETSI EN 319 132-1) over XML-DSig (W3C XML Signature 1.1): the digest of every
//! `Reference` of `SignedInfo` (the document for `URI=""`, an element for `URI="#id"`,
//! after the enveloped-signature and C14N transforms), the signature over canonical
//! `SignedInfo`, and the signed properties: `SigningTime`, `SigningCertificate(V2)` (the
//! certificate used must be the one they name) and, for the trusted profile, the person's
//! data in `PodpisZP/DaneZP` (the ministry's schema `http://crd.gov.pl/xml/schematy/ppzp/`).
//! Enveloped and enveloping signatures; a detached one (its data in another file) is not
//! supported, as a filing uploads one file.

use roxmltree::{Document, Node, NodeId};
use time::OffsetDateTime;
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

use super::c14n::{self, Method};
use super::x509::{Hash, Scheme, verify_with};
use super::{
    Carried, Failure, Format, Kind, Signer, Times, TrustStore, Verification, base64_loose,
    conclude, failed,
};

pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
const SIGNED_PROPERTIES_TYPE: &str = "http://uri.etsi.org/01903#SignedProperties";
const PPZP: &str = "http://crd.gov.pl/xml/schematy/ppzp/";

fn is(n: &Node<'_, '_>, ns: &str, name: &str) -> bool {
    n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ns)
}

fn is_xades(n: &Node<'_, '_>, name: &str) -> bool {
    n.is_element()
        && n.tag_name().name() == name
        && n.tag_name()
            .namespace()
            .is_some_and(|ns| ns.starts_with("http://uri.etsi.org/01903/"))
}

fn child<'a, 'i>(n: Node<'a, 'i>, ns: &str, name: &str) -> Option<Node<'a, 'i>> {
    n.children().find(|c| is(c, ns, name))
}

fn digest_of(uri: &str) -> Result<Hash, Failure> {
    match uri {
        "http://www.w3.org/2001/04/xmlenc#sha256" => Ok(Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#sha384" => Ok(Hash::Sha384),
        "http://www.w3.org/2001/04/xmlenc#sha512" => Ok(Hash::Sha512),
        other => Err(Failure::UnsupportedAlgorithm(other.into())),
    }
}

fn scheme_of(uri: &str) -> Result<Scheme, Failure> {
    let ec = |hash| Scheme::Ecdsa { hash, fixed: true };
    Ok(match uri {
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => Scheme::RsaPkcs1(Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => Scheme::RsaPkcs1(Hash::Sha384),
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => Scheme::RsaPkcs1(Hash::Sha512),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => ec(Hash::Sha256),
        "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => ec(Hash::Sha384),
        "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => Scheme::RsaPss(Hash::Sha256),
        "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => Scheme::RsaPss(Hash::Sha384),
        "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => Scheme::RsaPss(Hash::Sha512),
        other => return Err(Failure::UnsupportedAlgorithm(other.into())),
    })
}

fn method_of(el: Node<'_, '_>) -> Result<Method, Failure> {
    let alg = el.attribute("Algorithm").unwrap_or("");
    let prefixes = el
        .children()
        .find(|c| c.is_element() && c.tag_name().name() == "InclusiveNamespaces")
        .and_then(|c| c.attribute("PrefixList"));
    Method::from_uri(alg, prefixes).ok_or_else(|| Failure::UnsupportedAlgorithm(alg.into()))
}

/// The element a same-document `#id` names; more than one such element is refused, as
/// a second one is how signature-wrapping attacks hide what was signed.
fn by_id<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Result<Node<'a, 'i>, Failure> {
    let mut found = doc.descendants().filter(|n| {
        n.is_element()
            && ["Id", "ID", "id"]
                .iter()
                .any(|a| n.attribute(*a) == Some(id))
    });
    match (found.next(), found.next()) {
        (Some(n), None) => Ok(n),
        (None, _) => Err(Failure::Malformed(format!("brak elementu o Id „{id}”"))),
        (Some(_), Some(_)) => Err(Failure::Malformed(format!("dwa elementy o Id „{id}”"))),
    }
}

/// The octets a `Reference` digests.
fn referenced(
    doc: &Document<'_>,
    signature: NodeId,
    reference: Node<'_, '_>,
) -> Result<String, Failure> {
    let uri = reference
        .attribute("URI")
        .ok_or_else(|| Failure::UnsupportedAlgorithm("odwołanie bez URI".into()))?;
    let apex = if uri.is_empty() {
        doc.root()
    } else if let Some(id) = uri.strip_prefix('#') {
        by_id(doc, id)?
    } else {
        return Err(Failure::UnsupportedAlgorithm(format!(
            "podpis zewnętrzny (odwołanie do „{uri}”)"
        )));
    };
    let mut exclude = None;
    let mut method = Method::Inclusive { comments: false };
    if let Some(transforms) = child(reference, DS, "Transforms") {
        for t in transforms.children().filter(|c| is(c, DS, "Transform")) {
            match t.attribute("Algorithm") {
                Some(ENVELOPED) => exclude = Some(signature),
                _ => method = method_of(t)?,
            }
        }
    }
    Ok(c14n::canonicalize(apex, &method, exclude))
}

fn text_of<'a>(n: Option<Node<'a, '_>>) -> Option<&'a str> {
    n.and_then(|n| n.text()).map(str::trim)
}

pub fn verify(bytes: &[u8], trust: &TrustStore, now: OffsetDateTime) -> Verification {
    let malformed = |what: String| failed(Format::Xades, Failure::Malformed(what));
    let Ok(text) = std::str::from_utf8(bytes) else {
        return malformed("dokument XML nie jest zapisany w UTF-8".into());
    };
    let text = text.trim_start_matches('\u{feff}');
    let doc = match Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 1_000_000,
        },
    ) {
        Ok(d) => d,
        Err(e) => return malformed(format!("XML: {e}")),
    };
    let Some(sig) = doc.descendants().find(|n| is(n, DS, "Signature")) else {
        return failed(Format::Xades, Failure::NoSignature);
    };
    let certs: Vec<Certificate> = child(sig, DS, "KeyInfo")
        .into_iter()
        .flat_map(|k| k.descendants())
        .filter(|n| is(n, DS, "X509Certificate"))
        .filter_map(|n| n.text())
        .filter_map(|b| base64_loose(b).ok())
        .filter_map(|der| Certificate::from_der(&der).ok())
        .collect();
    // the CRLs of the unsigned properties (`RevocationValues/CRLValues`), base64 DER; one
    // that does not parse is no evidence and is left out
    let crls: Vec<x509_cert::crl::CertificateList> = sig
        .descendants()
        .filter(|n| is_xades(n, "EncapsulatedCRLValue"))
        .take(super::revocation::MAX_EMBEDDED)
        .filter_map(|n| n.text())
        .filter_map(|b| base64_loose(b).ok())
        .filter_map(|der| x509_cert::crl::CertificateList::from_der(&der).ok())
        .collect();
    let signed_props = sig.descendants().find(|n| is_xades(n, "SignedProperties"));
    let cert_digests: Vec<(Hash, Vec<u8>)> = signed_props
        .into_iter()
        .flat_map(|p| p.descendants())
        .filter(|n| is_xades(n, "CertDigest"))
        .filter_map(|d| {
            let hash = digest_of(child(d, DS, "DigestMethod")?.attribute("Algorithm")?).ok()?;
            Some((
                hash,
                base64_loose(text_of(child(d, DS, "DigestValue"))?).ok()?,
            ))
        })
        .collect();
    let names = |c: &Certificate| {
        let der = c.to_der().unwrap_or_default();
        cert_digests.iter().any(|(h, v)| h.digest(&der) == *v)
    };
    let Some(leaf) = certs.iter().find(|c| names(c)).or(certs.first()) else {
        return malformed("brak certyfikatu podpisującego w KeyInfo".into());
    };
    let signing_time = signed_props
        .and_then(|p| p.descendants().find(|n| is_xades(n, "SigningTime")))
        .and_then(|n| text_of(Some(n)))
        .and_then(|t| {
            OffsetDateTime::parse(t, &time::format_description::well_known::Rfc3339).ok()
        });
    let checks = check(
        &doc,
        sig,
        signed_props,
        !cert_digests.is_empty() && !names(leaf),
        leaf,
    );
    let stamp = signature_timestamp(sig, trust);
    let carried = Carried {
        certs: &certs,
        crls: &crls,
    };
    let times = Times {
        signing_time,
        stamp,
        now,
    };
    let mut v = conclude(Format::Xades, leaf, carried, trust, times, checks);
    if v.kind == Some(Kind::TrustedProfile)
        && let Some(person) = signed_props.and_then(person)
    {
        v.signer = person;
    }
    v
}

/// XAdES-T (EN 319 132-1 § 5.3): the first `xades:SignatureTimeStamp` of the unsigned
/// signature properties, its `EncapsulatedTimeStamp` (base64 DER) over the
/// `ds:SignatureValue` element canonicalised by the timestamp's `ds:CanonicalizationMethod`
/// (Canonical XML 1.0 without one, the standard's default). `None` without one.
fn signature_timestamp(
    sig: Node<'_, '_>,
    trust: &TrustStore,
) -> Option<Result<super::Timestamp, Failure>> {
    let stamp = sig
        .descendants()
        .filter(|n| is_xades(n, "UnsignedSignatureProperties"))
        .flat_map(|n| n.children())
        .find(|n| is_xades(n, "SignatureTimeStamp"))?;
    let invalid = |what: &str| Failure::TimestampInvalid(what.into());
    Some((|| {
        let method = match child(stamp, DS, "CanonicalizationMethod") {
            Some(m) => method_of(m).map_err(|_| invalid("nieobsługiwana kanonikalizacja"))?,
            None => Method::Inclusive { comments: false },
        };
        let token = stamp
            .children()
            .find(|n| is_xades(n, "EncapsulatedTimeStamp"))
            .and_then(|n| n.text())
            .and_then(|t| base64_loose(t).ok())
            .ok_or_else(|| invalid("nie udało się odczytać znacznika (EncapsulatedTimeStamp)"))?;
        let value =
            child(sig, DS, "SignatureValue").ok_or_else(|| invalid("brak ds:SignatureValue"))?;
        let stamped = c14n::canonicalize(value, &method, None);
        super::timestamp::verify(&token, stamped.as_bytes(), trust)
    })())
}

fn check(
    doc: &Document<'_>,
    sig: Node<'_, '_>,
    signed_props: Option<Node<'_, '_>>,
    cert_mismatch: bool,
    leaf: &Certificate,
) -> Result<(), Failure> {
    let malformed = |what: &str| Failure::Malformed(what.into());
    let info = child(sig, DS, "SignedInfo").ok_or_else(|| malformed("brak SignedInfo"))?;
    let method = method_of(
        child(info, DS, "CanonicalizationMethod")
            .ok_or_else(|| malformed("brak CanonicalizationMethod"))?,
    )?;
    let scheme = scheme_of(
        child(info, DS, "SignatureMethod")
            .and_then(|m| m.attribute("Algorithm"))
            .ok_or_else(|| malformed("brak SignatureMethod"))?,
    )?;
    let references: Vec<Node<'_, '_>> =
        info.children().filter(|c| is(c, DS, "Reference")).collect();
    if references.is_empty() {
        return Err(malformed("SignedInfo bez odwołań"));
    }
    if !covers_document(doc, sig, &references) {
        return Err(Failure::PartlySigned);
    }
    for r in &references {
        let hash = digest_of(
            child(*r, DS, "DigestMethod")
                .and_then(|m| m.attribute("Algorithm"))
                .ok_or_else(|| malformed("brak DigestMethod"))?,
        )?;
        let claimed = text_of(child(*r, DS, "DigestValue"))
            .and_then(|v| base64_loose(v).ok())
            .ok_or_else(|| malformed("DigestValue"))?;
        let octets = referenced(doc, sig.id(), *r)?;
        if hash.digest(octets.as_bytes()) != claimed {
            return Err(Failure::DigestMismatch);
        }
    }
    // XAdES: the signed properties must themselves be signed (EN 319 132-1 § 4.3.1)
    let props = signed_props.ok_or_else(|| malformed("brak podpisanych właściwości XAdES"))?;
    let props_id = props.attribute("Id").unwrap_or("");
    let props_signed = references.iter().any(|r| {
        !props_id.is_empty()
            && r.attribute("URI").and_then(|u| u.strip_prefix('#')) == Some(props_id)
            && r.attribute("Type")
                .is_none_or(|t| t == SIGNED_PROPERTIES_TYPE)
    });
    if !props_signed {
        return Err(malformed("właściwości XAdES nie są podpisane"));
    }
    let value = text_of(child(sig, DS, "SignatureValue"))
        .and_then(|v| base64_loose(v).ok())
        .ok_or_else(|| malformed("SignatureValue"))?;
    let canonical = c14n::canonicalize(info, &method, None);
    verify_with(leaf, scheme, canonical.as_bytes(), &value)?;
    if cert_mismatch {
        return Err(Failure::SigningCertificateMismatch);
    }
    Ok(())
}

/// Whether the references sign the whole document, not a part of it: `URI=""` or the root
/// element by its Id (enveloped), or, where the signature is itself the document
/// (enveloping), every `ds:Object` it carries besides the XAdES properties. A signature over
/// a part leaves the rest free to change after signing, and it is what signature-wrapping
/// attacks use to show one content and have another verified.
fn covers_document(doc: &Document<'_>, sig: Node<'_, '_>, references: &[Node<'_, '_>]) -> bool {
    let uris: Vec<&str> = references
        .iter()
        .filter_map(|r| r.attribute("URI"))
        .collect();
    let signed = |n: Node<'_, '_>| {
        ["Id", "ID", "id"]
            .iter()
            .filter_map(|a| n.attribute(*a))
            .any(|id| uris.iter().any(|u| u.strip_prefix('#') == Some(id)))
    };
    let root = doc.root_element();
    if root != sig {
        return uris.contains(&"") || signed(root);
    }
    let mut objects = sig
        .children()
        .filter(|c| is(c, DS, "Object"))
        .filter(|o| !o.children().any(|c| is_xades(&c, "QualifyingProperties")))
        .peekable();
    objects.peek().is_some() && objects.all(signed)
}

/// The person of a trusted-profile signature: `PodpisZP/DaneZP/DaneZPOsobyFizycznej`
/// with `Imie`, `Nazwisko` and `PESEL` (namespace `os`, whose version varies).
fn person(props: Node<'_, '_>) -> Option<Signer> {
    let pz = props.descendants().find(|n| {
        n.is_element()
            && n.tag_name().name() == "PodpisZP"
            && n.tag_name().namespace() == Some(PPZP)
    })?;
    let data = pz
        .descendants()
        .find(|n| n.is_element() && n.tag_name().name() == "DaneZPOsobyFizycznej")?;
    let field = |name: &str| {
        data.children()
            .find(|c| c.is_element() && c.tag_name().name() == name)
            .and_then(|c| c.text())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let name = [field("Imie"), field("Nazwisko")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    Some(Signer {
        name,
        pesel: field("PESEL").filter(|p| crate::domain::pesel::Pesel::parse(p).is_ok()),
        serial: None,
    })
}
