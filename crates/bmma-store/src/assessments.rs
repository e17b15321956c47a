//! Stored assessments and their members.

use bmma_core::records::Author;
use bmma_core::{Assessment, AssessmentStatus, FrameworkRef, NewAssessment, Role, Scope, Sharing};
use serde::Serialize;
use time::OffsetDateTime;

use crate::accounts::User;
use crate::audit::{Actor, Audited, Change};
use crate::sql::{Row, Statement, Value, now};
use crate::{Store, StoreError};

/// A validated new assessment, ready to store. `id` is chosen by the caller: a random UUID,
/// or a fixed one for the demo, which makes loading the demo idempotent.
#[derive(Debug, Clone)]
pub struct NewAssessmentRecord {
    pub id: String,
    pub framework: FrameworkRef,
    pub assessment: NewAssessment,
    /// The account that leads the assessment from the start, if any.
    pub team_lead: Option<String>,
}

/// The columns `assessment` reads, in its order.
macro_rules! assessment_columns {
    () => {
        "a.id, a.country, a.framework_id, a.framework_version, a.title, a.requesting_body, a.status, a.scope, a.created_at, a.updated_at, a.version, a.shared_with_donors, a.shared_for_validation, a.updated_by_id, ub.name, a.scores_version, a.members_version, a.assignments_version"
    };
}

/// How many columns `assessment_columns!` names: a query that selects more reads them from here.
const ASSESSMENT_COLUMNS: usize = 18;

/// The join that names the author of an assessment's last change (`ub`).
macro_rules! assessment_author {
    () => {
        "LEFT JOIN users ub ON ub.id = a.updated_by_id "
    };
}

/// `SELECT` of every column that `assessment` reads, then the given clauses.
macro_rules! select_assessments {
    ($tail:literal) => {
        concat!("SELECT ", assessment_columns!(), " FROM assessments a ", assessment_author!(), $tail)
    };
}

fn assessment(row: &dyn Row) -> Result<Assessment, StoreError> {
    let status = row.text(6)?;
    let scope = match row.json(7)? {
        None => Scope::everything(),
        Some(json) => serde_json::from_value(json)
            .map_err(|e| StoreError::Database(format!("bad scope in the database: {e}")))?,
    };
    Ok(Assessment {
        id: row.text(0)?,
        country: row.text(1)?,
        framework: FrameworkRef { id: row.text(2)?, version: row.text(3)? },
        title: row.text(4)?,
        requesting_body: row.text(5)?,
        status: status.parse().map_err(StoreError::Database)?,
        scope,
        created_at: row.time(8)?,
        updated_at: row.time(9)?,
        version: row.int(10)?,
        sharing: Sharing { with_donors: row.boolean(11)?, for_validation: row.boolean(12)? },
        updated_by: Author::of(row.opt_text(13)?, row.opt_text(14)?),
        scores_version: row.int(15)?,
        members_version: row.int(16)?,
        assignments_version: row.int(17)?,
    })
}

/// One move along the life cycle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub from: AssessmentStatus,
    pub to: AssessmentStatus,
    pub changed_by: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub changed_at: OffsetDateTime,
}

pub use bmma_core::records::Member;

