//! `to_jsonb(oid)` yields a string, while Rust-built json yields a number;
//! both are accepted.

use serde::{Deserialize, Deserializer, Serializer};

#[derive(Deserialize)]
#[serde(untagged)]
pub(crate) enum OidRepr {
    Number(u32),
    Text(String),
}

impl OidRepr {
    pub(crate) fn into_oid<E: serde::de::Error>(self) -> Result<u32, E> {
        match self {
            OidRepr::Number(n) => Ok(n),
            OidRepr::Text(s) => s.parse().map_err(E::custom),
        }
    }
}

pub fn serialize<S: Serializer>(oid: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u32(*oid)
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    OidRepr::deserialize(d)?.into_oid()
}

/// The same for an optional oid.
pub mod optional {
    use super::OidRepr;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(oid: &Option<u32>, s: S) -> Result<S::Ok, S::Error> {
        match oid {
            Some(o) => s.serialize_u32(*o),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
        Option::<OidRepr>::deserialize(d)?
            .map(OidRepr::into_oid)
            .transpose()
    }
}
