//! Assignments of elements to experts, the experts' ratings and the agreed scores.

use bmma_core::Rating;
pub use bmma_core::records::{AgreedScore, ExpertRating};

use crate::accounts::User;
use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, Value, gather_links, link_rows, now};
use crate::{Store, StoreError};
use bmma_core::records::{Author, Member};

/// What is saved: a rating (or agreed score) with its written reason, over `expected_version`
/// (0 for the first save).
#[derive(Debug, Clone)]
pub struct ScoreSave<'a> {
    pub assessment_id: &'a str,
    pub indicator: &'a str,
    pub rating: Rating,
    pub text: &'a str,
    /// Ids of the evidence items cited, already checked against the register.
    pub evidence: &'a [String],
    pub expected_version: i64,
}

/// Marks the scores as changed, and fails the write unless `user` is assigned to `element`:
/// only assigned experts rate, checked in the write that saves the rating.
fn scores_changed_by_assignee(save: &ScoreSave<'_>, element: &str, user: &User) -> Statement {
    Statement::new(
        "UPDATE assessments SET scores_version = scores_version + 1 WHERE id = $1 AND EXISTS \
         (SELECT 1 FROM assignments WHERE assessment_id = $1 AND element_code = $2 AND user_id = $3)",
        vec![save.assessment_id.into(), element.into(), user.id.clone().into()],
    )
    .expect_rows(1)
}

/// The statement that marks an assessment's scores as changed; part of every write that
/// changes scores, assignments or members.
pub(crate) fn bump_scores(assessment_id: &str) -> Statement {
    Statement::new(
        "UPDATE assessments SET scores_version = scores_version + 1 WHERE id = $1",
        vec![assessment_id.into()],
    )
}

fn rating_of(row: &dyn Row, state: usize, level: usize) -> Result<Rating, StoreError> {
    let level = row.opt_int(level)?;
    Rating::from_parts(&row.text(state)?, level).map_err(StoreError::Database)
}

/// The statements that make `save.evidence` the citations of the rating or agreed score
/// saved, replacing any before: `delete` and `insert` name the link table's statements,
/// whose key is (assessment, indicator) for an agreed score and adds the expert for a rating.
fn citation_links(
    delete: &'static str,
    insert: &'static str,
    key: Vec<Value>,
    evidence: &[String],
) -> Vec<Statement> {
    let mut statements = vec![Statement::new(delete, key.clone())];
    statements.extend(link_rows(insert, &key, evidence));
    statements
}

fn expert_rating(row: &dyn Row) -> Result<ExpertRating, StoreError> {
    Ok(ExpertRating {
        indicator: row.text(0)?,
        user_id: row.text(1)?,
        email: row.text(2)?,
        name: row.text(3)?,
        rating: rating_of(row, 4, 5)?,
        justification: row.text(6)?,
        evidence: Vec::new(),
        updated_at: row.time(7)?,
        version: row.int(8)?,
    })
}

/// ((indicator, expert), evidence id) of one citation.
fn rating_citation(row: &dyn Row) -> Result<((String, String), String), StoreError> {
    Ok(((row.text(0)?, row.text(1)?), row.text(2)?))
}

fn with_rating_citations(
    mut ratings: Vec<ExpertRating>,
    citations: Vec<((String, String), String)>,
) -> Vec<ExpertRating> {
    let mut citations = gather_links(citations);
    for rating in &mut ratings {
        rating.evidence =
            citations.remove(&(rating.indicator.clone(), rating.user_id.clone())).unwrap_or_default();
    }
    ratings
}

fn agreed_score(row: &dyn Row) -> Result<AgreedScore, StoreError> {
    Ok(AgreedScore {
        indicator: row.text(0)?,
        rating: rating_of(row, 1, 2)?,
        narrative: row.text(3)?,
        evidence: Vec::new(),
        agreed_by: Author::of(row.opt_text(4)?, row.opt_text(5)?),
        updated_at: row.time(6)?,
        version: row.int(7)?,
    })
}

fn with_agreed_citations(mut agreed: Vec<AgreedScore>, citations: Vec<(String, String)>) -> Vec<AgreedScore> {
    let mut citations = gather_links(citations);
    for score in &mut agreed {
        score.evidence = citations.remove(&score.indicator).unwrap_or_default();
    }
    agreed
}

fn level_value(rating: Rating) -> Value {
    rating.level().map_or(Value::Null, |l| Value::Int(i64::from(l)))
}

