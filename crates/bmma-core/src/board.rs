//! The scores board: what one viewer sees of an assessment's scoring. The central rule of
//! independent scoring lives here: an expert sees the others' ratings of an indicator only
//! once they have rated it themselves; whoever agrees scores sees every rating. Every place
//! that shows a rating (the scores page and API, the indicator page, the history) builds the
//! board and asks it.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::aggregation::{Aggregate, AggregationMethod, Rating, aggregate};
use crate::assessment::Scope;
use crate::framework::Framework;
use crate::records::{AgreedScore, ExpertRating, Member};
use crate::scoring::{Spread, spread};

/// What the board is built from: the assessment's scoring records.
#[derive(Debug, Clone, Copy)]
pub struct ScoreRecords<'a> {
    /// (element code, user id) of each assignment.
    pub assignments: &'a [(String, String)],
    pub members: &'a [Member],
    pub ratings: &'a [ExpertRating],
    pub agreed: &'a [AgreedScore],
}

/// Who looks at the board, and what the access table lets them do.
#[derive(Debug, Clone, Copy)]
pub struct Viewer<'a> {
    pub user_id: &'a str,
    /// May agree scores (the team lead, administrators): sees every rating.
    pub sees_all: bool,
    /// May rate the indicators of the elements they are assigned to.
    pub may_rate: bool,
}

/// Everything known about the scoring of one indicator, as the viewer may see it.
#[derive(Debug, Serialize)]
pub struct IndicatorScores<'a> {
    pub code: &'a str,
    pub in_scope: bool,
    /// E-mail addresses of the experts assigned to the indicator's element.
    pub assigned: Vec<&'a str>,
    /// The viewer is assigned and may rate it.
    pub mine_to_rate: bool,
    /// The viewer's own rating, if any.
    pub mine: Option<&'a ExpertRating>,
    /// Every rating, once the viewer may see them: after rating it themselves, or as team lead.
    pub ratings: Option<Vec<&'a ExpertRating>>,
    pub rated_by: usize,
    pub spread: Option<Spread>,
    pub agreed: Option<&'a AgreedScore>,
}

/// An element's score, from the agreed scores of its indicators in scope.
#[derive(Debug, Serialize)]
pub struct ElementScore<'a> {
    pub code: &'a str,
    pub method: AggregationMethod,
    pub aggregate: Aggregate,
    pub in_scope: usize,
    pub rated: usize,
    pub agreed: usize,
    pub disagreements: usize,
}

/// A component's score, from the agreed scores of all its indicators in scope (not from its
/// elements' scores, so no indicator counts twice).
#[derive(Debug, Serialize)]
pub struct ComponentScore<'a> {
    pub code: &'a str,
    pub method: AggregationMethod,
    pub aggregate: Aggregate,
    pub in_scope: usize,
    pub agreed: usize,
}

#[derive(Debug, Serialize)]
pub struct ScoreBoard<'a> {
    pub indicators: Vec<IndicatorScores<'a>>,
    pub elements: Vec<ElementScore<'a>>,
    pub components: Vec<ComponentScore<'a>>,
}

impl ScoreBoard<'_> {
    /// Codes of the indicators whose ratings by others the viewer may not see yet.
    pub fn hidden_ratings(&self) -> BTreeSet<&str> {
        self.indicators.iter().filter(|i| i.ratings.is_none()).map(|i| i.code).collect()
    }
}

