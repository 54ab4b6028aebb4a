//! Settling type names once every site is known.
//!
//! Sites are grouped by base name. A group whose sites all have the same structure is one type
//! under the base name. When structures differ, a component schema keeps the base name and every
//! other structure is qualified by its context (`InstanceVolume`, `EndpointVolume`); a name that is
//! still taken gets a numeric suffix. Names therefore depend only on the colliding schemas, not on
//! the order or presence of unrelated ones.

use std::collections::{BTreeMap, BTreeSet};

use super::schema::Site;

/// Returns the final Rust name of every site, by site index.
///
/// `locked` maps site origins (`file#pointer`) to names published before: a type any of whose
/// sites has a locked name keeps it, and only types new to the lock are named by the rules
/// above, around the locked ones. So a new schema that collides with a published one is the one
/// that gets a qualified name.
pub fn settle(sites: &[Site], locked: &BTreeMap<String, String>) -> Vec<String> {
    // Group sites by base name; within a group, distinct keys in first-seen order.
    let mut groups: BTreeMap<&str, Vec<(&str, Vec<usize>)>> = BTreeMap::new();
    for (index, site) in sites.iter().enumerate() {
        let keys = groups.entry(site.base.as_str()).or_default();
        // Components never merge with each other or with inline schemas.
        let merge = keys.iter_mut().find(|(key, members)| {
            !site.component && !sites[members[0]].component && *key == site.key
        });
        match merge {
            Some((_, members)) => members.push(index),
            None => keys.push((site.key.as_str(), vec![index])),
        }
    }
    let mut names = vec![String::new(); sites.len()];
    // `Api` is the operations struct every module declares.
    let mut used: BTreeSet<String> = BTreeSet::from(["Api".to_owned()]);
    // Pass zero: published names stay.
    for keys in groups.values_mut() {
        keys.retain(|(_, members)| {
            let published = members
                .iter()
                .filter_map(|&m| locked.get(&sites[m].origin))
                .min();
            match published {
                Some(name) if !used.contains(name) => {
                    claim(&mut names, &mut used, name.clone(), members);
                    false
                }
                _ => true,
            }
        });
    }
    // First pass: uncontested bases, and the component that owns a contested base.
    let mut contested: Vec<(String, Vec<usize>)> = Vec::new();
    for (base, mut keys) in groups {
        if keys.is_empty() {
            continue;
        }
        let base_taken = used.contains(base);
        if let Some(owner) = keys.iter().position(|(_, m)| sites[m[0]].component) {
            let (_, members) = keys.remove(owner);
            claim(&mut names, &mut used, base.to_owned(), &members);
        } else if keys.len() == 1 && !base_taken {
            let (_, members) = keys.remove(0);
            claim(&mut names, &mut used, base.to_owned(), &members);
        }
        for (_, members) in keys {
            contested.push((base.to_owned(), members));
        }
    }
    // Second pass: qualified names for the rest, most specific context last.
    for (base, members) in contested {
        let site = &sites[members[0]];
        let candidates = site
            .qualifiers
            .iter()
            .filter(|q| !base.starts_with(q.as_str()))
            .map(|q| format!("{q}{base}"));
        let name = candidates
            .chain((2..).map(|n| format!("{}{n}", base.trim_end_matches('_'))))
            .find(|candidate| !used.contains(candidate))
            .unwrap_or_default();
        claim(&mut names, &mut used, name, &members);
    }
    names
}

/// The lock to commit after this run: every site's origin and the name it got.
pub fn lock(sites: &[Site], names: &[String]) -> BTreeMap<String, String> {
    sites
        .iter()
        .zip(names)
        .map(|(site, name)| (site.origin.clone(), name.clone()))
        .collect()
}

fn claim(names: &mut [String], used: &mut BTreeSet<String>, name: String, members: &[usize]) {
    let name = if used.contains(&name) {
        // `Self_` + 2 must read `Self2`: an underscore before a digit is not camel case.
        let stem = name.trim_end_matches('_').to_owned();
        (2..)
            .map(|n| format!("{stem}{n}"))
            .find(|c| !used.contains(c))
            .unwrap_or_default()
    } else {
        name
    };
    for &m in members {
        names[m].clone_from(&name);
    }
    used.insert(name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::schema::Site;

    fn site(base: &str, key: &str, qualifiers: &[&str], component: bool) -> Site {
        Site {
            base: base.to_owned(),
            qualifiers: qualifiers.iter().map(|q| (*q).to_owned()).collect(),
            key: key.to_owned(),
            component,
            doc: None,
            kind: None,
            origin: format!("{base}/{key}"),
        }
    }

    #[test]
    fn identical_structures_share_a_name() {
        let sites = [
            site("Env", "k", &["Instance"], false),
            site("Env", "k", &["Endpoint"], false),
        ];
        assert_eq!(settle(&sites, &BTreeMap::new()), ["Env", "Env"]);
    }

    #[test]
    fn different_structures_are_all_qualified() {
        let sites = [
            site("Volume", "a", &["Instance", "CreateInstance"], false),
            site("Volume", "b", &["Endpoint", "UpdateEndpoint"], false),
        ];
        assert_eq!(
            settle(&sites, &BTreeMap::new()),
            ["InstanceVolume", "EndpointVolume"]
        );
    }

    #[test]
    fn components_keep_their_names() {
        let sites = [
            site("Pet", "inline", &["Store"], false),
            site("Pet", "component", &[], true),
        ];
        assert_eq!(settle(&sites, &BTreeMap::new()), ["StorePet", "Pet"]);
    }

    #[test]
    fn unrelated_sites_do_not_shift_names() {
        let before = settle(&[site("Port", "p", &["Instance"], false)], &BTreeMap::new());
        let after = settle(
            &[
                site("Alpha", "x", &["Instance"], false),
                site("Port", "p", &["Instance"], false),
            ],
            &BTreeMap::new(),
        );
        assert_eq!(before[0], after[1]);
    }

    #[test]
    fn a_published_name_stays_when_a_colliding_shape_arrives() {
        let old = [site("Port", "p", &["Instance", "CreateInstance"], false)];
        let published = lock(&old, &settle(&old, &BTreeMap::new()));
        assert_eq!(published.values().collect::<Vec<_>>(), ["Port"]);
        // Without the lock both would be qualified (`InstancePort`, `PoolPort`).
        let new = [
            site("Port", "p", &["Instance", "CreateInstance"], false),
            site("Port", "q", &["Pool", "CreatePool"], false),
        ];
        assert_eq!(settle(&new, &BTreeMap::new()), ["InstancePort", "PoolPort"]);
        assert_eq!(settle(&new, &published), ["Port", "PoolPort"]);
    }

    #[test]
    fn exhausted_qualifiers_fall_back_to_numbers() {
        let sites = [
            site("Item", "a", &["List"], false),
            site("Item", "b", &["List"], false),
            site("ListItem", "c", &[], false),
        ];
        assert_eq!(
            settle(&sites, &BTreeMap::new()),
            ["Item2", "Item3", "ListItem"]
        );
    }
}