impl Store {
    /// Who is assigned to which element: (element code, user id), in element order.
    pub async fn assignments(&self, assessment_id: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.query(
            "SELECT element_code, user_id FROM assignments WHERE assessment_id = $1 ORDER BY element_code, user_id",
            vec![assessment_id.into()],
            |row| Ok((row.text(0)?, row.text(1)?)),
        )
        .await
    }

    /// Replaces who is assigned to each element named, in one write: all of them or none.
    /// Fails with `Conflict`, changing nothing, when the assignments changed since the caller
    /// read them at `read_at` (the assessment's `assignments_version`), or when someone named
    /// does not hold, or no longer holds, a role that may be assigned.
    pub async fn set_assignments(
        &self,
        assessment_id: &str,
        read_at: i64,
        elements: &[(String, Vec<Member>)],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let mut statements = vec![
            Statement::new(
                "UPDATE assessments SET assignments_version = assignments_version + 1 WHERE id = $1 AND assignments_version = $2",
                vec![assessment_id.into(), read_at.into()],
            )
            .expect_rows(1),
        ];
        let mut changes = Vec::new();
        let at = now();
        for (element, members) in elements {
            statements.push(Statement::new(
                "DELETE FROM assignments WHERE assessment_id = $1 AND element_code = $2",
                vec![assessment_id.into(), element.as_str().into()],
            ));
            for member in members {
                if !member.role.may_be_assigned() {
                    return Err(StoreError::Conflict);
                }
                // Inserted only while the person still holds the role the caller read.
                statements.push(
                    Statement::new(
                        "INSERT INTO assignments (assessment_id, element_code, user_id, assigned_at) \
                         SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM memberships \
                         WHERE assessment_id = $1 AND user_id = $3 AND role = $5)",
                        vec![
                            assessment_id.into(),
                            element.as_str().into(),
                            member.user_id.clone().into(),
                            at.into(),
                            member.role.as_str().into(),
                        ],
                    )
                    .expect_rows(1),
                );
            }
            let emails: Vec<&str> = members.iter().map(|m| m.email.as_str()).collect();
            changes.push(
                Change::new(actor, Audited::ElementAssign, &format!("{assessment_id}/{element}"))
                    .assessment(assessment_id)
                    .after(&serde_json::json!({ "element": element, "experts": emails })),
            );
        }
        statements.push(bump_scores(assessment_id));
        self.write_audited_all(statements, changes).await
    }

    pub async fn ratings(&self, assessment_id: &str) -> Result<Vec<ExpertRating>, StoreError> {
        let ratings = self
            .query(
                "SELECT r.indicator_code, r.user_id, u.email, u.name, r.state, r.level, r.justification, r.updated_at, r.version \
                 FROM ratings r JOIN users u ON u.id = r.user_id WHERE r.assessment_id = $1 ORDER BY r.indicator_code, u.email",
                vec![assessment_id.into()],
                expert_rating,
            )
            .await?;
        let citations = self
            .query(
                "SELECT indicator_code, user_id, evidence_id FROM rating_evidence WHERE assessment_id = $1 \
                 ORDER BY indicator_code, user_id, position",
                vec![assessment_id.into()],
                rating_citation,
            )
            .await?;
        Ok(with_rating_citations(ratings, citations))
    }

    /// The ratings of one indicator: what a save answers with, without reading them all.
    pub async fn ratings_of_indicator(
        &self,
        assessment_id: &str,
        code: &str,
    ) -> Result<Vec<ExpertRating>, StoreError> {
        // One read: each rating once per item it cites (or once, citing none), in order.
        let rows = self
            .query(
                "SELECT r.indicator_code, r.user_id, u.email, u.name, r.state, r.level, r.justification, r.updated_at, r.version, c.evidence_id \
                 FROM ratings r JOIN users u ON u.id = r.user_id \
                 LEFT JOIN rating_evidence c ON c.assessment_id = r.assessment_id AND c.indicator_code = r.indicator_code AND c.user_id = r.user_id \
                 WHERE r.assessment_id = $1 AND r.indicator_code = $2 ORDER BY u.email, r.user_id, c.position",
                vec![assessment_id.into(), code.into()],
                |row| Ok((expert_rating(row)?, row.opt_text(9)?)),
            )
            .await?;
        let mut ratings: Vec<ExpertRating> = Vec::new();
        for (rating, cited) in rows {
            if ratings.last().is_none_or(|last| last.user_id != rating.user_id) {
                ratings.push(rating);
            }
            if let (Some(cited), Some(last)) = (cited, ratings.last_mut()) {
                last.evidence.push(cited);
            }
        }
        Ok(ratings)
    }