/// Builds the board of `viewer` over `records`, for an assessment of `framework` limited to
/// `scope`. The scope is resolved once, into the set of indicators it covers.
pub fn board<'a>(
    records: ScoreRecords<'a>,
    viewer: Viewer<'_>,
    scope: &Scope,
    framework: &'a Framework,
) -> ScoreBoard<'a> {
    let covered = scope.indicators_covered(framework);
    let email_of: HashMap<&str, &str> =
        records.members.iter().map(|m| (m.user_id.as_str(), m.email.as_str())).collect();
    let mut assigned: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut mine: BTreeSet<&str> = BTreeSet::new();
    for (element, user_id) in records.assignments {
        assigned
            .entry(element.as_str())
            .or_default()
            .push(email_of.get(user_id.as_str()).copied().unwrap_or("?"));
        if user_id == viewer.user_id {
            mine.insert(element.as_str());
        }
    }
    let mut ratings: HashMap<&str, Vec<&ExpertRating>> = HashMap::new();
    for rating in records.ratings {
        ratings.entry(rating.indicator.as_str()).or_default().push(rating);
    }
    let agreed: HashMap<&str, &AgreedScore> =
        records.agreed.iter().map(|a| (a.indicator.as_str(), a)).collect();
    let lowest = framework.lowest_level();

    let mut indicators = Vec::new();
    let mut elements = Vec::new();
    let mut components = Vec::new();
    for component in &framework.components {
        let mut component_ratings = Vec::new();
        let (mut component_in_scope, mut component_agreed) = (0, 0);
        for element in &component.elements {
            let mut agreed_ratings = Vec::new();
            let (mut in_scope_count, mut rated, mut agreed_count, mut disagreements) = (0, 0, 0, 0);
            for indicator in &element.indicators {
                let in_scope = covered.contains(indicator.code.as_str());
                let all = ratings.remove(indicator.code.as_str()).unwrap_or_default();
                let own = all.iter().find(|r| r.user_id == viewer.user_id).copied();
                let spread = spread(&all.iter().map(|r| r.rating).collect::<Vec<_>>(), lowest);
                let score = agreed.get(indicator.code.as_str()).copied();
                if in_scope {
                    in_scope_count += 1;
                    rated += usize::from(!all.is_empty());
                    agreed_count += usize::from(score.is_some());
                    disagreements += usize::from(spread.disagreement && score.is_none());
                    agreed_ratings.push(score.map_or(Rating::NotAssessed, |s| s.rating));
                }
                let visible = viewer.sees_all || own.is_some();
                indicators.push(IndicatorScores {
                    code: &indicator.code,
                    in_scope,
                    assigned: assigned.get(element.code.as_str()).cloned().unwrap_or_default(),
                    mine_to_rate: viewer.may_rate && mine.contains(element.code.as_str()),
                    rated_by: all.len(),
                    spread: visible.then_some(spread),
                    ratings: visible.then_some(all),
                    mine: own,
                    agreed: score,
                });
            }
            elements.push(ElementScore {
                code: &element.code,
                method: element.aggregation,
                aggregate: aggregate(element.aggregation, &agreed_ratings, lowest, &framework.averaging),
                in_scope: in_scope_count,
                rated,
                agreed: agreed_count,
                disagreements,
            });
            component_in_scope += in_scope_count;
            component_agreed += agreed_count;
            component_ratings.extend(agreed_ratings);
        }
        components.push(ComponentScore {
            code: &component.code,
            method: component.aggregation,
            agreed: component_agreed,
            aggregate: aggregate(component.aggregation, &component_ratings, lowest, &framework.averaging),
            in_scope: component_in_scope,
        });
    }
    ScoreBoard { indicators, elements, components }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;
    use crate::aggregation::AggregateScore;
    use crate::framework::{Component, Element, EvidenceGuidance, Indicator, LevelDescriptor, ScaleLevel};
    use crate::records::Author;
    use AggregationMethod::*;
    use Rating::*;

    fn indicator(code: &str) -> Indicator {
        Indicator {
            code: code.into(),
            title: format!("Indicator {code}"),
            question: String::new(),
            topics: Vec::new(),
            levels: (1..=5).map(|level| LevelDescriptor { level, text: format!("level {level}") }).collect(),
            evidence: EvidenceGuidance::default(),
            not_applicable: None,
            reference_list: None,
            actions: Vec::new(),
        }
    }

    fn element(code: &str, aggregation: AggregationMethod, indicators: &[&str]) -> Element {
        Element {
            code: code.into(),
            name: code.into(),
            summary: String::new(),
            aggregation,
            aggregation_reason: String::new(),
            indicators: indicators.iter().map(|c| indicator(c)).collect(),
        }
    }

    /// C1 holds E1 (weakest link: E1.1, E1.2) and E2 (minimum: E2.1), and combines them by
    /// averaging in halves; C2 holds E3 (mean: E3.1, E3.2) and combines by weakest link.
    fn framework() -> Framework {
        Framework {
            id: "t".into(),
            version: "1".into(),
            name: "Test".into(),
            summary: String::new(),
            language: "en".into(),
            scale: (1..=5)
                .map(|level| ScaleLevel {
                    level,
                    name: level.to_string(),
                    meaning: String::new(),
                    terms: Vec::new(),
                })
                .collect(),
            quantifiers: Vec::new(),
            topics: Vec::new(),
            averaging: crate::aggregation::tests::halves(),
            agencies: Vec::new(),
            rules: Default::default(),
            components: vec![
                Component {
                    code: "C1".into(),
                    name: "C1".into(),
                    summary: String::new(),
                    aggregation: Averaging,
                    elements: vec![
                        element("E1", WeakestLink, &["E1.1", "E1.2"]),
                        element("E2", Minimum, &["E2.1"]),
                    ],
                },
                Component {
                    code: "C2".into(),
                    name: "C2".into(),
                    summary: String::new(),
                    aggregation: WeakestLink,
                    elements: vec![element("E3", Mean, &["E3.1", "E3.2"])],
                },
            ],
        }
    }

    fn member(user: &str, role: Role) -> Member {
        Member {
            user_id: user.into(),
            email: format!("{user}@example.org"),
            name: user.into(),
            role,
            added_at: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn rating(indicator: &str, user: &str, rating: Rating) -> ExpertRating {
        ExpertRating {
            indicator: indicator.into(),
            user_id: user.into(),
            email: format!("{user}@example.org"),
            name: user.into(),
            rating,
            justification: format!("{user} on {indicator}"),
            evidence: Vec::new(),
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    fn agreed(indicator: &str, rating: Rating) -> AgreedScore {
        AgreedScore {
            indicator: indicator.into(),
            rating,
            narrative: "agreed".into(),
            evidence: Vec::new(),
            agreed_by: Author { user_id: Some("lead".into()), name: "Lead".into() },
            updated_at: time::OffsetDateTime::UNIX_EPOCH,
            version: 1,
        }
    }

    struct Records {
        assignments: Vec<(String, String)>,
        members: Vec<Member>,
        ratings: Vec<ExpertRating>,
        agreed: Vec<AgreedScore>,
    }

    impl Records {
        fn get(&self) -> ScoreRecords<'_> {
            ScoreRecords {
                assignments: &self.assignments,
                members: &self.members,
                ratings: &self.ratings,
                agreed: &self.agreed,
            }
        }
    }

    /// Ada and Bob are assigned to E1; Ada rated E1.1, Bob rated E1.1 and E1.2.
    fn team() -> Records {
        Records {
            assignments: vec![("E1".into(), "ada".into()), ("E1".into(), "bob".into())],
            members: vec![
                member("lead", Role::TeamLead),
                member("ada", Role::Expert),
                member("bob", Role::Expert),
            ],
            ratings: vec![
                rating("E1.1", "ada", Level(2)),
                rating("E1.1", "bob", Level(4)),
                rating("E1.2", "bob", Level(3)),
            ],
            agreed: Vec::new(),
        }
    }

    fn viewer(user_id: &str, sees_all: bool, may_rate: bool) -> Viewer<'_> {
        Viewer { user_id, sees_all, may_rate }
    }

    fn shown<'a>(board: &'a ScoreBoard<'a>, code: &str) -> &'a IndicatorScores<'a> {
        board.indicators.iter().find(|i| i.code == code).unwrap()
    }

    #[test]
    fn each_viewer_sees_the_others_ratings_only_as_independence_allows() {
        let framework = framework();
        let records = team();
        // (viewer, ratings of E1.1 seen, ratings of E1.2 seen, indicators hidden)
        type Case<'a> = (Viewer<'a>, Option<usize>, Option<usize>, Vec<&'a str>);
        let cases: [Case; 4] = [
            // The lead agrees scores and sees everyone's.
            (viewer("lead", true, true), Some(2), Some(1), vec![]),
            // Ada rated E1.1 only: she sees both ratings there, Bob's E1.2 stays hidden.
            (viewer("ada", false, true), Some(2), None, vec!["E1.2", "E2.1", "E3.1", "E3.2"]),
            // Bob rated both.
            (viewer("bob", false, true), Some(2), Some(1), vec!["E2.1", "E3.1", "E3.2"]),
            // An observer rates nothing and sees no rating, only how many there are.
            (viewer("olga", false, false), None, None, vec!["E1.1", "E1.2", "E2.1", "E3.1", "E3.2"]),
        ];
        for (who, first, second, hidden) in cases {
            let board = board(records.get(), who, &Scope::everything(), &framework);
            let (e11, e12) = (shown(&board, "E1.1"), shown(&board, "E1.2"));
            assert_eq!(e11.ratings.as_ref().map(Vec::len), first, "{} on E1.1", who.user_id);
            assert_eq!(e12.ratings.as_ref().map(Vec::len), second, "{} on E1.2", who.user_id);
            assert_eq!(e11.spread.is_some(), first.is_some(), "the spread is as hidden as the ratings");
            assert_eq!((e11.rated_by, e12.rated_by), (2, 1), "the count of ratings is never hidden");
            assert_eq!(board.hidden_ratings().into_iter().collect::<Vec<_>>(), hidden, "{}", who.user_id);
        }
        let ada = board(records.get(), viewer("ada", false, true), &Scope::everything(), &framework);
        assert_eq!(shown(&ada, "E1.1").mine.map(|r| r.rating), Some(Level(2)), "her own rating");
        assert!(shown(&ada, "E1.1").spread.unwrap().disagreement, "2 and 4 are two levels apart");
    }

    #[test]
    fn only_an_assigned_viewer_who_may_rate_has_the_indicator_to_rate() {
        let framework = framework();
        let records = team();
        for (user, may_rate, e1, e2) in
            [("ada", true, true, false), ("ada", false, false, false), ("lead", true, false, false)]
        {
            let board = board(records.get(), viewer(user, false, may_rate), &Scope::everything(), &framework);
            assert_eq!(shown(&board, "E1.1").mine_to_rate, e1, "{user} may_rate={may_rate} on E1");
            assert_eq!(shown(&board, "E2.1").mine_to_rate, e2, "{user} may_rate={may_rate} on E2");
        }
        let board = board(records.get(), viewer("lead", true, true), &Scope::everything(), &framework);
        assert_eq!(shown(&board, "E1.2").assigned, ["ada@example.org", "bob@example.org"]);
    }

    #[test]
    fn the_scope_decides_which_indicators_count_and_a_change_of_scope_moves_them() {
        let framework = framework();
        let mut records = team();
        records.agreed = vec![agreed("E1.1", Level(2)), agreed("E2.1", Level(5)), agreed("E3.1", Level(4))];
        let lead = viewer("lead", true, true);
        for (scope, in_scope, e1_counted, c1_score) in [
            // Everything: C1 averages 2 and 5 (3.5 converts to 3+).
            (
                Scope::everything(),
                vec!["E1.1", "E1.2", "E2.1", "E3.1", "E3.2"],
                2,
                Some(AggregateScore::Level { level: 3, plus: true }),
            ),
            // One element: only E1 counts, and C1 is that element's single agreed score.
            (
                Scope(Some(vec!["E1".into()])),
                vec!["E1.1", "E1.2"],
                2,
                Some(AggregateScore::Level { level: 2, plus: false }),
            ),
            // One indicator, chosen by its own code.
            (
                Scope(Some(vec!["E2.1".into()])),
                vec!["E2.1"],
                0,
                Some(AggregateScore::Level { level: 5, plus: false }),
            ),
            // A whole component, C2: nothing of C1 counts.
            (Scope(Some(vec!["C2".into()])), vec!["E3.1", "E3.2"], 0, None),
        ] {
            let board = board(records.get(), lead, &scope, &framework);
            let covered: Vec<&str> = board.indicators.iter().filter(|i| i.in_scope).map(|i| i.code).collect();
            assert_eq!(covered, in_scope, "{scope:?}");
            assert_eq!(board.elements[0].in_scope, e1_counted, "{scope:?}");
            assert_eq!(board.components[0].aggregate.score, c1_score, "{scope:?}");
            assert_eq!(board.indicators.len(), 5, "every indicator is listed, in scope or not");
        }
    }

    #[test]
    fn each_element_and_component_combines_its_agreed_scores_by_its_own_method() {
        let framework = framework();
        let mut records = team();
        records.agreed = vec![
            agreed("E1.1", Level(2)),
            agreed("E1.2", Level(4)),
            agreed("E2.1", InsufficientEvidence),
            agreed("E3.1", Level(3)),
            agreed("E3.2", Level(4)),
        ];
        let board = board(records.get(), viewer("lead", true, true), &Scope::everything(), &framework);
        let scores: Vec<(&str, AggregationMethod, Option<AggregateScore>)> =
            board.elements.iter().map(|e| (e.code, e.method, e.aggregate.score)).collect();
        assert_eq!(
            scores,
            [
                // The lowest, with a plus because another is higher.
                ("E1", WeakestLink, Some(AggregateScore::Level { level: 2, plus: true })),
                // Insufficient evidence counts as the lowest level, and is flagged.
                ("E2", Minimum, Some(AggregateScore::Level { level: 1, plus: false })),
                // 3 and 4 average 3.5.
                ("E3", Mean, Some(AggregateScore::Mean { tenths: 35 })),
            ]
        );
        assert!(board.elements[1].aggregate.insufficient_evidence);
        // C1 averages E1.1, E1.2 and E2.1 (2, 4, 1: 2.33 converts to 2); C2 is the weakest link of 3 and 4.
        assert_eq!(
            board.components[0].aggregate.score,
            Some(AggregateScore::Level { level: 2, plus: false })
        );
        assert_eq!(board.components[1].aggregate.score, Some(AggregateScore::Level { level: 3, plus: true }));
        assert_eq!((board.components[0].agreed, board.components[0].in_scope), (3, 3));
    }

    #[test]
    fn a_disagreement_counts_until_the_team_agrees_a_score() {
        let framework = framework();
        let mut records = team();
        let lead = viewer("lead", true, true);
        assert_eq!(board(records.get(), lead, &Scope::everything(), &framework).elements[0].disagreements, 1);
        records.agreed = vec![agreed("E1.1", Level(3))];
        let board = board(records.get(), lead, &Scope::everything(), &framework);
        assert_eq!(
            (board.elements[0].disagreements, board.elements[0].rated, board.elements[0].agreed),
            (0, 2, 1)
        );
    }
}
