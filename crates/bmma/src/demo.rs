//! The demo: an assessment of a fictional country with a small team, so a newcomer sees
//! bmma working at once. For trying bmma out only: the demo accounts share one published
//! password.

use bmma_app::access::Access;
use bmma_app::records::User;
use bmma_app::scoring::{Kind, ScoreRequest};
use bmma_app::{App, AppError};
use bmma_core::{Action, AssessmentStatus, Country, Rating, Role};

/// Fixed, so that loading the demo twice finds the first copy instead of making another.
pub const DEMO_ASSESSMENT_ID: &str = "00000000-0000-4000-8000-00000000d3e0";

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "valdoria-demo-2026";

/// The demo accounts: e-mail, name, administrator, role in the demo assessment.
const PEOPLE: &[(&str, &str, bool, Option<Role>)] = &[
    ("admin@valdoria.example", "Demo Administrator", true, None),
    ("lead@valdoria.example", "Amina Haddad", false, Some(Role::TeamLead)),
    ("expert@valdoria.example", "Jonas Berg", false, Some(Role::Expert)),
    ("government@valdoria.example", "Teodor Valen", false, Some(Role::GovernmentFocalPoint)),
    ("donor@valdoria.example", "Grace Mwangi", false, Some(Role::Donor)),
];

/// What `bmma demo` and `bmma serve --demo` print for signing in.
pub fn credentials() -> Vec<String> {
    let mut lines = vec![format!("demo accounts (password {DEMO_PASSWORD}):")];
    for (email, name, admin, role) in PEOPLE {
        let what = match (admin, role) {
            (true, _) => "administrator".to_string(),
            (false, Some(role)) => role.as_str().replace('-', " "),
            (false, None) => "member".to_string(),
        };
        lines.push(format!("  {email:<30} {name}, {what}"));
    }
    lines
}

/// Loads the demo accounts and assessment where they are missing; returns the assessment's
/// id. Everything goes through the application layer, as the people named would do it in the
/// browser, so the demo passes every rule their own data would.
pub async fn load(app: &App, reading: &bmma_app::TextReading) -> anyhow::Result<&'static str> {
    let mut people: Vec<(User, Option<Role>)> = Vec::new();
    for (email, name, admin, role) in PEOPLE {
        let user = match app.user_by_email(email).await? {
            Some(user) => user,
            None => {
                let new =
                    bmma_app::accounts::NewAccount { email, name, password: DEMO_PASSWORD, admin: *admin };
                app.create_user(None, new).await?
            }
        };
        people.push((user, *role));
    }
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(admin), Some(lead)) =
        (people.iter().find(|(u, _)| u.is_admin).map(|(u, _)| u), person(Role::TeamLead))
    else {
        anyhow::bail!("the demo has no administrator or team lead");
    };

    // The team lead opens the assessment, and so leads it.
    if let Err(AppError::NotFound) = app.assessment_for(lead, DEMO_ASSESSMENT_ID, Action::View).await {
        let country = Country::by_code("XV").ok_or_else(|| anyhow::anyhow!("the demo country is missing"))?;
        let request = bmma_app::assessments::OpenAssessment {
            country: country.code.to_string(),
            // The bare id opens the newest installed version, as for anyone.
            framework: "bmm".into(),
            title: "Border and migration management assessment of Valdoria".into(),
            requesting_body: "Ministry of the Interior, Directorate of Border Police".into(),
            scope: None,
        };
        app.open_assessment(lead, DEMO_ASSESSMENT_ID.into(), request).await?;
    }
    // The administrator, who sees every account, adds the rest of the team.
    for (user, role) in &people {
        let access = app.assessment_for(admin, DEMO_ASSESSMENT_ID, Action::ManageMembers).await?;
        let Some(role) = role else { continue };
        if app.members(&access).await?.iter().any(|m| m.user_id == user.id) {
            continue;
        }
        let version = access.assessment.members_version;
        app.add_member(admin, DEMO_ASSESSMENT_ID, &user.email, role.as_str(), version).await?;
    }
    // The demo team has agreed the scope and is in the field.
    for to in [AssessmentStatus::Scoping, AssessmentStatus::Fieldwork] {
        let current = lead_access(app, lead).await?.assessment;
        if current.status.can_move_to(to) && current.status.is_forward(to) {
            app.move_status(lead, DEMO_ASSESSMENT_ID, to.as_str(), current.version).await?;
        }
    }
    plan(app, lead).await?;
    fieldwork(app, &people).await?;
    evidence(app, &people).await?;
    // The demo's uploads are read like anyone's: by the reading process, outside this one.
    app.read_waiting(reading).await?;
    score(app, &people).await?;
    Ok(DEMO_ASSESSMENT_ID)
}

/// The demo assessment as its team lead sees it.
async fn lead_access(app: &App, lead: &User) -> anyhow::Result<Access> {
    Ok(app.assessment_for(lead, DEMO_ASSESSMENT_ID, Action::View).await?)
}

