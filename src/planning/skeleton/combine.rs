//! How the conditions of a question combine: equalities of one column
//! become one `IN`, conditions the question joins by "or" become
//! alternatives, and a number a comparison took is not also a value.

use super::Filter;

/// "under age 30 or with a black membership card", "whose last name is
/// Kohler or whose first name is Marina": conditions the question joins
/// by "or", with no "and" between them, hold one or the other.  The
/// filters then follow the question's order, so that each run of
/// alternatives is contiguous.
pub(super) fn join_alternatives(words: &[String], filters: &mut [Filter]) {
    let alternatives = |a: usize, b: usize| {
        let between = words.get(a + 1..b).unwrap_or_default();
        between.iter().any(|w| w == "or")
            && !between
                .iter()
                .any(|w| matches!(w.as_str(), "and" | "but" | "while"))
    };
    filters.sort_by_key(|f| f.at);
    let positions: Vec<Option<usize>> = filters.iter().map(|f| f.at).collect();
    for (i, pair) in positions.windows(2).enumerate() {
        if let [Some(a), Some(b)] = *pair {
            filters[i].or_next = alternatives(a, b);
        }
    }
}

/// "wines produced in 2008": a number a comparison took is not also a
/// value of some text column (`drink = '2008'`).
pub(super) fn drop_values_compared(filters: &mut Vec<Filter>) {
    let compared: Vec<usize> = filters
        .iter()
        .filter(|f| f.source == "question" && f.value.parse::<f64>().is_ok())
        .filter_map(|f| f.at)
        .collect();
    filters.retain(|f| {
        let number = f.value.chars().all(|c| c.is_ascii_digit());
        f.source == "question" || !number || !f.at.is_some_and(|a| compared.contains(&a))
    });
}

/// Equalities of one column with several values ("Aberdeen or Abilene",
/// "grade 9 or 10") become one `IN`: a row holds one value at a time.
pub(super) fn merge_equalities(filters: Vec<Filter>) -> Vec<Filter> {
    let mut out: Vec<Filter> = Vec::new();
    for f in filters {
        // Equalities become IN; exclusions ("neither food nor animal")
        // NOT IN.
        let (one, many) = match f.operator {
            "=" => ("=", "IN"),
            "<>" => ("<>", "NOT IN"),
            _ => {
                out.push(f);
                continue;
            }
        };
        let same = out
            .iter_mut()
            .find(|o| o.column == f.column && (o.operator == one || o.operator == many));
        match same {
            Some(o) => {
                let listed = match o.operator == many {
                    true => &o.literal[1..o.literal.len() - 1],
                    false => o.literal.as_str(),
                };
                o.literal = format!("({listed}, {})", f.literal);
                o.value = format!("{} or {}", o.value, f.value);
                o.operator = many;
            }
            None => out.push(f),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{merge_equalities, Filter};

    #[test]
    fn equalities_of_one_column_become_one_in() {
        let eq = |column: &str, value: &str| Filter {
            column: column.into(),
            operator: "=",
            value: value.into(),
            literal: format!("'{value}'"),
            source: "question".into(),
            ..Filter::default()
        };
        let merged = merge_equalities(vec![
            eq("airports.city", "Aberdeen"),
            eq("airports.country", "UK"),
            eq("airports.city", "Abilene"),
        ]);
        let sql: Vec<String> = merged.iter().map(Filter::sql).collect();
        assert_eq!(
            sql,
            vec![
                "airports.city IN ('Aberdeen', 'Abilene')",
                "airports.country = 'UK'"
            ]
        );
    }

    #[test]
    fn a_number_compared_is_not_also_a_value() {
        let filter = |source: &str, value: &str, at: usize| Filter {
            column: "c".into(),
            operator: "=",
            value: value.into(),
            literal: value.into(),
            source: source.into(),
            at: Some(at),
            ..Filter::default()
        };
        let mut filters = vec![
            filter("pg_stats", "2008", 4),
            filter("pg_stats", "Red", 2),
            filter("question", "2008", 4),
        ];
        super::drop_values_compared(&mut filters);
        let kept: Vec<(&str, &str)> = filters
            .iter()
            .map(|f| (f.source.as_str(), f.value.as_str()))
            .collect();
        assert_eq!(kept, vec![("pg_stats", "Red"), ("question", "2008")]);
    }

    #[test]
    fn alternatives_are_parenthesized_among_other_conditions() {
        let f = |column: &str, at: usize, or_next: bool| Filter {
            column: column.into(),
            operator: ">",
            literal: "1".into(),
            at: Some(at),
            or_next,
            ..Filter::default()
        };
        let filters = [f("a", 1, false), f("b", 3, true), f("c", 5, false)];
        assert_eq!(
            super::super::where_condition(&filters),
            "a > 1 AND (b > 1 OR c > 1)"
        );
    }
}
