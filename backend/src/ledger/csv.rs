//! One line of a `;`-separated CSV file (RFC 4180 quoting: a field in double quotes may
//! hold `;`, and `""` inside it is one quote). A field never spans lines.

/// The fields of `line`, or what is wrong with it.
pub fn fields(line: &str) -> Result<Vec<String>, &'static str> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') if cur.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, '"') => return Err("a quote inside an unquoted field"),
            (false, ';') => {
                out.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, _) if was_quoted => return Err("text after a closing quote"),
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("a quoted field is not closed on its line");
    }
    out.push(cur);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::fields;

    #[test]
    fn quoted_fields_hold_separators_and_quotes() {
        assert_eq!(fields("a;b;").unwrap(), ["a", "b", ""]);
        assert_eq!(
            fields(r#"1;"ul. Długa 1; lok. 2";"Firma ""Las"" sp. z o.o.""#).unwrap(),
            ["1", "ul. Długa 1; lok. 2", "Firma \"Las\" sp. z o.o."]
        );
        assert!(fields(r#"1;"open"#).is_err());
        assert!(fields(r#"1;a"b"#).is_err());
        assert!(fields(r#""a"b;c"#).is_err());
    }
}
