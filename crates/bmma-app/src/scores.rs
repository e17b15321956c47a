//! The scores of an assessment as the board shows them: read once per `scores_version` and
//! held in memory, with each caller's board JSON, for the pages and the API alike.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bmma_core::Action;
use bmma_core::board::{ScoreBoard, ScoreRecords, Viewer};
use bmma_core::framework::Framework;
use bmma_store::{Store, User};
use bytes::Bytes;

use crate::access::Access;
use crate::cache::BoardKey;
pub use crate::cache::{ScoreData, ScoresCache};
use crate::{App, AppError};

/// Boards kept per score data; past this many callers the set starts afresh.
const BOARDS_KEPT: usize = 64;

impl ScoreData {
    /// The records of one indicator, with the team and its assignments: enough for that
    /// indicator's place on the board, as a save answers with, without reading every score.
    pub(crate) async fn of_indicator(
        store: &Store,
        team: Arc<crate::cache::Team>,
        id: &str,
        code: &str,
    ) -> Result<ScoreData, AppError> {
        Ok(ScoreData {
            team,
            ratings: store.ratings_of_indicator(id, code).await?,
            agreed: store.agreed_score_of_indicator(id, code).await?.into_iter().collect(),
            boards: Mutex::default(),
        })
    }

    /// The assessment's team.
    pub fn members(&self) -> &[bmma_store::Member] {
        &self.team.members
    }

    /// Who rates which element, as (element code, user id).
    pub fn assignments(&self) -> &[(String, String)] {
        &self.team.assignments
    }

    /// Whether any expert has rated yet.
    pub fn has_ratings(&self) -> bool {
        !self.ratings.is_empty()
    }

    /// The board of `access` as JSON, made once per caller and version and then reused.
    pub fn board_json(&self, access: &Access, user: &User, framework: &Framework) -> Result<Bytes, AppError> {
        let a = &access.assessment;
        let key = (
            user.id.clone(),
            a.version,
            access.role,
            access.admin,
            a.sharing.with_donors,
            a.sharing.for_validation,
        );
        if let Some(json) = self.lock_boards().get(&key) {
            return Ok(json.clone());
        }
        let json = serde_json::to_vec(&board(self, access, user, framework))
            .map(Bytes::from)
            .map_err(|e| AppError::Internal(format!("scores as JSON: {e}")))?;
        let mut boards = self.lock_boards();
        if boards.len() >= BOARDS_KEPT {
            boards.clear();
        }
        boards.insert(key, json.clone());
        Ok(json)
    }

    fn lock_boards(&self) -> std::sync::MutexGuard<'_, HashMap<BoardKey, Bytes>> {
        self.boards.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Builds the board for the caller of `access`, by the one rule of independent scoring in
/// `bmma_core::board`.
pub fn board<'a>(
    data: &'a ScoreData,
    access: &Access,
    user: &User,
    framework: &'a Framework,
) -> ScoreBoard<'a> {
    let records = ScoreRecords {
        assignments: &data.team.assignments,
        members: &data.team.members,
        ratings: &data.ratings,
        agreed: &data.agreed,
    };
    let viewer =
        Viewer { user_id: &user.id, sees_all: access.can(Action::Agree), may_rate: access.can(Action::Rate) };
    bmma_core::board::board(records, viewer, &access.assessment.scope, framework)
}

impl App {
    /// The score data of the assessment in `access`, from memory while it is current.
    pub async fn score_data(&self, access: &Access) -> Result<Arc<ScoreData>, AppError> {
        access.require(Action::View)?;
        self.scores.get(&self.store, &access.assessment).await
    }

    /// The records of one indicator, as a save answers with (`ScoreData::of_indicator`).
    pub async fn indicator_score_data(&self, access: &Access, code: &str) -> Result<ScoreData, AppError> {
        access.require(Action::View)?;
        let team = self.scores.team(&self.store, &access.assessment).await?;
        ScoreData::of_indicator(&self.store, team, &access.assessment.id, code).await
    }
}
