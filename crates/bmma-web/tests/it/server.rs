//! The real server on a real socket.

/// A fresh database with an administrator, served on a port the system chose.
async fn serving() -> (
    bmma_store::testing::TestDatabase,
    crate::Caller,
    std::net::SocketAddr,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let db = bmma_store::testing::fresh().await;
    bmma_app::install_builtin(&db.store).await.unwrap();
    let state = crate::state_over(&db.store, crate::settings()).await;
    let admin = crate::caller(&db.store, "admin@example.org", true).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (db, admin, addr, tokio::spawn(bmma_web::serve(listener, state)))
}

#[tokio::test]
async fn the_server_answers_on_a_port_chosen_by_the_system() {
    let (_db, admin, addr, server) = serving().await;

    let client = reqwest::Client::new();
    let health: serde_json::Value =
        client.get(format!("http://{addr}/health")).send().await.unwrap().json().await.unwrap();
    assert_eq!(health["status"], "ok");
    let anonymous = client.get(format!("http://{addr}/frameworks/bmm/1.0")).send().await.unwrap();
    assert_eq!(anonymous.url().path(), "/login", "an anonymous reader is sent to the sign-in form");
    let framework = client
        .get(format!("http://{addr}/api/v1/frameworks/bmm/1.0"))
        .bearer_auth(&admin.bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(framework.status(), 200);
    assert!(framework.text().await.unwrap().contains("ADM.1.1"));
    server.abort();
}

/// Signs in through a real socket from `local` (any address of the loopback range): the status.
async fn sign_in_from(addr: std::net::SocketAddr, local: [u8; 4], email: &str, password: &str) -> u16 {
    let client = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from(local))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client.get(format!("http://{addr}/login")).send().await.unwrap();
    let cookie = form.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let page = form.text().await.unwrap();
    let token = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let body = format!("csrf={token}&email={}&password={}", crate::encode(email), crate::encode(password));
    let reply = client
        .post(format!("http://{addr}/login"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    reply.status().as_u16()
}

#[tokio::test]
async fn failed_sign_ins_from_one_address_do_not_lock_out_people_elsewhere() {
    let (_db, admin, addr, server) = serving().await;

    // Twenty made-up accounts guessed from one address...
    for n in 0..20 {
        let status = sign_in_from(addr, [127, 0, 0, 2], &format!("guess{n}@example.org"), "wrong").await;
        assert_eq!(status, 401, "guess {n}");
    }
    assert_eq!(
        sign_in_from(addr, [127, 0, 0, 2], "guess99@example.org", "wrong").await,
        429,
        "that address is slowed down"
    );
    // ...do not stop the administrator signing in from another.
    assert_eq!(sign_in_from(addr, [127, 0, 0, 3], &admin.user.email, crate::PASSWORD).await, 303);
    server.abort();
}