impl Store {
    /// All assessments, newest first: what an administrator sees.
    pub async fn list_assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        self.query(select_assessments!("ORDER BY a.created_at DESC, a.id"), vec![], assessment).await
    }

    /// The assessments `user_id` is a member of, with the role held in each, newest first.
    pub async fn list_assessments_of(&self, user_id: &str) -> Result<Vec<(Assessment, Role)>, StoreError> {
        self.query(
            concat!(
                "SELECT ",
                assessment_columns!(),
                ", m.role FROM assessments a ",
                assessment_author!(),
                "JOIN memberships m ON m.assessment_id = a.id WHERE m.user_id = $1 ORDER BY a.created_at DESC, a.id"
            ),
            vec![user_id.into()],
            |row| Ok((assessment(row)?, row.text(ASSESSMENT_COLUMNS)?.parse().map_err(StoreError::Database)?)),
        )
        .await
    }

    pub async fn get_assessment(&self, id: &str) -> Result<Option<Assessment>, StoreError> {
        self.query_one(select_assessments!("WHERE a.id = $1"), vec![id.into()], assessment).await
    }

    /// The assessment with `user_id`'s role in it (None for someone not on its team), in one
    /// read: every request about an assessment asks both.
    pub async fn assessment_and_role(
        &self,
        id: &str,
        user_id: &str,
    ) -> Result<Option<(Assessment, Option<Role>)>, StoreError> {
        self.query_one(
            concat!(
                "SELECT ",
                assessment_columns!(),
                ", m.role FROM assessments a ",
                assessment_author!(),
                "LEFT JOIN memberships m ON m.assessment_id = a.id AND m.user_id = $2 WHERE a.id = $1"
            ),
            vec![id.into(), user_id.into()],
            |row| {
                let role = row.opt_text(ASSESSMENT_COLUMNS)?;
                Ok((assessment(row)?, role.map(|r| r.parse().map_err(StoreError::Database)).transpose()?))
            },
        )
        .await
    }

    /// Stores a new assessment in status "requested", with its team lead as first member.
    /// Returns false, and changes nothing, when an assessment with this id exists already.
    pub async fn create_assessment(
        &self,
        record: &NewAssessmentRecord,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let new = &record.assessment;
        let scope = serde_json::to_value(&new.scope.0).map_err(|e| StoreError::Database(e.to_string()))?;
        let scope = if new.scope.is_everything() { None } else { Some(scope) };
        let created = now();
        let stored = Assessment {
            id: record.id.clone(),
            country: new.country.trim().to_ascii_uppercase(),
            framework: record.framework.clone(),
            title: new.title.trim().to_string(),
            requesting_body: new.requesting_body.trim().to_string(),
            status: AssessmentStatus::Requested,
            scope: new.scope.clone(),
            created_at: created,
            updated_at: created,
            version: 1,
            sharing: Sharing::default(),
            updated_by: actor.author(),
            scores_version: 0,
            members_version: 1,
            assignments_version: 1,
        };
        let mut statements = vec![
            Statement::new(
                "INSERT INTO assessments (id, country, framework_id, framework_version, title, requesting_body, status, scope, created_at, updated_at, version, updated_by_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1, $10) ON CONFLICT (id) DO NOTHING",
                vec![
                    stored.id.clone().into(),
                    stored.country.clone().into(),
                    stored.framework.id.clone().into(),
                    stored.framework.version.clone().into(),
                    stored.title.clone().into(),
                    stored.requesting_body.clone().into(),
                    stored.status.as_str().into(),
                    Value::Json(scope),
                    created.into(),
                    actor.user_id(),
                ],
            )
            .expect_rows(1),
        ];
        if let Some(lead) = &record.team_lead {
            statements.push(Statement::new(
                "INSERT INTO memberships (assessment_id, user_id, role, added_at) VALUES ($1, $2, $3, $4)",
                vec![
                    stored.id.clone().into(),
                    lead.clone().into(),
                    Role::TeamLead.as_str().into(),
                    created.into(),
                ],
            ));
        }
        let change =
            Change::new(actor, Audited::AssessmentCreate, &stored.id).assessment(&stored.id).after(&stored);
        crate::applied(self.write_audited(statements, change).await)
    }

    /// Records what the team lead shares. False, with nothing changed, when the assessment
    /// changed since the caller read `before`.
    pub async fn set_sharing(
        &self,
        before: &Assessment,
        sharing: Sharing,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        // `before.version` is the version the caller read: a later change refuses the write.
        let change = Change::new(actor, Audited::AssessmentShare, &before.id)
            .assessment(&before.id)
            .before(&before.sharing)
            .after(&sharing);
        crate::applied(
        self.write_audited(
            vec![Statement::new(
                "UPDATE assessments SET shared_with_donors = $2, shared_for_validation = $3, updated_at = $4, updated_by_id = $5, version = version + 1 WHERE id = $1 AND version = $6",
                vec![
                    before.id.clone().into(),
                    sharing.with_donors.into(),
                    sharing.for_validation.into(),
                    now().into(),
                    actor.user_id(),
                    before.version.into(),
                ],
            )
            .expect_rows(1)],
            change,
        )
        .await,
        )
    }

    /// Moves the assessment to `to`, provided nobody changed it since the caller read
    /// version `expected_version`. Returns false, and changes nothing, when someone did.
    /// Whether the move is allowed is the caller's to check (`AssessmentStatus::can_move_to`).
    pub async fn change_status(
        &self,
        before: &Assessment,
        to: AssessmentStatus,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let at = now();
        let change = Change::new(actor, Audited::AssessmentChangeStatus, &before.id)
            .assessment(&before.id)
            .before(&serde_json::json!({ "status": before.status }))
            .after(&serde_json::json!({ "status": to }));
        crate::applied(
            self.write_audited(
                vec![
                    Statement::new(
                        "UPDATE assessments SET status = $2, updated_at = $3, updated_by_id = $4, version = version + 1 \
                         WHERE id = $1 AND version = $5 AND status = $6",
                        vec![
                            before.id.clone().into(),
                            to.as_str().into(),
                            at.into(),
                            actor.user_id(),
                            expected_version.into(),
                            before.status.as_str().into(),
                        ],
                    )
                    .expect_rows(1),
                    Statement::new(
                        "INSERT INTO status_changes (assessment_id, from_status, to_status, changed_by_id, changed_at) VALUES ($1, $2, $3, $4, $5)",
                        vec![
                            before.id.clone().into(),
                            before.status.as_str().into(),
                            to.as_str().into(),
                            actor.user_id(),
                            at.into(),
                        ],
                    ),
                ],
                change,
            )
            .await,
        )
    }

    /// Replaces the scope, provided nobody changed the assessment since version
    /// `expected_version` was read. Ratings and agreed scores stay: an indicator that leaves
    /// the scope keeps them, hidden, until it comes back.
    pub async fn set_scope(
        &self,
        before: &Assessment,
        scope: &Scope,
        expected_version: i64,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let json = if scope.is_everything() {
            None
        } else {
            Some(serde_json::to_value(&scope.0).map_err(|e| StoreError::Database(e.to_string()))?)
        };
        let change = Change::new(actor, Audited::AssessmentSetScope, &before.id)
            .assessment(&before.id)
            .before(&before.scope)
            .after(scope);
        crate::applied(
            self.write_audited(
                vec![Statement::new(
                    "UPDATE assessments SET scope = $2, updated_at = $3, updated_by_id = $4, version = version + 1 WHERE id = $1 AND version = $5",
                    vec![before.id.clone().into(), Value::Json(json), now().into(), actor.user_id(), expected_version.into()],
                )
                .expect_rows(1)],
                change,
            )
            .await,
        )
    }

    /// The moves of an assessment along its life cycle, oldest first.
    pub async fn status_changes(&self, assessment_id: &str) -> Result<Vec<StatusChange>, StoreError> {
        self.query(
            "SELECT c.from_status, c.to_status, c.changed_by_id, u.name, c.changed_at FROM status_changes c \
             LEFT JOIN users u ON u.id = c.changed_by_id WHERE c.assessment_id = $1 ORDER BY c.id",
            vec![assessment_id.into()],
            |row| {
                Ok(StatusChange {
                    from: row.text(0)?.parse().map_err(StoreError::Database)?,
                    to: row.text(1)?.parse().map_err(StoreError::Database)?,
                    changed_by: Author::of(row.opt_text(2)?, row.opt_text(3)?),
                    changed_at: row.time(4)?,
                })
            },
        )
        .await
    }

    pub async fn members(&self, assessment_id: &str) -> Result<Vec<Member>, StoreError> {
        self.query(
            "SELECT u.id, u.email, u.name, m.role, m.added_at FROM memberships m JOIN users u ON u.id = m.user_id \
             WHERE m.assessment_id = $1 ORDER BY m.added_at, u.email",
            vec![assessment_id.into()],
            |row| {
                Ok(Member {
                    user_id: row.text(0)?,
                    email: row.text(1)?,
                    name: row.text(2)?,
                    role: row.text(3)?.parse().map_err(StoreError::Database)?,
                    added_at: row.time(4)?,
                })
            },
        )
        .await
    }

    /// The role of `user_id` in the assessment; None when not a member.
    pub async fn role_in(&self, assessment_id: &str, user_id: &str) -> Result<Option<Role>, StoreError> {
        let role = self
            .query_one(
                "SELECT role FROM memberships WHERE assessment_id = $1 AND user_id = $2",
                vec![assessment_id.into(), user_id.into()],
                |row| row.text(0),
            )
            .await?;
        role.map(|r| r.parse().map_err(StoreError::Database)).transpose()
    }

    /// Adds a member, or changes the role of one already there.
    pub async fn set_member(
        &self,
        assessment_id: &str,
        user: &User,
        role: Role,
        read_at: Option<i64>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        // Fails with `Conflict` when the team changed since `read_at`, or when a team lead
        // steps down and no lead would remain.
        let before = self.role_in(assessment_id, &user.id).await?;
        let mut change = Change::new(actor, Audited::MembershipSet, &format!("{assessment_id}/{}", user.id))
            .assessment(assessment_id)
            .after(&serde_json::json!({ "email": user.email, "role": role }));
        if let Some(before) = before {
            change = change.before(&serde_json::json!({ "email": user.email, "role": before }));
        }
        let mut statements = vec![
            team_changed(assessment_id, read_at),
            Statement::new(
                "INSERT INTO memberships (assessment_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (assessment_id, user_id) DO UPDATE SET role = excluded.role",
                vec![assessment_id.into(), user.id.clone().into(), role.as_str().into(), now().into()],
            ),
            crate::scoring::bump_scores(assessment_id),
        ];
        if before == Some(Role::TeamLead) && role != Role::TeamLead {
            statements.push(a_lead_remains(assessment_id));
        }
        self.write_audited(statements, change).await
    }

    /// Removes a member. Returns false, and changes nothing, when the person was not a
    /// member or was the last team lead.
    pub async fn remove_member(
        &self,
        assessment_id: &str,
        member: &Member,
        read_at: Option<i64>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let change =
            Change::new(actor, Audited::MembershipRemove, &format!("{assessment_id}/{}", member.user_id))
                .assessment(assessment_id)
                .before(&serde_json::json!({ "email": member.email, "role": member.role }));
        crate::applied(
            self.write_audited(
                vec![
                    team_changed(assessment_id, read_at),
                    Statement::new(
                        "DELETE FROM memberships WHERE assessment_id = $1 AND user_id = $2",
                        vec![assessment_id.into(), member.user_id.clone().into()],
                    )
                    .expect_rows(1),
                    a_lead_remains(assessment_id),
                    crate::scoring::bump_scores(assessment_id),
                ],
                change,
            )
            .await,
        )
    }
}

