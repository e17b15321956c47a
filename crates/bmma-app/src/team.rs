//! The people of an assessment: its members and their roles, invitations, what is shared
//! and with whom, and which experts rate which elements.

use std::collections::BTreeSet;

use bmma_core::{Action, Role, Sharing};
use bmma_store::{Invitation, Member, StoreError, User, normalise_email};

use crate::access::Access;
use crate::{App, AppError};

/// How `add_member` took a person in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Added {
    /// Their account joined the team at once (an administrator adding, or a member whose
    /// role changed).
    Member,
    /// An invitation went to the address, to be accepted by its owner.
    Invited,
}

/// The team changed since the caller read it.
fn stale_team() -> AppError {
    AppError::Stale { key: "error-stale-members", by: None }
}

/// An assessment always keeps a team lead: someone must be able to manage it.
fn is_last_lead(members: &[Member], user_id: &str) -> bool {
    let leads: Vec<&Member> = members.iter().filter(|m| m.role == Role::TeamLead).collect();
    leads.len() == 1 && leads[0].user_id == user_id
}

/// (element code, user id) pairs: who rates what.
pub type Assignments = BTreeSet<(String, String)>;

impl App {
    /// The assessment's team.
    pub async fn members(&self, access: &Access) -> Result<Vec<Member>, AppError> {
        access.require(Action::ViewDrafts)?;
        Ok(self.store.members(&access.assessment.id).await?)
    }

    /// The invitations still waiting for an answer.
    pub async fn invitations(&self, access: &Access) -> Result<Vec<Invitation>, AppError> {
        access.require(Action::ViewDrafts)?;
        Ok(self.store.invitations(&access.assessment.id).await?)
    }

    /// The invitations waiting for `user`'s own answer, in every assessment.
    pub async fn invitations_for(&self, user: &User) -> Result<Vec<Invitation>, AppError> {
        Ok(self.store.invitations_for(&user.email).await?)
    }

    async fn team_version(&self, id: &str) -> Result<i64, AppError> {
        Ok(self.store.get_assessment(id).await?.ok_or(AppError::NotFound)?.members_version)
    }

    /// Gives the person at `email` the role named `role`, over the team `version` the caller
    /// read. Only an administrator, who sees every account anyway, adds an account directly;
    /// anyone else invites, with the same answer whether or not the address has an account,
    /// so that adding people tells nothing about who has one.
    pub async fn add_member(
        &self,
        by: &User,
        id: &str,
        email: &str,
        role: &str,
        version: i64,
    ) -> Result<Added, AppError> {
        self.assessment_for(by, id, Action::ManageMembers).await?;
        let role = role.parse::<Role>().map_err(|_| AppError::Refused("error-unknown-role"))?;
        if !crate::accounts::looks_like_email(email) {
            return Err(AppError::Refused("error-email"));
        }
        let members = self.store.members(id).await?;
        let email = normalise_email(email);
        let user = match members.iter().find(|m| m.email == email) {
            Some(m) => self.store.user_by_id(&m.user_id).await?,
            None if by.is_admin => match self.store.user_by_email(&email).await? {
                Some((user, _)) => Some(user),
                None => return Err(AppError::Refused("error-no-such-account")),
            },
            None => None,
        };
        let Some(user) = user else {
            return match self.store.invite(id, &email, role, Some(version), &by.actor()).await {
                Err(StoreError::Conflict) => Err(stale_team()),
                Err(e) => Err(e.into()),
                Ok(()) => Ok(Added::Invited),
            };
        };
        if role != Role::TeamLead && is_last_lead(&members, &user.id) {
            return Err(AppError::Refused("error-last-team-lead"));
        }
        match self.store.set_member(id, &user, role, Some(version), &by.actor()).await {
            Ok(()) => Ok(Added::Member),
            Err(StoreError::Conflict) if self.team_version(id).await? != version => Err(stale_team()),
            // Another lead stepped down at the same moment: the store's own check refused.
            Err(StoreError::Conflict) => Err(AppError::Refused("error-last-team-lead")),
            Err(e) => Err(e.into()),
        }
    }

    /// Ends a pending invitation to `email`, over the team `version` the caller read.
    pub async fn withdraw_invitation(
        &self,
        by: &User,
        id: &str,
        email: &str,
        version: i64,
    ) -> Result<(), AppError> {
        self.assessment_for(by, id, Action::ManageMembers).await?;
        if self.store.end_invitation(id, email, Some(version), &by.actor()).await? {
            return Ok(());
        }
        if self.team_version(id).await? != version { Err(stale_team()) } else { Err(AppError::NotFound) }
    }

