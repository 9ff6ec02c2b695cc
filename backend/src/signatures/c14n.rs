//! XML canonicalization for XML-DSig: Canonical XML 1.0 (inclusive, W3C REC 2001-03-15)
//! and Exclusive XML Canonicalization 1.0 (W3C REC 2002-07-18), each with or without
//! comments, over a `roxmltree` tree. The node sets XML-DSig needs are a whole subtree (a
//! document for `URI=""`, an element for `URI="#id"`) less at most one subtree (the
//! enveloped signature), which is all this handles; XPath filters are not supported.
//!
//! Written here rather than taken from a crate: the maintained Rust C14N crates either pull
//! in libxml2 (a C library a newcomer would have to install) or a whole XML-security stack;
//! the subset above is about 200 lines and is checked against xmlsec1's signatures
//! (`tests/fixtures/signatures/make.py`).

use std::collections::BTreeMap;

use roxmltree::{Node, NodeId};

/// The canonicalization algorithms XML-DSig names by URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Inclusive {
        comments: bool,
    },
    /// With the `InclusiveNamespaces PrefixList` prefixes, rendered as inclusive C14N does.
    Exclusive {
        comments: bool,
        prefixes: Vec<String>,
    },
}

pub const INCLUSIVE: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
pub const INCLUSIVE_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
pub const EXCLUSIVE: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
pub const EXCLUSIVE_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

impl Method {
    /// The method an `Algorithm` URI names, with the prefix list of an exclusive one's
    /// `InclusiveNamespaces` child; `None` for any other URI.
    pub fn from_uri(uri: &str, prefix_list: Option<&str>) -> Option<Self> {
        let prefixes = || {
            prefix_list
                .unwrap_or("")
                .split_whitespace()
                .map(|p| if p == "#default" { "" } else { p }.to_owned())
                .collect()
        };
        match uri {
            INCLUSIVE => Some(Self::Inclusive { comments: false }),
            INCLUSIVE_COMMENTS => Some(Self::Inclusive { comments: true }),
            EXCLUSIVE => Some(Self::Exclusive {
                comments: false,
                prefixes: prefixes(),
            }),
            EXCLUSIVE_COMMENTS => Some(Self::Exclusive {
                comments: true,
                prefixes: prefixes(),
            }),
            _ => None,
        }
    }

    fn comments(&self) -> bool {
        match self {
            Self::Inclusive { comments } | Self::Exclusive { comments, .. } => *comments,
        }
    }
}

/// The canonical form of `apex` (a document's root node or an element) and everything
/// under it, less the subtree of `exclude`.
pub fn canonicalize(apex: Node<'_, '_>, method: &Method, exclude: Option<NodeId>) -> String {
    let mut c = Canon {
        method,
        exclude,
        out: String::new(),
    };
    if apex.is_root() {
        let mut after_root = false;
        for child in apex.children() {
            match child.node_type() {
                roxmltree::NodeType::Element => {
                    c.element(child, &BTreeMap::new(), true);
                    after_root = true;
                }
                roxmltree::NodeType::PI | roxmltree::NodeType::Comment
                    if child.is_pi() || method.comments() =>
                {
                    if after_root {
                        c.out.push('\n');
                    }
                    c.other(child);
                    if !after_root {
                        c.out.push('\n');
                    }
                }
                _ => {}
            }
        }
    } else if apex.is_element() {
        c.element(apex, &BTreeMap::new(), true);
    }
    c.out
}

struct Canon<'m> {
    method: &'m Method,
    exclude: Option<NodeId>,
    out: String,
}

/// The qualified name a node was written with, read from the source (roxmltree keeps the
/// namespace URI, not the prefix, and canonical XML keeps the prefix).
fn qname<'a>(node: Node<'a, '_>) -> &'a str {
    let text = node.document().input_text();
    let rest = text.get(node.range().start + 1..).unwrap_or("");
    let end = rest
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    rest.get(..end).unwrap_or("")
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(p, _)| p)
}

