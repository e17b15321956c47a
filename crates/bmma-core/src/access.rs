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

    /// Whether someone in this role may be assigned elements to rate.
    pub fn may_be_assigned(self) -> bool {
        rule(Holder::Member(self), Action::BeAssigned) == Yes
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

/// Something a person may want to do within an assessment. One action per feature, so a
/// feature's rights never ride on another's.
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
    /// Record border sites and the team's visits to them.
    Fieldwork,
    /// Assign elements to members for rating.
    Assign,
    /// Be assigned elements to rate.
    BeAssigned,
    /// Rate the indicators of the elements one is assigned to.
    Rate,
    /// Record the agreed score of an indicator.
    Agree,
    /// See and file evidence. Interview notes can name people, so evidence stays with the team.
    Evidence,
}

impl Action {
    pub const ALL: [Action; 13] = [
        Action::View,
        Action::ViewDrafts,
        Action::Edit,
        Action::ManageMembers,
        Action::Share,
        Action::ViewHistory,
        Action::ChangeStatus,
        Action::Fieldwork,
        Action::Assign,
        Action::BeAssigned,
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
            Action::Fieldwork => "record border sites and visits to them",
            Action::Assign => "assign elements to members for rating",
            Action::BeAssigned => "be assigned elements to rate",
            Action::Rate => "rate the indicators of the elements assigned to them",
            Action::Agree => "record agreed scores",
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

/// Who holds rights: a member of an assessment in their role, or an administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holder {
    Member(Role),
    Administrator,
}

impl Holder {
    /// The table's columns, in order.
    pub const ALL: [Holder; 6] = [
        Holder::Member(Role::TeamLead),
        Holder::Member(Role::Expert),
        Holder::Member(Role::GovernmentFocalPoint),
        Holder::Member(Role::Donor),
        Holder::Member(Role::Observer),
        Holder::Administrator,
    ];

    /// Where the holder's rights apply. A member's hold in the one assessment they are a
    /// member of; an administrator's in every assessment. Rights over every assessment of a
    /// country (the donor register's) will be a holder of their own with `Reach::Country`.
    pub fn reach(self) -> Reach {
        match self {
            Holder::Member(_) => Reach::Assessment,
            Holder::Administrator => Reach::Everywhere,
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Holder::Member(Role::TeamLead) => "team lead",
            Holder::Member(Role::Expert) => "expert",
            Holder::Member(Role::GovernmentFocalPoint) => "government focal point",
            Holder::Member(Role::Donor) => "donor",
            Holder::Member(Role::Observer) => "observer",
            Holder::Administrator => "administrator",
        }
    }
}

/// The assessments a holder's rights apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The assessment the holder is a member of.
    Assessment,
    /// Every assessment.
    Everywhere,
}

impl Reach {
    fn describe(self) -> &'static str {
        match self {
            Reach::Assessment => "in their assessment",
            Reach::Everywhere => "in every assessment",
        }
    }
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

/// Rows: actions, in `Action::ALL` order. Columns: holders, in `Holder::ALL` order (team
/// lead, expert, government focal point, donor, observer, administrator). An administrator
/// holds no role in an assessment, so is never assigned elements: to rate, they join the
/// team like anyone else.
const TABLE: [[Rule; 6]; 13] = [
    /* View          */ [Yes, Yes, Yes, IfSharedWithDonors, Yes, Yes],
    /* ViewDrafts    */ [Yes, Yes, IfSharedForValidation, No, Yes, Yes],
    /* Edit          */ [Yes, No, No, No, No, Yes],
    /* ManageMembers */ [Yes, No, No, No, No, Yes],
    /* Share         */ [Yes, No, No, No, No, Yes],
    /* ViewHistory   */ [Yes, Yes, No, No, No, Yes],
    /* ChangeStatus  */ [Yes, No, No, No, No, Yes],
    /* Fieldwork     */ [Yes, Yes, No, No, No, Yes],
    /* Assign        */ [Yes, No, No, No, No, Yes],
    /* BeAssigned    */ [Yes, Yes, No, No, No, No],
    /* Rate          */ [Yes, Yes, No, No, No, Yes],
    /* Agree         */ [Yes, No, No, No, No, Yes],
    /* Evidence      */ [Yes, Yes, No, No, No, Yes],
];

/// Spelled out, so that a new action or holder cannot compile without its place in the table.
fn rule(holder: Holder, action: Action) -> Rule {
    let row = match action {
        Action::View => 0,
        Action::ViewDrafts => 1,
        Action::Edit => 2,
        Action::ManageMembers => 3,
        Action::Share => 4,
        Action::ViewHistory => 5,
        Action::ChangeStatus => 6,
        Action::Fieldwork => 7,
        Action::Assign => 8,
        Action::BeAssigned => 9,
        Action::Rate => 10,
        Action::Agree => 11,
        Action::Evidence => 12,
    };
    let column = match holder {
        Holder::Member(Role::TeamLead) => 0,
        Holder::Member(Role::Expert) => 1,
        Holder::Member(Role::GovernmentFocalPoint) => 2,
        Holder::Member(Role::Donor) => 3,
        Holder::Member(Role::Observer) => 4,
        Holder::Administrator => 5,
    };
    TABLE[row][column]
}

