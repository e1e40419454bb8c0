//! Join paths: connect the chosen tables through foreign keys with as few
//! hops as possible (a greedy Steiner tree over the FK graph), bringing in
//! bridge tables when no direct key exists.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::model::Model;

/// One join along a foreign key.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Table already in the tree, and the table it brings in.
    pub left: usize,
    pub right: usize,
    pub fk: usize,
}

/// A (table, column) of the foreign key's side and of the referenced side
/// that a join makes equal.
pub type KeyPair = ((usize, usize), (usize, usize));

/// The column pairs the joins make equal.
pub fn key_pairs(model: &Model, joins: &[&Join]) -> Vec<KeyPair> {
    let position =
        |t: usize, name: &String| model.tables[t].columns.iter().position(|x| &x.name == name);
    let mut pairs = Vec::new();
    for j in joins {
        let (f, t, fk) = &model.foreign_keys[j.fk];
        for (a, b) in fk.from_columns.iter().zip(&fk.to_columns) {
            if let (Some(ca), Some(cb)) = (position(*f, a), position(*t, b)) {
                pairs.push(((*f, ca), (*t, cb)));
            }
        }
    }
    pairs
}

/// Undirected adjacency: table -> (neighbour, fk index).  Edges into a
/// table's primary key through a unique (one-to-one) key come first, so
/// ties prefer them; then keys on earlier columns (friend.student_id before
/// friend.friend_id: the first key column is usually the row's subject).
fn adjacency(model: &Model) -> HashMap<usize, Vec<(usize, usize)>> {
    let mut adj: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
    for (i, (from, to, _)) in model.foreign_keys.iter().enumerate() {
        if from == to {
            continue;
        }
        adj.entry(*from).or_default().push((*to, i));
        adj.entry(*to).or_default().push((*from, i));
    }
    let first_column = |fk: usize| {
        let (from, _, key) = &model.foreign_keys[fk];
        let columns = &model.tables[*from].columns;
        key.from_columns
            .first()
            .and_then(|c| columns.iter().position(|x| &x.name == c))
            .unwrap_or(usize::MAX)
    };
    for list in adj.values_mut() {
        list.sort_by_key(|&(n, fk)| {
            (
                !model.foreign_keys[fk].2.one_to_one,
                n,
                first_column(fk),
                fk,
            )
        });
    }
    adj
}

/// Shortest path from any tree table to `target`, as (parent, child, fk) hops.
fn path_to(
    adj: &HashMap<usize, Vec<(usize, usize)>>,
    tree: &BTreeSet<usize>,
    target: usize,
) -> Option<Vec<Join>> {
    let mut prev: HashMap<usize, (usize, usize)> = HashMap::new();
    let mut queue: VecDeque<usize> = tree.iter().copied().collect();
    let mut seen: BTreeSet<usize> = tree.clone();
    while let Some(t) = queue.pop_front() {
        if t == target {
            let mut hops = Vec::new();
            let mut cur = target;
            while let Some(&(p, fk)) = prev.get(&cur) {
                hops.push(Join {
                    left: p,
                    right: cur,
                    fk,
                });
                cur = p;
            }
            hops.reverse();
            return Some(hops);
        }
        for &(n, fk) in adj.get(&t).into_iter().flatten() {
            if seen.insert(n) {
                prev.insert(n, (t, fk));
                queue.push_back(n);
            }
        }
    }
    None
}

/// Joins connecting `chosen` (most relevant first); tables that cannot be
/// reached are returned separately.
pub fn connect(model: &Model, chosen: &[usize]) -> (Vec<Join>, Vec<usize>) {
    let adj = adjacency(model);
    let mut joins = Vec::new();
    let mut unreachable = Vec::new();
    let Some(&first) = chosen.first() else {
        return (joins, unreachable);
    };
    let mut tree: BTreeSet<usize> = BTreeSet::from([first]);
    // Nearest remaining table first keeps the tree small.
    let mut rest: Vec<usize> = chosen[1..].to_vec();
    while !rest.is_empty() {
        let best = rest
            .iter()
            .enumerate()
            .filter_map(|(i, &t)| path_to(&adj, &tree, t).map(|p| (p.len(), i, p)))
            .min_by_key(|(len, i, _)| (*len, *i));
        match best {
            Some((_, i, path)) => {
                for hop in path {
                    tree.insert(hop.right);
                    joins.push(hop);
                }
                rest.remove(i);
            }
            None => {
                unreachable.append(&mut rest);
            }
        }
    }
    (joins, unreachable)
}
