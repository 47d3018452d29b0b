//! The `maillage` binary: `admin create-user` (the first administrator) and `migrate`.

use std::{
    io::Write,
    process::{Command, Stdio},
};

use crate::harness::{TempDir, fresh_db, postgres_url};

/// Runs the binary with the test's storage (a data dir, or a fresh
/// PostgreSQL database), the password on standard input.
fn maillage(args: &[&str], dir: &TempDir, database_url: Option<&str>, stdin: &str) -> (bool, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_maillage"));
    cmd.args(args)
        .arg("--data-dir")
        .arg(&dir.0)
        .env_remove("MAILLAGE_PASSWORD")
        .env("MAILLAGE_LOG", "warn");
    match database_url {
        Some(url) => cmd.env("DATABASE_URL", url),
        None => cmd.env_remove("DATABASE_URL"),
    };
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binaire maillage");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// The URL of a fresh PostgreSQL database, or `None` on SQLite.
async fn storage(dir: &TempDir) -> Option<String> {
    let url = postgres_url()?;
    let db = fresh_db(&dir.0).await;
    let maillage_db::Db::Postgres(pool) = &db else {
        unreachable!()
    };
    let name = pool.connect_options().get_database().unwrap().to_owned();
    db.close().await;
    let base = url.rsplit_once('/').unwrap().0.to_owned();
    Some(format!("{base}/{name}"))
}

#[tokio::test]
async fn create_the_first_administrator_from_the_command_line() {
    let dir = TempDir::new();
    let url = storage(&dir).await;
    let url = url.as_deref();
    let (ok, out) = maillage(&["migrate"], &dir, url, "");
    assert!(ok, "{out}");

    let (ok, out) = maillage(
        &[
            "admin",
            "create-user",
            "--email",
            "Premiere.Admin@Reseau.fr",
            "--name",
            "Première Admin",
            "--role",
            "coordinator",
        ],
        &dir,
        url,
        "une phrase de passe solide\n",
    );
    assert!(ok, "{out}");
    assert!(out.contains("Compte créé"), "{out}");

    // The same address twice, a weak password, an unknown role, a missing or
    // invalid organisation, no password: clear French errors, nothing created.
    const STRONG: &str = "une phrase de passe solide\n";
    let refused: &[(&[&str], &str, &str)] = &[
        (
            &[
                "--email",
                "premiere.admin@reseau.fr",
                "--name",
                "X",
                "--role",
                "coordinator",
            ],
            STRONG,
            "Un compte existe déjà",
        ),
        (
            &["--email", "b@reseau.fr", "--name", "B", "--role", "coordinator"],
            "motdepasse\n",
            "au moins 12 caractères",
        ),
        (
            &["--email", "c@reseau.fr", "--name", "C", "--role", "admin"],
            STRONG,
            "Rôle inconnu « admin »",
        ),
        (
            &["--email", "d@reseau.fr", "--name", "D", "--role", "org-admin"],
            STRONG,
            "--organisation SIREN",
        ),
        (
            &[
                "--email",
                "d@reseau.fr",
                "--name",
                "D",
                "--role",
                "org-admin",
                "--organisation",
                "200066919",
            ],
            STRONG,
            "clé de contrôle",
        ),
        (
            &["--email", "e@reseau.fr", "--name", "E", "--role", "member"],
            "",
            "aucun mot de passe reçu",
        ),
    ];
    for (args, stdin, expected) in refused {
        let args: Vec<&str> = ["admin", "create-user"].iter().chain(args.iter()).copied().collect();
        let (ok, out) = maillage(&args, &dir, url, stdin);
        assert!(!ok && out.contains(expected), "{args:?}: {out}");
    }

    // An org-admin of a collectivité not yet in the network: added from the reference.
    let (ok, out) = maillage(
        &[
            "admin",
            "create-user",
            "--email",
            "ecole@ales.fr",
            "--name",
            "Claude École",
            "--role",
            "org-admin",
            "--organisation",
            "200 066 918",
        ],
        &dir,
        url,
        "une phrase de passe solide\n",
    );
    assert!(ok, "{out}");

    // Exactly two accounts exist, with the right roles.
    let db = match url {
        Some(u) => maillage_db::Db::open_postgres(u, 2).await.unwrap(),
        None => maillage_db::Db::open_sqlite_dir(&dir.0).await.unwrap(),
    };
    let mut c = db.conn().await.unwrap();
    assert_eq!(maillage_db::users::count(c.ex()).await.unwrap(), 2);
    let admin = maillage_db::users::by_email(c.ex(), "premiere.admin@reseau.fr")
        .await
        .unwrap()
        .unwrap();
    let roles = maillage_db::roles::of_user(c.ex(), admin.id).await.unwrap();
    assert_eq!(roles.len(), 1);
    assert_eq!(
        (roles[0].role.as_str(), roles[0].organisation_id),
        ("coordinator", None)
    );
    let org = maillage_db::organisations::by_siren(c.ex(), "200066918")
        .await
        .unwrap()
        .expect("organisation ajoutée");
    assert_eq!(org.name, "CA Alès Agglomération");
}

/// `serve --demo` seeds and prints the demo accounts (again on a second run,
/// without re-seeding), answers `/health`, and stops cleanly on SIGTERM.
#[tokio::test]
async fn serve_demo_then_stop_on_sigterm() {
    use std::io::{BufRead, BufReader, Read};
    let dir = TempDir::new();
    let url = storage(&dir).await;
    for run in 0..2 {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_maillage"));
        cmd.args(["serve", "--demo", "--addr", "127.0.0.1:0", "--data-dir"])
            .arg(&dir.0)
            .env("MAILLAGE_LOG", "warn");
        match &url {
            Some(u) => cmd.env("DATABASE_URL", u),
            None => cmd.env_remove("DATABASE_URL"),
        };
        let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut printed = String::new();
        let addr = loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "le serveur s'est arrêté : {printed}"
            );
            printed.push_str(&line);
            if let Some(rest) = line.split("écoute sur http://").nth(1) {
                break rest.split_whitespace().next().unwrap().to_owned();
            }
        };
        assert!(
            printed.contains("coordinator") && printed.contains("animation@demo.example"),
            "run {run}: {printed}"
        );
        let health = tokio::task::spawn_blocking(move || {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            s.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut body = String::new();
            s.read_to_string(&mut body).unwrap();
            body
        })
        .await
        .unwrap();
        assert!(
            health.starts_with("HTTP/1.1 200") && health.contains("\"statut\":\"ok\""),
            "{health}"
        );
        let pid = child.id().to_string();
        assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let status = child.wait().unwrap();
        assert!(status.success(), "arrêt non propre : {status:?}");
    }
    assert!(dir.0.join("demo-accounts.txt").exists());
}
