//! The evidence register through the web: filing with uploads, searching the words of PDFs,
//! downloading, citing evidence in ratings, and refusing what must be refused.

use axum::http::{StatusCode, header};
use bmma_core::evidence::TextState;
use serde_json::json;

use crate::scoring::{Team, team};
use crate::{TestApp, app_with};

fn register(t: &Team) -> String {
    format!("/assessments/{}/evidence", t.id)
}

fn api_register(t: &Team) -> String {
    format!("/api/v1/assessments/{}/evidence", t.id)
}

fn standing_order() -> Vec<u8> {
    bmma_extract::one_page_pdf(&[
        "Standing Order 12/2023",
        "Each shift has a shift supervisor named in the monthly duty roster.",
    ])
}

#[tokio::test]
async fn an_expert_files_a_pdf_finds_it_by_its_words_and_downloads_it_unchanged() {
    let t = team().await;
    let pdf = standing_order();
    let filed = t
        .app
        .upload_as(
            &t.ada,
            &register(&t),
            &[
                ("kind", "document"),
                ("title", "Command at border posts"),
                ("notes", "Received from the directorate"),
                ("indicators", "ADM.1.2"),
                ("indicators", "ADM.1.3"),
            ],
            Some(("C:\\scans\\../standing-order.pdf", &pdf)),
            false,
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let items = t.app.wait_for_texts(&t.id).await;
    let file = items[0].file.as_ref().unwrap();
    assert_eq!((file.name.as_str(), file.media_type.as_str()), ("standing-order.pdf", "application/pdf"));
    assert_eq!(file.sha256, bmma_store::sha256_hex(&pdf));
    assert_eq!(file.text_state, TextState::Read, "the words of the PDF were read");

    // A word found only inside the PDF finds the item, with the passage around it.
    let page = t.app.get_as(&t.bob, &format!("{}?q=supervis+roster", register(&t))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Command at border posts"), "{}", page.body);
    assert!(page.body.contains("shift supervisor named in the monthly duty roster"));
    assert!(page.body.contains("Name of ada@example.org"), "the register names who filed it");
    let none = t.app.get_as(&t.bob, &format!("{}?q=helicopter", register(&t))).await;
    assert!(!none.body.contains("Command at border posts"));
    let api = t.app.get_as(&t.bob, &format!("{}?q=standing", api_register(&t))).await.json();
    assert_eq!(api["items"][0]["title"], "Command at border posts");
    assert_eq!(api["items"][0]["file"]["sha256"], file.sha256.as_str());

    // The indicator page lists it; the download is the same bytes, as an attachment.
    let indicator = t.app.get_as(&t.ada, &format!("/assessments/{}/indicators/ADM.1.3", t.id)).await;
    assert!(indicator.body.contains("Command at border posts"));
    let download = t.app.get_as(&t.bob, &format!("{}/{}/file", register(&t), items[0].id)).await;
    assert_eq!(download.status, StatusCode::OK);
    assert_eq!(download.bytes, pdf);
    assert_eq!(download.header(header::CONTENT_TYPE), "application/pdf");
    assert!(
        download
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment; filename=\"standing-order.pdf\"")
    );
    assert_eq!(download.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
}

#[tokio::test]
async fn interview_notes_are_filed_through_the_api_and_cited_by_a_rating() {
    let t = team().await;
    let filed = t
        .app
        .upload_as(
            &t.bob,
            &api_register(&t),
            &[
                ("kind", "interview"),
                ("title", "Interview: deputy director"),
                ("notes", "Passports are stamped by hand at night."),
                ("indicators", "ADM.1.1"),
            ],
            None,
            true,
        )
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{}", filed.body);
    let item = filed.json();
    assert_eq!((item["kind"].as_str(), item["version"].as_i64()), (Some("interview"), Some(1)));
    let evidence_id = item["id"].as_str().unwrap().to_string();

    let rating = json!({ "state": "level", "level": "2", "text": "Stamps only", "version": 0, "evidence": [evidence_id] });
    let saved = t
        .app
        .put_json_as(
            &t.bob,
            &format!("/api/v1/assessments/{}/indicators/ADM.1.1/rating", t.id),
            &rating.to_string(),
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    // The answer is the indicator as Bob now sees it, his citation included, once.
    assert_eq!(saved.json()["mine"]["evidence"], json!([evidence_id]), "{}", saved.body);
    let stored = t.app.store.ratings(&t.id).await.unwrap();
    assert_eq!(stored[0].evidence, std::slice::from_ref(&evidence_id));
    let page = t.app.get_as(&t.bob, &format!("/assessments/{}/indicators/ADM.1.1", t.id)).await;
    assert!(page.body.contains("Cites:") && page.body.contains("Interview: deputy director"));

    let unknown =
        json!({ "state": "level", "level": "3", "text": "x", "version": 1, "evidence": ["no-such-item"] });
    let refused = t
        .app
        .put_json_as(
            &t.bob,
            &format!("/api/v1/assessments/{}/indicators/ADM.1.1/rating", t.id),
            &unknown.to_string(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["fields"][0]["field"], "evidence");
    assert_eq!(t.app.store.ratings(&t.id).await.unwrap()[0].version, 1, "nothing was written");

    // The API has no forms, so a form's token is an unknown field like any other.
    let with_token = json!({ "state": "level", "level": "3", "text": "x", "version": 1, "csrf": "t" });
    let refused = t
        .app
        .put_json_as(
            &t.bob,
            &format!("/api/v1/assessments/{}/indicators/ADM.1.1/rating", t.id),
            &with_token.to_string(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("csrf"), "{}", refused.body);

    // An edit over the version read; a second edit from the same old version is refused.
    let edit = json!({ "title": "Interview: deputy director, Border Police", "notes": "Stamps by hand", "indicators": ["ADM.1.1"], "version": 1 });
    let path = format!("{}/{evidence_id}", api_register(&t));
    let first = t.app.put_json_as(&t.ada, &path, &edit.to_string()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = t.app.put_json_as(&t.bob, &path, &edit.to_string()).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.json()["error"]["message"].as_str().unwrap().contains("ada@example.org"));
}

#[tokio::test]
async fn uploads_over_the_limit_or_of_other_types_and_bad_links_are_refused_by_field() {
    let app = app_with(bmma_web::Settings { max_upload_bytes: 2_000_000, ..Default::default() }).await;
    let t = team_on(app).await;
    let fields = [("kind", "document"), ("title", "Roster"), ("indicators", "ADM.1.1")];
    let big = vec![b'a'; 2_000_001];
    let cases: [(&str, &[u8], StatusCode, &str); 3] = [
        ("roster.txt", &big, StatusCode::PAYLOAD_TOO_LARGE, "upload limit of 2 MB"),
        ("page.html", b"<html><script>alert(1)</script>", StatusCode::UNSUPPORTED_MEDIA_TYPE, "page.html"),
        ("tool.pdf.exe", b"MZ\x90\x00\x03", StatusCode::UNSUPPORTED_MEDIA_TYPE, "tool.pdf.exe"),
    ];
    for (name, bytes, status, words) in cases {
        let api = t.app.upload_as(&t.lead, &api_register(&t), &fields, Some((name, bytes)), true).await;
        assert_eq!(api.status, status, "{name}: {}", api.body);
        let error = &api.json()["error"]["fields"][0];
        assert_eq!(error["field"], "file", "{name}");
        assert!(error["message"].as_str().unwrap().contains(words), "{name}: {error}");
        let form = t.app.upload_as(&t.lead, &register(&t), &fields, Some((name, bytes)), false).await;
        assert_eq!(form.status, status, "{name}");
        assert!(form.body.contains(words), "{name}: the page says why");
    }
    // A body far over the limit is refused before it is read whole.
    let huge = vec![b'a'; 4_000_000];
    let form = t.app.upload_as(&t.lead, &register(&t), &fields, Some(("huge.txt", &huge)), false).await;
    assert_eq!(form.status, StatusCode::PAYLOAD_TOO_LARGE);
    let api = t.app.upload_as(&t.lead, &api_register(&t), &fields, Some(("huge.txt", &huge)), true).await;
    assert_eq!(api.status, StatusCode::PAYLOAD_TOO_LARGE);

    let bad_links = [("kind", "observation"), ("title", ""), ("indicators", "ZZZ.9.9")];
    let reply = t.app.upload_as(&t.lead, &api_register(&t), &bad_links, None, true).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> =
        reply.json()["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].to_string()).collect();
    assert_eq!(fields, ["\"title\"", "\"indicators\""]);
    assert!(t.app.store.evidence(&t.id).await.unwrap().is_empty(), "nothing was stored");
}

#[tokio::test]
async fn evidence_stays_with_the_team() {
    let t = team().await;
    let donor = t.app.user("donor@example.org").await;
    let government = t.app.user("gov@example.org").await;
    for (who, role) in [("donor@example.org", "donor"), ("gov@example.org", "government-focal-point")] {
        t.app.add_member(&t.lead, &t.id, who, role).await;
    }
    t.app
        .post_form_as(
            &t.lead,
            &format!("/assessments/{}/sharing", t.id),
            &[("with_donors", "on"), ("for_validation", "on")],
        )
        .await;
    for who in [&donor, &government] {
        let page = t.app.get_as(who, &register(&t)).await;
        assert!(matches!(page.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", page.status);
        let api = t.app.get_as(who, &api_register(&t)).await;
        assert!(matches!(api.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
        let upload = t
            .app
            .upload_as(
                who,
                &api_register(&t),
                &[("kind", "document"), ("title", "x"), ("indicators", "ADM.1.1")],
                None,
                true,
            )
            .await;
        assert!(matches!(upload.status, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND));
    }
    // A form without the session's token is refused, upload or not.
    let mut stranger = t.ada.clone();
    stranger.csrf = "forged".into();
    let forged = t
        .app
        .upload_as(
            &stranger,
            &register(&t),
            &[("kind", "document"), ("title", "x"), ("indicators", "ADM.1.1")],
            None,
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(t.app.store.evidence(&t.id).await.unwrap().is_empty());
}

/// The scoring team on an app with other settings.
async fn team_on(app: TestApp) -> Team {
    crate::scoring::team_in(app).await
}

#[tokio::test]
async fn a_search_matching_more_than_can_be_shown_gives_the_newest_and_says_so() {
    let t = team().await;
    for n in 0..=200 {
        let draft = bmma_core::evidence::EvidenceDraft {
            kind: bmma_core::evidence::EvidenceKind::Observation,
            title: format!("Queue count {n:03}"),
            notes: "Travellers queued at the passport desk.".into(),
            indicators: vec!["ADM.1.1".into()],
        };
        let id = format!("item-{n:03}");
        t.app.store.create_evidence(&t.id, &id, &draft, None, &t.ada.user.actor()).await.unwrap();
    }
    let api = t.app.get_as(&t.ada, &format!("{}?q=queue", api_register(&t))).await.json();
    assert_eq!(api["truncated"], true);
    let items = api["items"].as_array().unwrap();
    assert_eq!(items.len(), 200);
    assert_eq!(items[0]["title"], "Queue count 200", "the newest first");
    let narrow = t.app.get_as(&t.ada, &format!("{}?q=queue+count+200", api_register(&t))).await.json();
    assert_eq!(narrow["truncated"], false);
    assert_eq!(narrow["items"].as_array().unwrap().len(), 1);
    let page = t.app.get_as(&t.ada, &format!("{}?q=queue", register(&t))).await;
    assert!(page.body.contains("these are the newest 200"), "the page says the list is cut");
}

#[tokio::test]
async fn the_item_page_saves_an_edit_shows_mistakes_and_refuses_an_old_form() {
    let t = team().await;
    let fields = [("kind", "observation"), ("title", "Night shift"), ("indicators", "ADM.1.1")];
    t.app.upload_as(&t.ada, &api_register(&t), &fields, None, true).await;
    let other = [("kind", "document"), ("title", "Training plan"), ("indicators", "ADM.1.2")];
    t.app.upload_as(&t.ada, &api_register(&t), &other, None, true).await;
    let items = t.app.store.evidence(&t.id).await.unwrap();
    let item = items.iter().find(|i| i.title == "Night shift").unwrap();
    let path = format!("{}/{}", register(&t), item.id);

    // The register filtered by indicator shows only what is linked to it.
    let filtered = t.app.get_as(&t.bob, &format!("{}?indicator=ADM.1.2", register(&t))).await;
    assert!(filtered.body.contains("Training plan") && !filtered.body.contains("Night shift"));

    let saved = t
        .app
        .post_form_as(
            &t.bob,
            &path,
            &[
                ("title", "Night shift at Harren Bridge"),
                ("notes", "No supervisor"),
                ("indicators", "ADM.1.1"),
                ("indicators", "ADM.1.2"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = t.app.get_as(&t.ada, &path).await;
    assert!(page.body.contains("Night shift at Harren Bridge"), "{}", page.body);
    assert!(page.body.contains("bob@example.org · "), "the page says who saved last");

    let mistaken = t
        .app
        .post_form_as(&t.ada, &path, &[("title", " "), ("indicators", "ADM.1.1"), ("version", "2")])
        .await;
    assert_eq!(mistaken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mistaken.body.contains("This field is required."), "the page says what to fix");

    let old = t
        .app
        .post_form_as(
            &t.ada,
            &path,
            &[("title", "From an old tab"), ("indicators", "ADM.1.1"), ("version", "1")],
        )
        .await;
    assert_eq!(old.status, StatusCode::CONFLICT);
    assert!(old.body.contains("bob@example.org"), "the refusal names who saved first");
    let now = t.app.store.evidence_item(&t.id, &item.id).await.unwrap().unwrap();
    assert_eq!((now.title.as_str(), now.version), ("Night shift at Harren Bridge", 2));
    assert_eq!(now.indicators, ["ADM.1.1", "ADM.1.2"]);
}

#[tokio::test]
async fn upload_names_are_kept_readable_and_true_to_their_type_and_notes_have_a_limit() {
    let t = team().await;
    let pdf = standing_order();
    let fields = [("kind", "document"), ("title", "Roster"), ("indicators", "ADM.1.1")];
    let long = format!("{}.pdf", "Minutes of the joint border committee ".repeat(8));
    let disguised = "invoice\u{202E}lmth.pdf";
    for name in [long.as_str(), "report.html", disguised] {
        let filed = t.app.upload_as(&t.ada, &register(&t), &fields, Some((name, &pdf)), false).await;
        assert_eq!(filed.status, StatusCode::SEE_OTHER, "{name}: {}", filed.body);
    }
    let mut names: Vec<String> =
        t.app.store.evidence(&t.id).await.unwrap().into_iter().map(|item| item.file.unwrap().name).collect();
    names.sort();
    assert_eq!(names.len(), 3);
    assert!(names[0].starts_with("Minutes of the joint") && names[0].ends_with(".pdf"), "{}", names[0]);
    assert_eq!(names[0].chars().count(), 200, "cut to 200 characters, keeping its ending");
    assert_eq!(names[1], "invoicelmth.pdf", "the direction override is gone");
    assert_eq!(names[2], "report.html.pdf", "a PDF is never kept under an .html name");

    // Notes past their limit are refused by name, on the form and through the API.
    let notes = "n".repeat(bmma_core::NOTES_MAX_CHARS + 1);
    let with_notes =
        [("kind", "interview"), ("title", "Shift supervisor"), ("indicators", "ADM.1.1"), ("notes", &notes)];
    let form = t.app.upload_as(&t.ada, &register(&t), &with_notes, None, false).await;
    assert_eq!(form.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(form.body.contains("id=\"notes-error\""), "{}", form.body);
    let api = t.app.upload_as(&t.ada, &api_register(&t), &with_notes, None, true).await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["error"]["fields"][0]["field"], "notes");
    assert_eq!(t.app.store.evidence(&t.id).await.unwrap().len(), 3, "nothing more was stored");
}

#[tokio::test]
async fn an_upload_form_must_carry_its_token_first_and_is_not_read_whole_to_find_it() {
    use axum::body::Body;
    use axum::http::{Method, Request};
    let t = team().await;
    let pdf = standing_order();
    // The token after the file: the guard does not read past the file to look for it.
    let boundary = "bmma-late-token";
    let mut body = Vec::new();
    for (name, value) in [("kind", "document"), ("title", "Late token"), ("indicators", "ADM.1.1")] {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"o.pdf\"\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(&pdf);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n--{boundary}--\r\n", t.ada.csrf)
            .as_bytes(),
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri(register(&t))
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::COOKIE, &t.ada.cookie)
        .body(Body::from(body))
        .unwrap();
    let late = t.app.send(request).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN, "{}", late.body);
    assert!(t.app.store.evidence(&t.id).await.unwrap().is_empty());

    // With the token first, as bmma's forms send it, the same file is filed whole.
    let fields = [("kind", "document"), ("title", "In pieces"), ("indicators", "ADM.1.1")];
    let filed = t.app.upload_as(&t.ada, &register(&t), &fields, Some(("order.pdf", &pdf)), false).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let items = t.app.store.evidence(&t.id).await.unwrap();
    assert_eq!(items[0].file.as_ref().unwrap().sha256, bmma_store::sha256_hex(&pdf));
}
