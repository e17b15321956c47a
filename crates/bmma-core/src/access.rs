//! Who may do what within an assessment: the one table of roles and permissions.
//!
//! Every check in the application asks `permits`; nothing else decides access. The table
//! is also rendered into docs/roles.md, and a test keeps the two identical.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A person's role within one assessment. Global administrators hold no role: they may do
/// everything everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    TeamLead,
    Expert,
    GovernmentFocalPoint,
    Donor,
    Observer,
}

impl Role {
    pub const ALL: [Role; 5] =
        [Role::TeamLead, Role::Expert, Role::GovernmentFocalPoint, Role::Donor, Role::Observer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::TeamLead => "team-lead",
            Role::Expert => "expert",
            Role::GovernmentFocalPoint => "government-focal-point",
            Role::Donor => "donor",
            Role::Observer => "observer",
        }
    }

    /// Whether someone in this role may be assigned elements to rate: whoever may rate.
    pub fn may_be_assigned(self) -> bool {
        rule(self, Action::Rate) == Yes
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.as_str() == text).ok_or_else(|| format!("unknown role '{text}'"))
    }
}

/// Something a person may want to do within an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See that the assessment exists: title, country, status, framework.
    View,
    /// See work in progress: scope, ratings and scores, and later draft findings.
    ViewDrafts,
    /// Change the assessment's details and scope.
    Edit,
    /// Add and remove members and change their roles.
    ManageMembers,
    /// Share results with donors, or drafts with the government for validation.
    Share,
    /// Read the assessment's audit trail.
    ViewHistory,
    /// Move the assessment along its life cycle.
    ChangeStatus,
    /// Rate the indicators of the elements one is assigned to.
    Rate,
    /// Assign elements to members and record the agreed score of an indicator.
    Agree,
    /// See and file evidence. Interview notes can name people, so evidence stays with the team.
    Evidence,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::View,
        Action::ViewDrafts,
        Action::Edit,
        Action::ManageMembers,
        Action::Share,
        Action::ViewHistory,
        Action::ChangeStatus,
        Action::Rate,
        Action::Agree,
        Action::Evidence,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            Action::View => "see the assessment (title, country, status, framework)",
            Action::ViewDrafts => "see work in progress (scope, ratings and scores; later drafts)",
            Action::Edit => "change details and scope",
            Action::ManageMembers => "add and remove members, change roles",
            Action::Share => "share with donors, or with the government for validation",
            Action::ViewHistory => "read the audit trail",
            Action::ChangeStatus => "move the assessment along its life cycle",
            Action::Rate => "rate the indicators of the elements assigned to them",
            Action::Agree => "assign elements, and record agreed scores",
            Action::Evidence => "see and file evidence: documents, interview notes, observations",
        }
    }
}

/// What the team lead has chosen to share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    /// Results are shared with the assessment's donors.
    pub with_donors: bool,
    /// Drafts are shared with the government for validation.
    pub for_validation: bool,
}

/// One cell of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Yes,
    No,
    IfSharedWithDonors,
    IfSharedForValidation,
}

use Rule::*;

/// Rows: actions, in `Action::ALL` order. Columns: roles, in `Role::ALL` order
/// (team lead, expert, government focal point, donor, observer).
const TABLE: [[Rule; 5]; 10] = [
    /* View          */ [Yes, Yes, Yes, IfSharedWithDonors, Yes],
    /* ViewDrafts    */ [Yes, Yes, IfSharedForValidation, No, Yes],
    /* Edit          */ [Yes, No, No, No, No],
    /* ManageMembers */ [Yes, No, No, No, No],
    /* Share         */ [Yes, No, No, No, No],
    /* ViewHistory   */ [Yes, Yes, No, No, No],
    /* ChangeStatus  */ [Yes, No, No, No, No],
    /* Rate          */ [Yes, Yes, No, No, No],
    /* Agree         */ [Yes, No, No, No, No],
    /* Evidence      */ [Yes, Yes, No, No, No],
];