/// Someone invited into an assessment who has not accepted yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub assessment_id: String,
    /// The assessment's title, for the invited person's list.
    pub title: String,
    /// Normalised, as accounts store it.
    pub email: String,
    pub role: Role,
    pub invited_by: Author,
    #[serde(with = "time::serde::rfc3339")]
    pub invited_at: OffsetDateTime,
}

fn invitation(row: &dyn Row) -> Result<Invitation, StoreError> {
    Ok(Invitation {
        assessment_id: row.text(0)?,
        title: row.text(1)?,
        email: row.text(2)?,
        role: row.text(3)?.parse().map_err(StoreError::Database)?,
        invited_by: Author::of(row.opt_text(4)?, row.opt_text(5)?),
        invited_at: row.time(6)?,
    })
}

/// `SELECT` of every column that `invitation` reads, then the given clauses.
macro_rules! select_invitations {
    ($tail:literal) => {
        concat!(
            "SELECT i.assessment_id, a.title, i.email, i.role, i.invited_by_id, ib.name, i.invited_at \
             FROM invitations i JOIN assessments a ON a.id = i.assessment_id LEFT JOIN users ib ON ib.id = i.invited_by_id ",
            $tail
        )
    };
}

impl Store {
    /// Invites `email` with `role`, or changes the role of a pending invitation. Whether an
    /// account with that address exists plays no part.
    pub async fn invite(
        &self,
        assessment_id: &str,
        email: &str,
        role: Role,
        read_at: Option<i64>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let email = crate::normalise_email(email);
        let change = Change::new(actor, Audited::InvitationInvite, &format!("{assessment_id}/{email}"))
            .assessment(assessment_id)
            .after(&serde_json::json!({ "email": email, "role": role }));
        let statement = Statement::new(
            "INSERT INTO invitations (assessment_id, email, role, invited_by_id, invited_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (assessment_id, email) DO UPDATE SET role = excluded.role",
            vec![assessment_id.into(), email.into(), role.as_str().into(), actor.user_id(), now().into()],
        );
        self.write_audited(vec![team_changed(assessment_id, read_at), statement], change).await
    }

