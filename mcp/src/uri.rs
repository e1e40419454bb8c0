//! The resource addresses: `planner-meta://schema/{schema}`,
//! `planner-meta://table/{schema}/{table}` and `planner-meta://changelog`.
//! Names are percent-encoded, so any identifier (with `/`, spaces or
//! quotes) has exactly one address.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    Schema(String),
    Table(String, String),
    Changelog,
}

pub const CHANGELOG: &str = "planner-meta://changelog";
pub const SCHEMA_TEMPLATE: &str = "planner-meta://schema/{schema}";
pub const TABLE_TEMPLATE: &str = "planner-meta://table/{schema}/{table}";

impl Resource {
    pub fn uri(&self) -> String {
        match self {
            Resource::Schema(s) => format!("planner-meta://schema/{}", encode(s)),
            Resource::Table(s, t) => format!("planner-meta://table/{}/{}", encode(s), encode(t)),
            Resource::Changelog => CHANGELOG.to_string(),
        }
    }

    pub fn parse(uri: &str) -> Option<Resource> {
        let rest = uri.strip_prefix("planner-meta://")?;
        let parts: Vec<&str> = rest.split('/').collect();
        match parts.as_slice() {
            ["changelog"] => Some(Resource::Changelog),
            ["schema", s] => Some(Resource::Schema(decode(s)?)),
            ["table", s, t] => Some(Resource::Table(decode(s)?, decode(t)?)),
            _ => None,
        }
    }
}

fn encode(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"_-.".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let name = String::from_utf8(out).ok()?;
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_round_trips() {
        for (s, t) in [("public", "film"), ("my schema", "a/b"), ("Ünï", "x%y\"z")] {
            let r = Resource::Table(s.into(), t.into());
            assert_eq!(Resource::parse(&r.uri()), Some(r));
        }
        assert_eq!(
            Resource::parse("planner-meta://changelog"),
            Some(Resource::Changelog)
        );
    }

    #[test]
    fn malformed_addresses_are_none() {
        for uri in [
            "planner-meta://table/x",
            "http://x",
            "planner-meta://schema/",
            "planner-meta://schema/%zz",
        ] {
            assert_eq!(Resource::parse(uri), None, "{uri}");
        }
    }
}