    /// The invited person accepts or declines. Only an invitation to the caller's own
    /// address can be answered; any other looks like none.
    pub async fn answer_invitation(&self, user: &User, id: &str, accept: bool) -> Result<(), AppError> {
        let answered = if accept {
            self.store.accept_invitation(id, user).await?
        } else {
            self.store.end_invitation(id, &user.email, None, &user.actor()).await?
        };
        if answered { Ok(()) } else { Err(AppError::NotFound) }
    }

    /// Takes `user_id` off the team, over the team `version` the caller read.
    pub async fn remove_member(
        &self,
        by: &User,
        id: &str,
        user_id: &str,
        version: i64,
    ) -> Result<(), AppError> {
        self.assessment_for(by, id, Action::ManageMembers).await?;
        let members = self.store.members(id).await?;
        let member = members.iter().find(|m| m.user_id == user_id).ok_or(AppError::NotFound)?;
        if is_last_lead(&members, user_id) {
            return Err(AppError::Refused("error-last-team-lead"));
        }
        if self.store.remove_member(id, member, Some(version), &by.actor()).await? {
            return Ok(());
        }
        if self.team_version(id).await? != version {
            return Err(stale_team());
        }
        // Another lead left at the same moment, and the store's own check refused this one.
        if is_last_lead(&self.store.members(id).await?, user_id) {
            return Err(AppError::Refused("error-last-team-lead"));
        }
        Ok(())
    }

    /// Opens the assessment to donors or to the government's validation, or closes it again,
    /// over the assessment `version` the caller read.
    pub async fn set_sharing(
        &self,
        by: &User,
        id: &str,
        sharing: Sharing,
        version: i64,
    ) -> Result<(), AppError> {
        let current = self.assessment_for(by, id, Action::Share).await?.assessment;
        self.over_version(&current, version, self.store.set_sharing(&current, sharing, &by.actor())).await
    }

    /// Who rates which element.
    pub async fn assignments(&self, access: &Access) -> Result<Assignments, AppError> {
        access.require(Action::ViewDrafts)?;
        Ok(self.store.assignments(&access.assessment.id).await?.into_iter().collect())
    }

    /// The members who may be assigned elements to rate.
    pub async fn raters(&self, access: &Access) -> Result<Vec<Member>, AppError> {
        let members = self.members(access).await?;
        Ok(members.into_iter().filter(|m| m.role.may_be_assigned()).collect())
    }

    /// Makes the assignments `wanted`, over the assignments version `read_at` the caller
    /// read. One write for the whole request: every element's change is saved, or none is.
    pub async fn set_assignments(
        &self,
        by: &User,
        id: &str,
        wanted: &Assignments,
        read_at: i64,
    ) -> Result<(), AppError> {
        let access = self.assessment_for(by, id, Action::Assign).await?;
        let loaded = self.framework_of(&access.assessment).await?;
        let members = self.store.members(id).await?;
        let current = self.assignments(&access).await?;
        let mut changed = Vec::new();
        for element in loaded.framework.elements() {
            let of = |set: &Assignments| -> BTreeSet<String> {
                set.iter().filter(|(e, _)| *e == element.code).map(|(_, u)| u.clone()).collect()
            };
            let (before, after) = (of(&current), of(wanted));
            if before == after {
                continue;
            }
            let mut assigned = Vec::new();
            for user_id in &after {
                let member = members
                    .iter()
                    .find(|m| &m.user_id == user_id && m.role.may_be_assigned())
                    .ok_or(AppError::Forbidden("error-not-a-rater"))?;
                assigned.push(member.clone());
            }
            changed.push((element.code.clone(), assigned));
        }
        if changed.is_empty() {
            return Ok(());
        }
        match self.store.set_assignments(id, read_at, &changed, &by.actor()).await {
            Ok(()) => Ok(()),
            Err(StoreError::Conflict) => {
                let now = self.store.get_assessment(id).await?.ok_or(AppError::NotFound)?;
                if now.assignments_version != read_at {
                    return Err(AppError::Stale { key: "error-stale-assignments", by: None });
                }
                // Someone named lost their role between the read and the write.
                Err(AppError::Forbidden("error-not-a-rater"))
            }
            Err(e) => Err(e.into()),
        }
    }
}