    /// The assessment's pending invitations, oldest first.
    pub async fn invitations(&self, assessment_id: &str) -> Result<Vec<Invitation>, StoreError> {
        let sql = select_invitations!("WHERE i.assessment_id = $1 ORDER BY i.invited_at, i.email");
        self.query(sql, vec![assessment_id.into()], invitation).await
    }

    /// The invitations waiting for the holder of `email`, newest first.
    pub async fn invitations_for(&self, email: &str) -> Result<Vec<Invitation>, StoreError> {
        let sql = select_invitations!("WHERE i.email = $1 ORDER BY i.invited_at DESC, a.title");
        self.query(sql, vec![crate::normalise_email(email).into()], invitation).await
    }

    /// Makes `user` a member with the role they were invited to, and ends the invitation, in
    /// one write. False, with nothing changed, when no invitation for them is waiting.
    pub async fn accept_invitation(&self, assessment_id: &str, user: &User) -> Result<bool, StoreError> {
        let email = crate::normalise_email(&user.email);
        let Some(pending) = self.invitations(assessment_id).await?.into_iter().find(|i| i.email == email)
        else {
            return Ok(false);
        };
        let change =
            Change::new(&user.actor(), Audited::InvitationAccept, &format!("{assessment_id}/{email}"))
                .assessment(assessment_id)
                .after(&serde_json::json!({ "email": email, "role": pending.role }));
        crate::applied(
            self.write_audited(
                vec![
                    team_changed(assessment_id, None),
                    // The invitation read above must still be the one waiting.
                    Statement::new(
                        "DELETE FROM invitations WHERE assessment_id = $1 AND email = $2 AND role = $3",
                        vec![assessment_id.into(), email.into(), pending.role.as_str().into()],
                    )
                    .expect_rows(1),
                    // Someone already a member keeps the role they hold.
                    Statement::new(
                        "INSERT INTO memberships (assessment_id, user_id, role, added_at) VALUES ($1, $2, $3, $4) \
                         ON CONFLICT (assessment_id, user_id) DO NOTHING",
                        vec![assessment_id.into(), user.id.clone().into(), pending.role.as_str().into(), now().into()],
                    ),
                    crate::scoring::bump_scores(assessment_id),
                ],
                change,
            )
            .await,
        )
    }