/// Spelled out, so that a new action or role cannot compile without its place in the table.
fn rule(role: Role, action: Action) -> Rule {
    let row = match action {
        Action::View => 0,
        Action::ViewDrafts => 1,
        Action::Edit => 2,
        Action::ManageMembers => 3,
        Action::Share => 4,
        Action::ViewHistory => 5,
        Action::ChangeStatus => 6,
        Action::Rate => 7,
        Action::Agree => 8,
        Action::Evidence => 9,
    };
    let column = match role {
        Role::TeamLead => 0,
        Role::Expert => 1,
        Role::GovernmentFocalPoint => 2,
        Role::Donor => 3,
        Role::Observer => 4,
    };
    TABLE[row][column]
}

/// May someone with `role` (None: not a member) do `action`, given what is shared?
/// Administrators are let through before this is asked.
pub fn permits(role: Option<Role>, action: Action, sharing: Sharing) -> bool {
    let Some(role) = role else { return false };
    match rule(role, action) {
        Yes => true,
        No => false,
        IfSharedWithDonors => sharing.with_donors,
        IfSharedForValidation => sharing.for_validation,
    }
}

/// The table as Markdown, for docs/roles.md.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| may … | team lead | expert | government focal point | donor | observer |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for action in Action::ALL {
        out.push_str(&format!("| {} |", action.describe()));
        for role in Role::ALL {
            let cell = match rule(role, action) {
                Yes => "yes",
                No => "no",
                IfSharedWithDonors => "once shared with donors",
                IfSharedForValidation => "once shared for validation",
            };
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTHING_SHARED: Sharing = Sharing { with_donors: false, for_validation: false };
    const ALL_SHARED: Sharing = Sharing { with_donors: true, for_validation: true };

    #[test]
    fn donors_never_see_drafts_and_see_the_assessment_only_once_shared() {
        assert!(!permits(Some(Role::Donor), Action::ViewDrafts, ALL_SHARED));
        assert!(!permits(Some(Role::Donor), Action::View, NOTHING_SHARED));
        assert!(permits(
            Some(Role::Donor),
            Action::View,
            Sharing { with_donors: true, for_validation: false }
        ));
    }

    #[test]
    fn the_government_sees_drafts_only_once_shared_for_validation() {
        let role = Some(Role::GovernmentFocalPoint);
        assert!(!permits(role, Action::ViewDrafts, NOTHING_SHARED));
        assert!(permits(role, Action::ViewDrafts, Sharing { with_donors: false, for_validation: true }));
        assert!(permits(role, Action::View, NOTHING_SHARED));
    }

    #[test]
    fn only_the_team_lead_edits_manages_and_shares() {
        for action in
            [Action::Edit, Action::ManageMembers, Action::Share, Action::ChangeStatus, Action::Agree]
        {
            let allowed: Vec<Role> =
                Role::ALL.into_iter().filter(|r| permits(Some(*r), action, ALL_SHARED)).collect();
            assert_eq!(allowed, [Role::TeamLead], "{action:?}");
        }
    }

    #[test]
    fn the_lists_of_actions_and_roles_follow_the_table_order() {
        // `rule` spells out where each action and role sit; the table is laid out in the
        // order of `Action::ALL` and `Role::ALL`. The two must agree cell by cell.
        assert_eq!(Action::ALL.len(), TABLE.len());
        for (row, action) in Action::ALL.into_iter().enumerate() {
            for (column, role) in Role::ALL.into_iter().enumerate() {
                assert_eq!(rule(role, action), TABLE[row][column], "{action:?} for {role:?}");
            }
        }
        // A donor who may see a shared assessment does so through the View row.
        assert_eq!(rule(Role::Donor, Action::View), IfSharedWithDonors);
        assert_eq!(rule(Role::Observer, Action::ChangeStatus), No);
    }

    #[test]
    fn a_non_member_may_do_nothing() {
        for action in Action::ALL {
            assert!(!permits(None, action, ALL_SHARED), "{action:?}");
        }
    }

    #[test]
    fn roles_round_trip_through_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert!("boss".parse::<Role>().is_err());
    }
}
