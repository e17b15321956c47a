//! Recording a rating or an agreed score: the one path for pages, the API, the demo and
//! whatever comes next. Every rule of a save is checked here or in the write itself.

use bmma_core::{Action, FieldError, FieldErrorKind, Rating, scoring};
use bmma_store::{ScoreSave, User};

use crate::{App, AppError};

/// Which of the two a save records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An expert's own rating, of an indicator of an element they are assigned to.
    Rating,
    /// The team's agreed score, recorded by whoever may agree.
    Agreed,
}

/// What a caller asks to save over the `version` they read (0 for the first save).
#[derive(Debug, Clone, Copy)]
pub struct ScoreRequest<'a> {
    pub rating: Rating,
    /// The justification of a rating, or the narrative of an agreed score.
    pub text: &'a str,
    /// Ids of the evidence items cited.
    pub evidence: &'a [String],
    pub version: i64,
}

impl App {
    /// Checks and saves `user`'s rating, or the team's agreed score, of indicator `code` of
    /// assessment `id`. Returns the access checked, as read before the save.
    pub async fn save_score(
        &self,
        user: &User,
        id: &str,
        code: &str,
        kind: Kind,
        request: ScoreRequest<'_>,
    ) -> Result<crate::access::Access, AppError> {
        let action = if kind == Kind::Rating { Action::Rate } else { Action::Agree };
        let access = self.assessment_for(user, id, action).await?;
        let loaded = self.framework_of(&access.assessment).await?;
        let framework = &loaded.framework;
        let (element, _) = framework.find_indicator(code).ok_or(AppError::NotFound)?;
        let text_field = if kind == Kind::Rating { "justification" } else { "narrative" };
        let a = &access.assessment;
        scoring::check(framework, &a.scope, a.status, code, request.rating, request.text, text_field)
            .map_err(AppError::Invalid)?;
        if !request.evidence.is_empty() {
            let register = self.store.evidence_ids(id).await?;
            let unknown: Vec<FieldError> = request
                .evidence
                .iter()
                .filter(|e| !register.contains(*e))
                .map(|e| FieldError {
                    field: "evidence",
                    kind: FieldErrorKind::UnknownEvidence { value: e.clone() },
                })
                .collect();
            if !unknown.is_empty() {
                return Err(AppError::Invalid(unknown));
            }
        }
        let save = ScoreSave {
            assessment_id: id,
            indicator: code,
            rating: request.rating,
            text: request.text,
            evidence: request.evidence,
            expected_version: request.version,
        };
        let saved = match kind {
            // The store checks the assignment in the same write; a refusal is explained below.
            Kind::Rating => self.store.save_rating(&save, &element.code, user).await?,
            Kind::Agreed => self.store.save_agreed(&save, &user.actor()).await?,
        };
        if saved {
            return Ok(access);
        }
        if kind == Kind::Rating {
            let assigned =
                self.store.assignments(id).await?.into_iter().any(|(e, u)| e == element.code && u == user.id);
            if !assigned {
                let kind = FieldErrorKind::NotAssigned { value: code.to_string() };
                return Err(AppError::Invalid(vec![FieldError { field: "indicator", kind }]));
            }
        }
        // Someone saved first: say who and when.
        let (who, when) = match kind {
            Kind::Rating => {
                let current = self
                    .store
                    .ratings_of_indicator(id, code)
                    .await?
                    .into_iter()
                    .find(|r| r.user_id == user.id);
                current.map(|r| (r.name, r.updated_at))
            }
            Kind::Agreed => {
                let current = self.store.agreed_score_of_indicator(id, code).await?;
                current.map(|a| (a.agreed_by.name, a.updated_at))
            }
        }
        .unwrap_or_else(|| ("?".into(), time::OffsetDateTime::now_utc()));
        Err(AppError::stale_by("error-stale-score", &who, when))
    }
}