/// The demo's method and timeline: five weeks into the usual twelve. Only on a fresh demo.
async fn plan(app: &App, lead: &User) -> anyhow::Result<()> {
    use bmma_core::plan::{DEFAULT_MILESTONES, Method, Milestone, Plan, default_end};
    let access = lead_access(app, lead).await?;
    if app.plan(&access).await?.start.is_some() {
        return Ok(());
    }
    let start = time::OffsetDateTime::now_utc().date() - time::Duration::weeks(5);
    let names = [
        "Scope and method agreed with the Ministry",
        "Desk review complete",
        "Visits to the five border crossing points complete",
        "Draft findings shared for validation",
        "Final report delivered",
    ];
    let plan = Plan {
        start: Some(start),
        end: Some(default_end(start)),
        evidence_cutoff: Some(default_end(start) - time::Duration::weeks(4)),
        counterparts: vec!["Director of Border Police".into(), "Head of the Immigration Service".into()],
        methods: [
            ("ADM.1", vec![Method::DeskReview, Method::Interviews]),
            ("ADM.2", vec![Method::DeskReview, Method::SiteVisits]),
        ]
        .into_iter()
        .map(|(code, methods)| (code.to_string(), methods))
        .collect(),
        milestones: DEFAULT_MILESTONES
            .iter()
            .zip(names)
            .map(|((_, week), name)| Milestone {
                name: name.into(),
                due: start + time::Duration::weeks(*week),
            })
            .collect(),
    };
    let version = access.assessment.version;
    app.set_plan(lead, DEMO_ASSESSMENT_ID, &plan, version, Vec::new()).await?;
    Ok(())
}

/// Two of Valdoria's border sites and the team's first visit. Only on a fresh demo.
async fn fieldwork(app: &App, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    use bmma_core::sites::{Site, SiteKind};
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    if !app.sites(&lead_access(app, lead).await?).await?.is_empty() {
        return Ok(());
    }
    let sites = [
        (
            "Harren Bridge crossing",
            SiteKind::Land,
            (47_120_500, 19_853_200),
            vec!["Border Police", "Customs"],
            1_840_000,
        ),
        (
            "Valdor International Airport",
            SiteKind::Air,
            (47_498_100, 19_261_700),
            vec!["Border Police", "Customs", "Airport health"],
            3_200_000,
        ),
    ];
    let mut ids = Vec::new();
    for (name, kind, (lat, lon), agencies, travellers) in sites {
        let site = Site {
            name: name.into(),
            kind,
            latitude_e6: Some(lat),
            longitude_e6: Some(lon),
            agencies: agencies.into_iter().map(String::from).collect(),
            travellers_per_year: Some(travellers),
        };
        ids.push(app.add_site(lead, DEMO_ASSESSMENT_ID, &site, Vec::new()).await?);
    }
    let visit = bmma_app::fieldwork::NewVisit {
        site_id: ids[0].clone(),
        date: Some(time::OffsetDateTime::now_utc().date() - time::Duration::days(9)),
        members: vec![lead.id.clone(), expert.id.clone()],
        observed: vec!["ADM.1.2".into(), "OPS.2.1".into(), "INF.2.2".into()],
        notes: "Night shift had no named supervisor; alert list checked on arrival only; two of four desks with document readers.".into(),
    };
    app.add_visit(lead, DEMO_ASSESSMENT_ID, visit, Vec::new()).await?;
    Ok(())
}

