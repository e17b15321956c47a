//! The scores of recently read assessments, held in memory while their `scores_version`
//! stays the same. Only the holding is here; what is made of them is in `scores`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bmma_core::Assessment;
use bmma_store::{AgreedScore, ExpertRating, Member, Store};
use bytes::Bytes;

use crate::error::AppError;

/// What the database holds about an assessment's scores. Kept in memory while the
/// assessment's `scores_version` stays the same, so reading the scores again costs one
/// cheap check instead of reading 750 ratings.
#[derive(Debug)]
pub struct ScoreData {
    /// The team and who rates what, shared with the team cache rather than copied.
    pub(crate) team: Arc<Team>,
    pub(crate) ratings: Vec<ExpertRating>,
    pub(crate) agreed: Vec<AgreedScore>,
    /// The API's JSON of the board, as each caller last read it at this scores version.
    pub(crate) boards: Mutex<HashMap<BoardKey, Bytes>>,
}

/// Everything besides the score data that a board depends on: who asks, with which role and
/// sharing, and the assessment's version (its scope).
pub(crate) type BoardKey = (String, i64, Option<bmma_core::Role>, bool, bool, bool);

/// Assessment id → (the `scores_version` the data was read at, the data).
type Entries = HashMap<String, (i64, Arc<ScoreData>)>;

/// The score data of recently read assessments, by assessment id.
#[derive(Clone, Debug, Default)]
pub struct ScoresCache {
    entries: Arc<Mutex<Entries>>,
    /// The team and its assignments, by assessment id: a rating leaves them as they are, so
    /// a save's answer reuses them while `members_version` and `assignments_version` hold.
    teams: Arc<Mutex<HashMap<String, Arc<Team>>>>,
}

/// Who is on an assessment's team and who rates what, as read at two versions.
#[derive(Debug)]
pub(crate) struct Team {
    members_version: i64,
    assignments_version: i64,
    pub(crate) assignments: Vec<(String, String)>,
    pub(crate) members: Vec<Member>,
}

/// Past this many assessments in memory the cache starts afresh; a simple bound that
/// keeps memory flat on a server holding thousands of assessments.
const CACHE_ENTRIES: usize = 256;

impl ScoresCache {
    pub(crate) async fn get(
        &self,
        store: &Store,
        assessment: &Assessment,
    ) -> Result<Arc<ScoreData>, AppError> {
        let held = self
            .lock()
            .get(&assessment.id)
            .filter(|(v, _)| *v == assessment.scores_version)
            .map(|(_, d)| d.clone());
        if let Some(data) = held {
            return Ok(data);
        }
        let id = &assessment.id;
        let data = Arc::new(ScoreData {
            team: self.team(store, assessment).await?,
            ratings: store.ratings(id).await?,
            agreed: store.agreed_scores(id).await?,
            boards: Mutex::default(),
        });
        let mut entries = self.lock();
        if entries.len() >= CACHE_ENTRIES {
            entries.clear();
        }
        // Read after the version: the data is at least as new as the key it is stored under.
        entries.insert(id.clone(), (assessment.scores_version, data.clone()));
        Ok(data)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn lock_teams(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Team>>> {
        self.teams.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The assessment's team and assignments, from memory while their versions hold.
    pub(crate) async fn team(&self, store: &Store, assessment: &Assessment) -> Result<Arc<Team>, AppError> {
        let versions = (assessment.members_version, assessment.assignments_version);
        let held = self
            .lock_teams()
            .get(&assessment.id)
            .filter(|t| (t.members_version, t.assignments_version) == versions)
            .cloned();
        if let Some(team) = held {
            return Ok(team);
        }
        let team = Arc::new(Team {
            members_version: versions.0,
            assignments_version: versions.1,
            assignments: store.assignments(&assessment.id).await?,
            members: store.members(&assessment.id).await?,
        });
        // Read after the versions: the team is at least as new as the versions it is kept under.
        let mut teams = self.lock_teams();
        if teams.len() >= CACHE_ENTRIES {
            teams.clear();
        }
        teams.insert(assessment.id.clone(), team.clone());
        Ok(team)
    }
}
