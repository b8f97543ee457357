//! Inspiration from peers: for each of an organisation's two weakest
//! categories, initiatives of other organisations of its default peer
//! group that score clearly higher there (the group's top third in the
//! category) and allow their initiatives to be shared, ranked by how far
//! ahead they are.

use std::collections::BTreeMap;

use crate::analyse::Level;
use crate::model::Model;
use crate::organisations::{default_peer, Organisation};
use crate::peers::Directory;
use crate::portfolio::{Initiative, Register};

/// At most this many initiatives per category.
pub const MAX_IDEAS: usize = 5;

/// At most this many of them from one peer.
pub const PER_PEER: usize = 2;

/// One initiative of a peer that leads in the category.
#[derive(Debug, Clone, PartialEq)]
pub struct Idea {
    /// The peer's name.
    pub organisation: String,
    /// Its index in the category.
    pub index: f64,
    /// How far ahead of the organisation it is, in index points.
    pub lead: f64,
    pub initiative: Initiative,
}

/// One of the organisation's two weakest categories, with what its
/// leading peers do there.
#[derive(Debug, Clone, PartialEq)]
pub struct Inspiration {
    /// The category's code.
    pub category: String,
    /// The organisation's index in it.
    pub index: f64,
    /// The peer group: its `[peers] groups` column and value.
    pub group: (String, String),
    /// Organisations of the group with the category's index, itself
    /// counted.
    pub n: usize,
    /// Peers in the group's top third that are ahead of it.
    pub leaders: usize,
    /// Of those, the ones that share their initiatives.
    pub sharing: usize,
    /// Up to [`MAX_IDEAS`] initiatives, the largest lead first.
    pub ideas: Vec<Idea>,
}

/// Fills every organisation's [`Organisation::inspiration`] for each of
/// its years with a default peer group (see [`default_peer`]). The peers'
/// initiatives are those of the same year's portfolio that strengthen the
/// category (directly or through a statement).
pub fn attach(
    orgs: &mut [Organisation],
    model: &Model,
    directory: &Directory,
    register: &Register,
) {
    if directory.organisations.is_empty() || orgs.len() < 2 {
        return;
    }
    let mut by_org: BTreeMap<&str, Vec<&Initiative>> = BTreeMap::new();
    for i in &register.initiatives {
        if let Some(o) = &i.organisation {
            by_org.entry(o).or_default().push(i);
        }
    }
    let shares: Vec<bool> = orgs
        .iter()
        .map(|o| directory.get(&o.name).is_some_and(|d| d.shares))
        .collect();
    let total = |o: &Organisation, key: &(i32, Level, String)| {
        o.peers
            .get(key)
            .and_then(|f| default_peer(f))
            .map(|f| (f.group.clone(), f.value.clone()))
    };
    let years: std::collections::BTreeSet<i32> = orgs
        .iter()
        .flat_map(|o| o.analysis.years.iter().copied())
        .collect();
    let mut found: Vec<BTreeMap<i32, Vec<Inspiration>>> = vec![BTreeMap::new(); orgs.len()];
    for year in years {
        // every organisation's default group that year, and every group's
        // members (whichever group is their own default)
        let key = (year, Level::Total, "total".to_string());
        let groups: Vec<Option<(String, String)>> = orgs.iter().map(|o| total(o, &key)).collect();
        let mut members: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
        for (j, o) in orgs.iter().enumerate() {
            for f in o.peers.get(&key).into_iter().flatten() {
                members.entry((&f.group, &f.value)).or_default().push(j);
            }
        }
        for (i, group) in groups.iter().enumerate() {
            let (Some(group), Some(own)) = (group, orgs[i].analysis.organisation(year)) else {
                continue;
            };
            let Some(peers) = members.get(&(group.0.as_str(), group.1.as_str())) else {
                continue;
            };
            let list: Vec<Inspiration> = own
                .categories_ascending(model)
                .into_iter()
                .take(2)
                .map(|(index, c)| {
                    let code = &model.categories[c].code;
                    let scores = |j: usize| {
                        orgs[j]
                            .analysis
                            .organisation(year)
                            .filter(|g| g.shown())
                            .and_then(|g| g.index(Level::Category, code))
                    };
                    let ranked = top_third(
                        peers.iter().filter_map(|&j| scores(j).map(|v| (j, v))),
                        |j| &orgs[j].name,
                    );
                    let leaders: Vec<(usize, f64)> = ranked
                        .top
                        .into_iter()
                        // ahead as printed, not by a rounding
                        .filter(|&(j, v)| j != i && crate::format::displayed(v - index, 1) > 0.0)
                        .collect();
                    let sharing: Vec<(usize, f64)> = leaders
                        .iter()
                        .copied()
                        .filter(|&(j, _)| shares[j])
                        .collect();
                    let ideas = sharing
                        .iter()
                        .flat_map(|&(j, v)| {
                            let name = &orgs[j].name;
                            by_org
                                .get(name.as_str())
                                .into_iter()
                                .flatten()
                                .filter(|x| x.year == year && x.categories.contains(code))
                                // at most two of one peer, so that several lead
                                .take(PER_PEER)
                                .map(move |x| Idea {
                                    organisation: name.clone(),
                                    index: v,
                                    lead: v - index,
                                    initiative: (*x).clone(),
                                })
                        })
                        .take(MAX_IDEAS)
                        .collect();
                    Inspiration {
                        category: code.clone(),
                        index,
                        group: group.clone(),
                        n: ranked.n,
                        leaders: leaders.len(),
                        sharing: sharing.len(),
                        ideas,
                    }
                })
                .collect();
            found[i].insert(year, list);
        }
    }
    for (o, f) in orgs.iter_mut().zip(found) {
        o.inspiration = f;
    }
}