/// May `holder` (None: neither a member nor an administrator) do `action` in an assessment
/// within the holder's reach, given what is shared there?
pub fn permits(holder: Option<Holder>, action: Action, sharing: Sharing) -> bool {
    let Some(holder) = holder else { return false };
    match rule(holder, action) {
        Yes => true,
        No => false,
        IfSharedWithDonors => sharing.with_donors,
        IfSharedForValidation => sharing.for_validation,
    }
}

/// The table as Markdown, for docs/roles.md.
pub fn markdown_table() -> String {
    let mut out = String::from("| may … |");
    for holder in Holder::ALL {
        out.push_str(&format!(" {} |", holder.heading()));
    }
    out.push('\n');
    out.push_str(&"|---".repeat(Holder::ALL.len() + 1));
    out.push_str("|\n| *where the rights apply* |");
    for holder in Holder::ALL {
        out.push_str(&format!(" *{}* |", holder.reach().describe()));
    }
    out.push('\n');
    for action in Action::ALL {
        out.push_str(&format!("| {} |", action.describe()));
        for holder in Holder::ALL {
            let cell = match rule(holder, action) {
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

    fn member(role: Role) -> Option<Holder> {
        Some(Holder::Member(role))
    }

    #[test]
    fn donors_never_see_drafts_and_see_the_assessment_only_once_shared() {
        assert!(!permits(member(Role::Donor), Action::ViewDrafts, ALL_SHARED));
        assert!(!permits(member(Role::Donor), Action::View, NOTHING_SHARED));
        assert!(permits(
            member(Role::Donor),
            Action::View,
            Sharing { with_donors: true, for_validation: false }
        ));
    }

    #[test]
    fn the_government_sees_drafts_only_once_shared_for_validation() {
        let role = member(Role::GovernmentFocalPoint);
        assert!(!permits(role, Action::ViewDrafts, NOTHING_SHARED));
        assert!(permits(role, Action::ViewDrafts, Sharing { with_donors: false, for_validation: true }));
        assert!(permits(role, Action::View, NOTHING_SHARED));
    }

    #[test]
    fn only_the_team_lead_and_administrators_edit_manage_share_assign_and_agree() {
        for action in [
            Action::Edit,
            Action::ManageMembers,
            Action::Share,
            Action::ChangeStatus,
            Action::Assign,
            Action::Agree,
        ] {
            let allowed: Vec<Holder> =
                Holder::ALL.into_iter().filter(|h| permits(Some(*h), action, ALL_SHARED)).collect();
            assert_eq!(allowed, [Holder::Member(Role::TeamLead), Holder::Administrator], "{action:?}");
        }
    }

    #[test]
    fn the_team_records_fieldwork_and_is_assigned_but_an_administrator_is_never_assigned() {
        for action in [Action::Fieldwork, Action::BeAssigned, Action::Rate, Action::Evidence] {
            let members: Vec<Role> =
                Role::ALL.into_iter().filter(|r| permits(member(*r), action, ALL_SHARED)).collect();
            assert_eq!(members, [Role::TeamLead, Role::Expert], "{action:?}");
        }
        assert!(!permits(Some(Holder::Administrator), Action::BeAssigned, ALL_SHARED));
        let assignable: Vec<Role> = Role::ALL.into_iter().filter(|r| r.may_be_assigned()).collect();
        assert_eq!(assignable, [Role::TeamLead, Role::Expert]);
    }

    #[test]
    fn an_administrators_rights_reach_every_assessment_and_a_members_only_their_own() {
        assert_eq!(Holder::Administrator.reach(), Reach::Everywhere);
        for role in Role::ALL {
            assert_eq!(Holder::Member(role).reach(), Reach::Assessment);
        }
    }

    #[test]
    fn the_lists_of_actions_and_holders_follow_the_table_order() {
        // `rule` spells out where each action and holder sit; the table is laid out in the
        // order of `Action::ALL` and `Holder::ALL`. The two must agree cell by cell.
        assert_eq!(Action::ALL.len(), TABLE.len());
        for (row, action) in Action::ALL.into_iter().enumerate() {
            for (column, holder) in Holder::ALL.into_iter().enumerate() {
                assert_eq!(rule(holder, action), TABLE[row][column], "{action:?} for {holder:?}");
            }
        }
        // A donor who may see a shared assessment does so through the View row.
        assert_eq!(rule(Holder::Member(Role::Donor), Action::View), IfSharedWithDonors);
        assert_eq!(rule(Holder::Member(Role::Observer), Action::ChangeStatus), No);
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