    /// Saves `user`'s rating of an indicator of `element`. Returns false, and changes nothing,
    /// when the stored rating is not at `expected_version` (someone, or another tab, saved
    /// meanwhile) or when `user` is not assigned to the element as the write happens.
    pub async fn save_rating(
        &self,
        save: &ScoreSave<'_>,
        element: &str,
        user: &User,
    ) -> Result<bool, StoreError> {
        let at = now();
        let params = vec![
            save.assessment_id.into(),
            save.indicator.into(),
            user.id.clone().into(),
            save.rating.state().into(),
            level_value(save.rating),
            save.text.trim().into(),
            at.into(),
            (save.expected_version + 1).into(),
            save.expected_version.into(),
        ];
        let key = params[..3].to_vec();
        let statement = if save.expected_version == 0 {
            Statement::new(
                "INSERT INTO ratings (assessment_id, indicator_code, user_id, state, level, justification, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (assessment_id, indicator_code, user_id) DO NOTHING",
                params[..8].to_vec(),
            )
        } else {
            Statement::new(
                "UPDATE ratings SET state = $4, level = $5, justification = $6, updated_at = $7, version = $8 \
                 WHERE assessment_id = $1 AND indicator_code = $2 AND user_id = $3 AND version = $9",
                params,
            )
        };
        let change = Change::new(&user.actor(), Audited::IndicatorRate, &format!("{}/{}", save.assessment_id, save.indicator),
        )
        .assessment(save.assessment_id)
        .after(&serde_json::json!({ "rating": save.rating, "justification": save.text.trim(), "evidence": save.evidence }));
        let mut statements = vec![statement.expect_rows(1), scores_changed_by_assignee(save, element, user)];
        statements.extend(citation_links(
            "DELETE FROM rating_evidence WHERE assessment_id = $1 AND indicator_code = $2 AND user_id = $3",
            "INSERT INTO rating_evidence (assessment_id, indicator_code, user_id, evidence_id, position) \
             VALUES ($1, $2, $3, $4, $5)",
            key,
            save.evidence,
        ));
        crate::applied(self.write_audited(statements, change).await)
    }

    pub async fn agreed_scores(&self, assessment_id: &str) -> Result<Vec<AgreedScore>, StoreError> {
        let agreed = self
            .query(
                "SELECT s.indicator_code, s.state, s.level, s.narrative, s.agreed_by_id, u.name, s.updated_at, s.version \
                 FROM agreed_scores s LEFT JOIN users u ON u.id = s.agreed_by_id \
                 WHERE s.assessment_id = $1 ORDER BY s.indicator_code",
                vec![assessment_id.into()],
                agreed_score,
            )
            .await?;
        let citations = self
            .query(
                "SELECT indicator_code, evidence_id FROM agreed_score_evidence WHERE assessment_id = $1 \
                 ORDER BY indicator_code, position",
                vec![assessment_id.into()],
                |row| Ok((row.text(0)?, row.text(1)?)),
            )
            .await?;
        Ok(with_agreed_citations(agreed, citations))
    }

    /// The agreed score of one indicator, if there is one.
    pub async fn agreed_score_of_indicator(
        &self,
        assessment_id: &str,
        code: &str,
    ) -> Result<Option<AgreedScore>, StoreError> {
        // One read: the score once per item it cites (or once, citing none), in order.
        let rows = self
            .query(
                "SELECT s.indicator_code, s.state, s.level, s.narrative, s.agreed_by_id, u.name, s.updated_at, s.version, c.evidence_id \
                 FROM agreed_scores s LEFT JOIN users u ON u.id = s.agreed_by_id \
                 LEFT JOIN agreed_score_evidence c ON c.assessment_id = s.assessment_id AND c.indicator_code = s.indicator_code \
                 WHERE s.assessment_id = $1 AND s.indicator_code = $2 ORDER BY c.position",
                vec![assessment_id.into(), code.into()],
                |row| Ok((agreed_score(row)?, row.opt_text(8)?)),
            )
            .await?;
        let mut agreed: Option<AgreedScore> = None;
        for (score, cited) in rows {
            let score = agreed.get_or_insert(score);
            score.evidence.extend(cited);
        }
        Ok(agreed)
    }