impl Canon<'_> {
    /// `rendered`: the namespace declarations in force in the output at the parent
    /// (prefix, `""` for the default, to URI).
    fn element(&mut self, el: Node<'_, '_>, rendered: &BTreeMap<String, String>, apex: bool) {
        if Some(el.id()) == self.exclude {
            return;
        }
        let doc = el.document().input_text();
        let name = qname(el);
        let in_scope: BTreeMap<String, String> = el
            .namespaces()
            .filter(|ns| ns.name() != Some("xml"))
            .map(|ns| (ns.name().unwrap_or("").to_owned(), ns.uri().to_owned()))
            .collect();
        let attrs: Vec<(&str, &str, &str, String)> = el
            .attributes()
            .map(|a| {
                let q = doc.get(a.range_qname()).unwrap_or(a.name());
                (
                    a.namespace().unwrap_or(""),
                    a.name(),
                    q,
                    a.value().to_owned(),
                )
            })
            .collect();
        // The namespaces this element must render: all in scope (inclusive), or those its
        // name and attributes use plus the prefix list (exclusive).
        let candidates: Vec<String> = match self.method {
            Method::Inclusive { .. } => {
                let mut c: Vec<String> = in_scope.keys().cloned().collect();
                c.push(String::new());
                c
            }
            Method::Exclusive { prefixes, .. } => {
                let mut c = vec![prefix_of(name).to_owned()];
                c.extend(
                    attrs
                        .iter()
                        .map(|(_, _, q, _)| prefix_of(q))
                        .filter(|p| !p.is_empty() && *p != "xml")
                        .map(str::to_owned),
                );
                c.extend(prefixes.iter().cloned());
                c
            }
        };
        let mut now = rendered.clone();
        let mut decls = BTreeMap::new();
        for p in candidates {
            let uri = in_scope.get(&p).cloned().unwrap_or_default();
            let shown = rendered.get(&p).cloned().unwrap_or_default();
            if uri != shown && !(p.is_empty() && uri.is_empty() && shown.is_empty()) {
                // a prefix not in scope is not declared; the default is undeclared by ""
                if uri.is_empty() && !p.is_empty() {
                    continue;
                }
                decls.insert(p.clone(), uri.clone());
                now.insert(p, uri);
            }
        }
        let mut attrs = attrs;
        // inclusive C14N of a subset keeps the xml: attributes the apex inherits
        if apex && matches!(self.method, Method::Inclusive { .. }) {
            for anc in el.ancestors().skip(1).filter(|a| a.is_element()) {
                for a in anc.attributes() {
                    if a.namespace() == Some("http://www.w3.org/XML/1998/namespace")
                        && !attrs.iter().any(|(ns, n, _, _)| {
                            *ns == "http://www.w3.org/XML/1998/namespace" && *n == a.name()
                        })
                    {
                        attrs.push((
                            "http://www.w3.org/XML/1998/namespace",
                            a.name(),
                            "",
                            a.value().to_owned(),
                        ));
                    }
                }
            }
        }
        attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        self.out.push('<');
        self.out.push_str(name);
        for (p, uri) in &decls {
            if p.is_empty() {
                self.out.push_str(" xmlns=\"");
            } else {
                self.out.push_str(" xmlns:");
                self.out.push_str(p);
                self.out.push_str("=\"");
            }
            escape_attr(&mut self.out, uri);
            self.out.push('"');
        }
        for (ns, local, q, value) in &attrs {
            self.out.push(' ');
            if q.is_empty() {
                // an inherited xml: attribute
                let _ = ns;
                self.out.push_str("xml:");
                self.out.push_str(local);
            } else {
                self.out.push_str(q);
            }
            self.out.push_str("=\"");
            escape_attr(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        for child in el.children() {
            match child.node_type() {
                roxmltree::NodeType::Element => self.element(child, &now, false),
                roxmltree::NodeType::Text => escape_text(&mut self.out, child.text().unwrap_or("")),
                roxmltree::NodeType::Comment if self.method.comments() => self.other(child),
                roxmltree::NodeType::PI => self.other(child),
                _ => {}
            }
        }
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push('>');
    }

    fn other(&mut self, node: Node<'_, '_>) {
        if let Some(pi) = node.pi() {
            self.out.push_str("<?");
            self.out.push_str(pi.target);
            if let Some(v) = pi.value.filter(|v| !v.is_empty()) {
                self.out.push(' ');
                self.out.push_str(v);
            }
            self.out.push_str("?>");
        } else if node.is_comment() {
            self.out.push_str("<!--");
            self.out.push_str(node.text().unwrap_or(""));
            self.out.push_str("-->");
        }
    }
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(xml: &str, method: &Method, id: Option<&str>) -> String {
        let doc = roxmltree::Document::parse(xml).expect("parses");
        let apex = match id {
            Some(id) => doc
                .descendants()
                .find(|n| n.attribute("Id") == Some(id))
                .expect("the id"),
            None => doc.root(),
        };
        canonicalize(apex, method, None)
    }

    const INCL: Method = Method::Inclusive { comments: false };

    #[test]
    fn attributes_sort_by_namespace_then_name_and_empty_elements_get_end_tags() {
        let xml = r#"<?xml version="1.0"?><r xmlns:b="urn:b" xmlns:a="urn:a" z="1" b:y="2" a:x="3" a="4"><e/></r>"#;
        assert_eq!(
            c14n(xml, &INCL, None),
            r#"<r xmlns:a="urn:a" xmlns:b="urn:b" a="4" z="1" a:x="3" b:y="2"><e></e></r>"#
        );
    }

    #[test]
    fn text_and_attributes_are_escaped_as_the_spec_says() {
        let xml = "<r a=\"&quot;&amp;&lt;&#9;&#10;\">&amp;&lt;&gt;\"'<![CDATA[<x>]]></r>";
        assert_eq!(
            c14n(xml, &INCL, None),
            "<r a=\"&quot;&amp;&lt;&#x9;&#xA;\">&amp;&lt;&gt;\"'&lt;x&gt;</r>"
        );
    }

    #[test]
    fn a_subtree_keeps_its_ancestors_namespaces_inclusively_and_only_used_ones_exclusively() {
        let xml = r#"<a:r xmlns:a="urn:a" xmlns:u="urn:unused" xmlns="urn:d"><a:s Id="x"><t/></a:s></a:r>"#;
        assert_eq!(
            c14n(xml, &INCL, Some("x")),
            r#"<a:s xmlns="urn:d" xmlns:a="urn:a" xmlns:u="urn:unused" Id="x"><t></t></a:s>"#
        );
        let exc = Method::Exclusive {
            comments: false,
            prefixes: vec![],
        };
        assert_eq!(
            c14n(xml, &exc, Some("x")),
            r#"<a:s xmlns:a="urn:a" Id="x"><t xmlns="urn:d"></t></a:s>"#
        );
        let exc_u = Method::Exclusive {
            comments: false,
            prefixes: vec!["u".into()],
        };
        assert_eq!(
            c14n(xml, &exc_u, Some("x")),
            r#"<a:s xmlns:a="urn:a" xmlns:u="urn:unused" Id="x"><t xmlns="urn:d"></t></a:s>"#
        );
    }

    #[test]
    fn comments_go_unless_asked_for_and_a_default_namespace_is_undeclared_by_an_empty_one() {
        let xml = "<!--a--><r xmlns=\"urn:d\"><!--b--><e xmlns=\"\"/></r>";
        assert_eq!(
            c14n(xml, &INCL, None),
            "<r xmlns=\"urn:d\"><e xmlns=\"\"></e></r>"
        );
        assert_eq!(
            c14n(xml, &Method::Inclusive { comments: true }, None),
            "<!--a-->\n<r xmlns=\"urn:d\"><!--b--><e xmlns=\"\"></e></r>"
        );
    }
}