/// The members of a group with their scores, highest first (ties by
/// name), cut to the top third (rounded up) of the `n` members.
struct TopThird {
    top: Vec<(usize, f64)>,
    n: usize,
}

fn top_third<'a>(
    scores: impl Iterator<Item = (usize, f64)>,
    name: impl Fn(usize) -> &'a String,
) -> TopThird {
    let mut all: Vec<(usize, f64)> = scores.collect();
    all.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| name(a.0).cmp(name(b.0))));
    let n = all.len();
    all.truncate(n.div_ceil(3));
    TopThird { top: all, n }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::{Analysis, Figure, GroupResult};
    use crate::organisations::PeerFigure;
    use crate::peers::OrganisationInfo;
    use crate::portfolio::Status;

    /// An organisation of group "typ=kommun" with these category indices.
    fn org(name: &str, cats: &[(&str, f64)]) -> Organisation {
        let figure = |v: f64| Figure {
            index: Some(v),
            ..Figure::default()
        };
        let group = GroupResult {
            year: 2025,
            group: crate::analyse::Group::Organisation,
            respondents: 50,
            suppression: None,
            statements: Default::default(),
            categories: cats
                .iter()
                .map(|(c, v)| (c.to_string(), figure(*v)))
                .collect(),
            dimensions: Default::default(),
            total: figure(50.0),
        };
        let mut analysis = Analysis {
            years: vec![2025],
            ..Analysis::default()
        };
        analysis.groups.insert(group.key(), group);
        let peer = PeerFigure {
            group: "typ".into(),
            column: crate::peers::GroupColumn::Kind,
            employees: false,
            value: "kommun".into(),
            n: 6,
            benchmark: Some(50.0),
            percentile: Some(50.0),
        };
        Organisation {
            name: name.into(),
            folder: Some(name.to_lowercase()),
            analysis,
            respondents: Vec::new(),
            ranks: Default::default(),
            peers: [((2025, Level::Total, "total".to_string()), vec![peer])].into(),
            inspiration: Default::default(),
            units: Vec::new(),
            extent: Default::default(),
        }
    }

    fn initiative(org: &str, id: &str, cat: &str) -> Initiative {
        Initiative {
            year: 2025,
            id: id.into(),
            name: format!("{org} {id}"),
            unit: None,
            organisation: Some(org.into()),
            status: Status::Ongoing,
            start: None,
            end: None,
            budget: None,
            statements: Vec::new(),
            categories: vec![cat.into()],
            axes: [Some(1.0), None, Some(-1.0)],
            file: "initiativ.csv".into(),
            row: 2,
        }
    }

    #[test]
    fn leading_sharing_peers_in_lead_order() {
        let model = Model::builtin();
        let (weak, second) = (&model.categories[0].code, &model.categories[1].code);
        // every other category at 80, so that `weak` and `second` are the
        // two weakest of A; A is at 40 and 45 in them
        let cats = |a: f64, b: f64| -> Vec<(&str, f64)> {
            model
                .categories
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.as_str(), [a, b].get(i).copied().unwrap_or(80.0)))
                .collect()
        };
        let mut orgs = vec![
            org("A", &cats(40.0, 45.0)),
            org("B", &cats(70.0, 50.0)),
            org("C", &cats(60.0, 90.0)),
            org("D", &cats(75.0, 10.0)),
            org("E", &cats(30.0, 20.0)),
            org("F", &cats(35.0, 30.0)),
        ];
        let info = |name: &str, shares: bool| OrganisationInfo {
            name: name.into(),
            kind: Some("kommun".into()),
            size: None,
            county: None,
            shares,
            columns: Default::default(),
            file: "organisationer.csv".into(),
            row: 2,
        };
        let directory = Directory {
            organisations: vec![
                info("A", true),
                info("B", true),
                info("C", true),
                info("D", false),
                info("E", true),
                info("F", true),
            ],
            files: vec!["organisationer.csv".into()],
            size_counts_employees: false,
        };
        let register = Register {
            initiatives: vec![
                initiative("B", "B1", weak),
                initiative("B", "B2", second),
                initiative("C", "C1", weak),
                initiative("C", "C2", second),
                initiative("D", "D1", weak),
                initiative("E", "E1", weak),
            ],
            proposals: Vec::new(),
            files: vec!["initiativ.csv".into()],
        };
        attach(&mut orgs, &model, &directory, &register);
        let list = &orgs[0].inspiration[&2025];
        assert_eq!(list.len(), 2);
        // weak: D 75, B 70, C 60, A 40, F 35, E 30; top third = D, B; D
        // does not share, so only B's initiative in the category
        let w = &list[0];
        assert_eq!(
            (w.category.as_str(), w.index, w.n),
            (weak.as_str(), 40.0, 6)
        );
        assert_eq!((w.leaders, w.sharing), (2, 1));
        let ids: Vec<&str> = w.ideas.iter().map(|i| i.initiative.id.as_str()).collect();
        assert_eq!(ids, ["B1"]);
        assert_eq!(w.ideas[0].lead, 30.0);
        // second: C 90, B 50, A 45, F 30, E 20, D 10; top third = C, B,
        // C furthest ahead first
        let s = &list[1];
        assert_eq!((s.leaders, s.sharing), (2, 2));
        let ids: Vec<&str> = s.ideas.iter().map(|i| i.initiative.id.as_str()).collect();
        assert_eq!(ids, ["C2", "B2"]);
        assert_eq!((s.ideas[0].lead, s.ideas[1].lead), (45.0, 5.0));
        // D never appears, in anyone's lists
        assert!(orgs
            .iter()
            .flat_map(|o| o.inspiration.values().flatten())
            .flat_map(|c| &c.ideas)
            .all(|i| i.organisation != "D"));
    }

    #[test]
    fn top_third_rounds_up_and_breaks_ties_by_name() {
        let names: Vec<String> = ["d", "c", "b", "a", "e"].map(String::from).to_vec();
        let t = top_third(
            [(0, 50.0), (1, 70.0), (2, 60.0), (3, 70.0), (4, 10.0)].into_iter(),
            |j| &names[j],
        );
        assert_eq!(t.n, 5);
        // ceil(5 / 3) = 2: the two at 70, "a" (3) before "c" (1)
        assert_eq!(t.top, vec![(3, 70.0), (1, 70.0)]);
    }
}
