//! The lexicon: links between phrases of related meaning (WordNet's
//! synonyms, broader and narrower terms, derived and irregular forms),
//! stored in `planner_meta.lexicon` and read per question: the words of a
//! question reach their alternates by primary key, and the alternates
//! reach the linking index like the question's own words.  Without a
//! lexicon the planner links by spelling alone.

pub mod wordnet;

use std::collections::BTreeMap;
use std::path::Path;

use pgrx::prelude::*;

use crate::error::PlannerError;
use crate::knowledge::scan::{collate_cmp, Key, Table};
use crate::planning::lexical::{Alternate, Relation};
use crate::planning::link::Question;
use crate::planning::text::is_stopword;
use crate::spi::execute;

/// Links written per statement while loading.
const LOAD_BATCH: usize = 20_000;
/// Most alternates a question's word or pair of words reaches.
const MAX_ALTERNATES: usize = 24;
/// The source name of what `load_lexicon` reads.
const WORDNET: &str = "WordNet";

const INSERT_SQL: &str = "\
    INSERT INTO planner_meta.lexicon (phrase, related, relation, weight, source) \
    SELECT p, r, rel, w, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::real[]) \
        AS l(p, r, rel, w) \
    ON CONFLICT (phrase, related) DO NOTHING";

/// A lexicon row: (phrase, related, relation, weight, source).
type Link = (String, String, String, f64, String);

/// The strongest `MAX_ALTERNATES` links of each phrase (then by related
/// phrase), read natively: one index probe per phrase, nothing to plan.
fn links_of(phrases: &[String]) -> Result<Vec<Link>, PlannerError> {
    let table = Table::open("lexicon")?;
    let (related, relation, weight, source) = (
        table.column("related")?,
        table.column("relation")?,
        table.column("weight")?,
        table.column("source")?,
    );
    let mut out = Vec::new();
    for phrase in phrases {
        let mut links: Vec<Link> = Vec::new();
        table.scan_index("lexicon_pkey", &[Key::Text(1, phrase)], |row| {
            if let (Some(r), Some(rel), Some(w), Some(src)) = (
                row.text(related),
                row.text(relation),
                row.float4(weight),
                row.text(source),
            ) {
                links.push((phrase.clone(), r, rel, w, src));
            }
            Ok(true)
        })?;
        links.sort_by(|a, b| b.3.total_cmp(&a.3).then_with(|| collate_cmp(&a.1, &b.1)));
        links.truncate(MAX_ALTERNATES);
        out.extend(links);
    }
    Ok(out)
}

/// Replaces the lexicon's WordNet links with those of the database files
/// in `folder` (default: the `planner_meta.lexicon_path` setting), and
/// returns how many were written.  With `missing_ok`, a folder without
/// WordNet's files leaves the lexicon as it is and returns 0.
#[pg_extern(volatile, parallel_unsafe)]
fn load_lexicon(
    folder: default!(Option<&str>, "NULL"),
    missing_ok: default!(bool, false),
) -> Result<i64, pgrx::pg_sys::panic::ErrorReport> {
    let folder = match folder {
        Some(f) => f.to_string(),
        None => crate::guc::lexicon_path(),
    };
    let links = match wordnet::read(Path::new(&folder)) {
        Ok(links) => links,
        Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => {
            notice!(
                "planner_meta: no WordNet files in \"{folder}\"; plan() links by spelling alone"
            );
            return Ok(0);
        }
        Err(e) => return Err(PlannerError::LexiconFiles(format!("{folder}: {e}")).into()),
    };
    Ok(write(&links)?)
}