/// The first items of the evidence register: a PDF and a text document, interview notes,
/// an observation and a visit record. Only on a fresh demo.
async fn evidence(app: &App, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    use bmma_core::evidence::EvidenceKind;
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    if !app.evidence(&lead_access(app, lead).await?).await?.is_empty() {
        return Ok(());
    }
    let standing_orders = bmma_extract::one_page_pdf(&[
        "Border Police of Valdoria - Standing Order 12/2023 (extract)",
        "1. Each border crossing point is commanded by a post commander appointed by the regional director.",
        "2. Each shift has a shift supervisor named in the monthly duty roster.",
        "3. The post commander reports daily to the regional duty officer.",
    ]);
    let law = "Border Police Act 2016 (unofficial translation, extract)\n\n\
        Article 4. The Border Police guards the state border and carries out border checks at crossing points.\n\
        Article 9. The Immigration Service decides on entry refusals referred to it by the Border Police.\n\
        Article 21. Customs officers at crossing points act under a joint instruction agreed with the Border Police.\n";
    let uploads = [
        ("standing-order-12-2023.pdf", standing_orders),
        ("border-police-act-2016.txt", law.as_bytes().to_vec()),
    ];
    let items = [
        (
            expert,
            EvidenceKind::Document,
            "Standing Order 12/2023 on command at border posts",
            "Received from the Border Police directorate during the first week.",
            vec!["ADM.1.2"],
            Some(0),
        ),
        (
            lead,
            EvidenceKind::Document,
            "Border Police Act 2016 (extract)",
            "Unofficial translation supplied by the Ministry of Interior.",
            vec!["ADM.1.1"],
            Some(1),
        ),
        (
            expert,
            EvidenceKind::Interview,
            "Interview: deputy director, Border Police",
            "Staffing establishment exists but is classified; a summary table was promised for next week. \
             Shift supervisors are named in the duty roster at airports, not always at land crossings.",
            vec!["ADM.1.2", "ADM.1.3"],
            None,
        ),
        (
            lead,
            EvidenceKind::Observation,
            "Night shift at Harren Bridge",
            "No supervisor was named for the night shift; the duty roster on the wall ended at 18:00.",
            vec!["ADM.1.2", "OPS.2.1"],
            None,
        ),
        (
            lead,
            EvidenceKind::VisitRecord,
            "Visit record: Harren Bridge crossing",
            "Alert list checked on arrival only; two of four desks have document readers; passport stamps logged by hand.",
            vec!["ADM.1.2", "OPS.2.1", "INF.2.2"],
            None,
        ),
    ];
    for (who, kind, title, notes, indicators, upload) in items {
        let filing = bmma_app::evidence::Filing {
            kind: kind.as_str().into(),
            title: title.into(),
            notes: notes.into(),
            indicators: indicators.into_iter().map(String::from).collect(),
            file: upload.map(|n: usize| {
                let (name, bytes) = &uploads[n];
                bmma_app::evidence::Offered::bytes(name, bytes.clone())
            }),
        };
        app.file_evidence(who, DEMO_ASSESSMENT_ID, &bmma_app::new_id(), filing).await?;
    }
    Ok(())
}

/// The demo team's first ratings: two experts on Structure, one disagreement left to
/// resolve, and one score already agreed. Only on a fresh demo.
async fn score(app: &App, people: &[(User, Option<Role>)]) -> anyhow::Result<()> {
    let person = |role| people.iter().find(|(_, r)| *r == Some(role)).map(|(u, _)| u);
    let (Some(lead), Some(expert)) = (person(Role::TeamLead), person(Role::Expert)) else { return Ok(()) };
    let access = lead_access(app, lead).await?;
    if app.score_data(&access).await?.has_ratings() {
        return Ok(());
    }
    let wanted: bmma_app::team::Assignments = ["ADM.1", "ADM.2"]
        .into_iter()
        .flat_map(|e| [(e.to_string(), lead.id.clone()), (e.to_string(), expert.id.clone())])
        .collect();
    let read_at = access.assessment.assignments_version;
    app.set_assignments(lead, DEMO_ASSESSMENT_ID, &wanted, read_at).await?;
    let ratings: [(&User, &str, Rating, &str); 5] = [
        (
            expert,
            "ADM.1.1",
            Rating::Level(3),
            "The border police and immigration service each have a mandate in an adopted law; the customs role at posts rests on a 2019 joint instruction.",
        ),
        (
            lead,
            "ADM.1.1",
            Rating::Level(3),
            "Laws establish both main agencies; the joint instruction allocates shared tasks at the posts.",
        ),
        (
            expert,
            "ADM.1.2",
            Rating::Level(2),
            "The organisation chart stops at regional level; two of the five posts visited had no written chain of command.",
        ),
        (
            lead,
            "ADM.1.2",
            Rating::Level(4),
            "Standing orders set the chain of command down to each shift at the posts visited.",
        ),
        (
            expert,
            "ADM.1.3",
            Rating::InsufficientEvidence,
            "No staffing establishment was provided; requested from the directorate.",
        ),
    ];
    let register = app.evidence(&access).await?;
    // Each expert cites the register's items on the indicator they rate.
    let cited = |indicator: &str| -> Vec<String> {
        register
            .iter()
            .filter(|e| e.indicators.iter().any(|c| c == indicator))
            .map(|e| e.id.clone())
            .collect()
    };
    // The scores pass every rule a user's pass: assignment, scope, status, the scale, the
    // written reason and the cited evidence.
    for (who, indicator, rating, text) in ratings {
        let evidence = cited(indicator);
        let request = ScoreRequest { rating, text, evidence: &evidence, version: 0 };
        app.save_score(who, DEMO_ASSESSMENT_ID, indicator, Kind::Rating, request).await?;
    }
    let evidence = cited("ADM.1.1");
    let agreed = ScoreRequest {
        rating: Rating::Level(3),
        text: "Both experts found mandates in adopted law and a written allocation of shared tasks; practice at the posts was not yet shown.",
        evidence: &evidence,
        version: 0,
    };
    app.save_score(lead, DEMO_ASSESSMENT_ID, "ADM.1.1", Kind::Agreed, agreed).await?;
    Ok(())
}