    /// Ends a pending invitation without membership: withdrawn by the team lead, or declined
    /// by the person invited. False when none was waiting.
    pub async fn end_invitation(
        &self,
        assessment_id: &str,
        email: &str,
        read_at: Option<i64>,
        actor: &Actor,
    ) -> Result<bool, StoreError> {
        let email = crate::normalise_email(email);
        let change = Change::new(actor, Audited::InvitationEnd, &format!("{assessment_id}/{email}"))
            .assessment(assessment_id)
            .before(&serde_json::json!({ "email": email }));
        crate::applied(
            self.write_audited(
                vec![
                    team_changed(assessment_id, read_at),
                    Statement::new(
                        "DELETE FROM invitations WHERE assessment_id = $1 AND email = $2",
                        vec![assessment_id.into(), email.into()],
                    )
                    .expect_rows(1),
                ],
                change,
            )
            .await,
        )
    }
}

/// Marks a change to the team: increases the assessment's `members_version`, which also locks
/// its row for the rest of the write, so that changes to one team are made one after the
/// other (on PostgreSQL each later statement then sees the others'). With `read_at`, the
/// write fails unless the team is still as the caller read it.
fn team_changed(assessment_id: &str, read_at: Option<i64>) -> Statement {
    match read_at {
        None => Statement::new(
            "UPDATE assessments SET members_version = members_version + 1 WHERE id = $1",
            vec![assessment_id.into()],
        ),
        Some(version) => Statement::new(
            "UPDATE assessments SET members_version = members_version + 1 WHERE id = $1 AND members_version = $2",
            vec![assessment_id.into(), version.into()],
        ),
    }
    .expect_rows(1)
}

/// Fails the write unless the assessment still has a team lead: someone must manage it.
fn a_lead_remains(assessment_id: &str) -> Statement {
    Statement::new(
        "UPDATE assessments SET version = version WHERE id = $1 \
         AND EXISTS (SELECT 1 FROM memberships WHERE assessment_id = $1 AND role = 'team-lead')",
        vec![assessment_id.into()],
    )
    .expect_rows(1)
}