    /// Records the agreed score; false, with nothing changed, when it is not at `expected_version`.
    pub async fn save_agreed(&self, save: &ScoreSave<'_>, actor: &Actor) -> Result<bool, StoreError> {
        let at = now();
        let params = vec![
            save.assessment_id.into(),
            save.indicator.into(),
            save.rating.state().into(),
            level_value(save.rating),
            save.text.trim().into(),
            actor.user_id(),
            at.into(),
            (save.expected_version + 1).into(),
            save.expected_version.into(),
        ];
        let key = params[..2].to_vec();
        let statement = if save.expected_version == 0 {
            Statement::new(
                "INSERT INTO agreed_scores (assessment_id, indicator_code, state, level, narrative, agreed_by_id, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (assessment_id, indicator_code) DO NOTHING",
                params[..8].to_vec(),
            )
        } else {
            Statement::new(
                "UPDATE agreed_scores SET state = $3, level = $4, narrative = $5, agreed_by_id = $6, updated_at = $7, version = $8 \
                 WHERE assessment_id = $1 AND indicator_code = $2 AND version = $9",
                params,
            )
        };
        let change =
            Change::new(actor, Audited::IndicatorAgree, &format!("{}/{}", save.assessment_id, save.indicator))
                .assessment(save.assessment_id)
                .after(&serde_json::json!({ "rating": save.rating, "narrative": save.text.trim(), "evidence": save.evidence }));
        let mut statements = vec![statement.expect_rows(1), bump_scores(save.assessment_id)];
        statements.extend(citation_links(
            "DELETE FROM agreed_score_evidence WHERE assessment_id = $1 AND indicator_code = $2",
            "INSERT INTO agreed_score_evidence (assessment_id, indicator_code, evidence_id, position) VALUES ($1, $2, $3, $4)",
            key,
            save.evidence,
        ));
        crate::applied(self.write_audited(statements, change).await)
    }
}

/// A whole scored assessment's assignments, ratings and agreed scores, for loading generated
/// data in one transaction (one audit entry) instead of one write per score.
#[derive(Debug, Clone, Default)]
pub struct ScoreSet {
    /// (element code, user id)
    pub assignments: Vec<(String, String)>,
    /// (indicator code, user id, rating, justification)
    pub ratings: Vec<(String, String, Rating, String)>,
    /// (indicator code, rating, narrative)
    pub agreed: Vec<(String, Rating, String)>,
}

impl Store {
    pub async fn load_score_set(
        &self,
        assessment_id: &str,
        set: &ScoreSet,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let at = now();
        let mut statements = Vec::with_capacity(set.assignments.len() + set.ratings.len() + set.agreed.len());
        for (element, user) in &set.assignments {
            statements.push(Statement::new(
                "INSERT INTO assignments (assessment_id, element_code, user_id, assigned_at) VALUES ($1, $2, $3, $4)",
                vec![assessment_id.into(), element.clone().into(), user.clone().into(), at.into()],
            ));
        }
        for (indicator, user, rating, text) in &set.ratings {
            statements.push(Statement::new(
                "INSERT INTO ratings (assessment_id, indicator_code, user_id, state, level, justification, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
                vec![
                    assessment_id.into(),
                    indicator.clone().into(),
                    user.clone().into(),
                    rating.state().into(),
                    level_value(*rating),
                    text.clone().into(),
                    at.into(),
                ],
            ));
        }
        for (indicator, rating, text) in &set.agreed {
            statements.push(Statement::new(
                "INSERT INTO agreed_scores (assessment_id, indicator_code, state, level, narrative, agreed_by_id, updated_at, version) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 1)",
                vec![
                    assessment_id.into(),
                    indicator.clone().into(),
                    rating.state().into(),
                    level_value(*rating),
                    text.clone().into(),
                    actor.user_id(),
                    at.into(),
                ],
            ));
        }
        statements.push(bump_scores(assessment_id));
        let change = Change::new(actor, Audited::AssessmentLoadScores, assessment_id).assessment(assessment_id).after(
            &serde_json::json!({ "assignments": set.assignments.len(), "ratings": set.ratings.len(), "agreed": set.agreed.len() }),
        );
        self.write_audited(statements, change).await
    }
}