fn write(links: &[wordnet::Link]) -> Result<i64, PlannerError> {
    execute(
        "DELETE FROM planner_meta.lexicon WHERE source = $1",
        &[WORDNET.into()],
    )?;
    for batch in links.chunks(LOAD_BATCH) {
        let column = |f: fn(&wordnet::Link) -> String| batch.iter().map(f).collect::<Vec<_>>();
        let weights: Vec<f32> = batch.iter().map(|l| l.weight).collect();
        execute(
            INSERT_SQL,
            &[
                column(|l| l.phrase.clone()).into(),
                column(|l| l.related.clone()).into(),
                column(|l| l.relation.code().to_string()).into(),
                weights.into(),
                WORDNET.into(),
            ],
        )?;
    }
    execute("ANALYZE planner_meta.lexicon", &[])?;
    Ok(links.len() as i64)
}

/// The lexicon phrases a question can use: each content word's stem, and
/// each pair of adjacent content words, with the spans (start, length)
/// where they occur.
fn lookup_keys(q: &Question) -> BTreeMap<String, Vec<(usize, usize)>> {
    let content = |i: usize| !is_stopword(&q.words[i]) && q.words[i].parse::<f64>().is_err();
    let mut keys: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for i in (0..q.stems.len()).filter(|&i| content(i)) {
        keys.entry(q.stems[i].clone()).or_default().push((i, 1));
        if i + 1 < q.stems.len() && content(i + 1) {
            let pair = format!("{} {}", q.stems[i], q.stems[i + 1]);
            keys.entry(pair).or_default().push((i, 2));
        }
    }
    keys
}

/// `q` with the alternates the lexicon gives its words.
pub fn with_alternates(mut q: Question) -> Result<Question, PlannerError> {
    let keys = lookup_keys(&q);
    if keys.is_empty() {
        return Ok(q);
    }
    let phrases: Vec<String> = keys.keys().cloned().collect();
    let rows = links_of(&phrases)?;
    for (phrase, related, relation, weight, source) in rows {
        let Some(relation) = Relation::from_code(&relation) else {
            continue;
        };
        for &(start, len) in keys.get(&phrase).into_iter().flatten() {
            q.alternates.push(Alternate {
                start,
                len,
                stems: related.split(' ').map(str::to_string).collect(),
                relation,
                weight,
                source: source.clone(),
            });
        }
    }
    q.alternates.sort_by_key(|a| a.start);
    Ok(q)
}

#[cfg(any(test, feature = "pg_test"))]
#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::spi::select_json;

    /// The same read as SQL: the oracle the native read is checked against.
    const LINKS_SQL: &str = "\
        SELECT coalesce(jsonb_agg(jsonb_build_array(k.phrase, l.related, l.relation, l.weight, \
                                                    l.source)), '[]') \
          FROM unnest($1::text[]) AS k(phrase) \
         CROSS JOIN LATERAL (SELECT x.related, x.relation, x.weight, x.source \
                               FROM planner_meta.lexicon x WHERE x.phrase = k.phrase \
                              ORDER BY x.weight DESC, x.related LIMIT 24) l";

    #[pg_test]
    fn native_links_are_the_strongest_of_each_phrase_as_sql_orders_them() {
        Spi::run(
            "INSERT INTO planner_meta.lexicon (phrase, related, relation, weight, source)
             SELECT 'zorp', 'rel' || i, 'synonym', (1 + i % 7) / 10.0, 'test'
               FROM generate_series(1, 40) AS i
             UNION ALL SELECT 'zorp', 'Zed', 'broader', 0.8, 'test'
             UNION ALL SELECT 'quux', 'alpha', 'derived', 0.3, 'test'",
        )
        .expect("links are written");
        let phrases = vec!["quux".to_string(), "zorp".to_string(), "xqzvw".to_string()];
        let native = super::links_of(&phrases).expect("native read runs");
        let json = select_json(LINKS_SQL, &[phrases.into()]).expect("SQL runs");
        let by_sql: Vec<super::Link> = serde_json::from_value(json).expect("a list of links");
        assert_eq!(native, by_sql);
        assert_eq!(native.len(), 25, "24 links of zorp and the one of quux");
        assert_eq!(native[1].3, 0.8, "weights read as SQL passes them on");
    }
}
