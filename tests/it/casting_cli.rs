//! `maillage casting FILE.csv`: the real binary on a spreadsheet, as a
//! school would run it — no database, no configuration.

use std::process::Command;

use crate::harness::TempDir;

/// A promotion of 12: two employers and a town, two line managers with
/// their teams, wishes for two projects; saved in Windows-1252 with `;`.
const PROMOTION: &str = "id;nom;âge;genre;ancienneté;tempérament;organisation;manager_id;vœux\r\n\
    1;Camille Martin;45;F;20;rouge;CC du Val;;Mobilité\r\n\
    2;Dominique Petit;38;H;10;bleu;CC du Val;1;Accueil\r\n\
    3;Alex Durand;52;H;25;vert;CA Nord;;Mobilité|Accueil\r\n\
    4;Sacha Leroy;29;F;3;jaune;CA Nord;3;\r\n\
    5;Claude Moreau;41;F;12;rouge;Ville;;Accueil\r\n\
    6;Lou Simon;33;H;6;bleu;Ville;5;Mobilité\r\n\
    7;Noa Laurent;47;F;18;;CC du Val;1;\r\n\
    8;Eden Michel;36;H;8;vert;Département;;Accueil\r\n\
    9;Jo Garcia;58;F;30;jaune;Département;;Mobilité\r\n\
    10;Max Bernard;31;H;4;rouge;CA Nord;3;\r\n\
    11;Ange Roux;44;F;15;bleu;Ville;;\r\n\
    12;Lee Fournier;39;H;9;;CC du Val;;Accueil\r\n";

/// Runs the binary from an empty directory with no database settings:
/// (exit code, standard output, standard error).
fn casting(dir: &TempDir, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .arg("casting")
        .args(args)
        .current_dir(&dir.0)
        .env_remove("DATABASE_URL")
        .env_remove("MAILLAGE_CONFIG")
        .env_remove("MAILLAGE_DATA_DIR")
        .output()
        .expect("binaire maillage");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &TempDir, name: &str, bytes: &[u8]) -> String {
    let path = dir.0.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

fn windows_1252(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            'œ' => 0x9c,
            c if (c as u32) < 256 => c as u8,
            c => panic!("{c} hors Windows-1252 dans le test"),
        })
        .collect()
}

#[test]
fn casting_as_text_then_json_reproducible() {
    let dir = TempDir::new();
    let file = write(&dir, "promo.csv", &windows_1252(PROMOTION));

    let (code, out, err) = casting(&dir, &[&file, "--groups", "3", "--seed", "7"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("encodage Windows-1252, graine 7"), "{out}");
    assert!(out.contains("12 personnes en 3 groupes."), "{out}");
    assert!(out.contains("Règles impératives : toutes respectées."), "{out}");
    for g in 1..=3 {
        assert!(out.contains(&format!("Groupe {g} — 4 personnes — score")), "{out}");
    }
    assert!(out.contains("Synthèse par critère"), "{out}");
    assert!(out.contains("Genre : "), "{out}");
    // No database was created in the working directory.
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 1, "only the CSV file");

    // French aliases of the options, two projects for the wishes.
    let args = [
        file.as_str(),
        "--groupes",
        "2",
        "--graine",
        "7",
        "--format",
        "json",
        "--projets",
        "Mobilité,Accueil",
    ];
    let (code, json, err) = casting(&dir, &args);
    assert_eq!(code, 0, "{json}{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).expect("JSON valide");
    assert_eq!(doc["seed"], 7);
    let assignment = doc["assignment"].as_array().unwrap();
    assert_eq!(assignment.len(), 12);
    let group_of = |id: &str| {
        assignment
            .iter()
            .find(|a| a["id"] == id)
            .and_then(|a| a["group"].as_u64())
            .unwrap()
    };
    // Never with one's line manager.
    for (person, manager) in [("2", "1"), ("7", "1"), ("4", "3"), ("10", "3"), ("6", "5")] {
        assert_ne!(group_of(person), group_of(manager), "{person} avec {manager}");
    }
    let report = &doc["report"];
    assert_eq!(report["hard_rules_met"], true);
    assert_eq!(report["groups"][0]["project"], "Mobilité");
    assert_eq!(report["groups"].as_array().unwrap().len(), 2);
    assert_eq!(report["criteria"].as_array().unwrap().len(), 6);

    // Same file, same seed: same groups.
    let (_, again, _) = casting(&dir, &args);
    assert_eq!(json, again);
}

#[test]
fn bad_file_and_impossible_casting_exit_2_in_french() {
    let dir = TempDir::new();
    let bad = write(
        &dir,
        "bad.csv",
        "id;age;genre;manager_id\n1;40;F;\n2;quarante;X;\n1;30;H;1\n".as_bytes(),
    );
    let (code, out, err) = casting(&dir, &[&bad, "--groups", "2"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("Ligne 3, colonne « age » : « quarante » n'est pas un âge valide"),
        "{err}"
    );
    assert!(
        err.contains("Ligne 3, colonne « genre » : « X » n'est pas reconnu"),
        "{err}"
    );
    assert!(
        err.contains("Ligne 4, colonne « id » : l'identifiant « 1 » est déjà celui de la ligne 2"),
        "{err}"
    );
    assert!(
        err.contains("Ligne 4, colonne « manager_id » : la personne est indiquée comme sa propre responsable"),
        "{err}"
    );
    assert!(err.contains("4 problèmes à corriger"), "{err}");

    let good = write(&dir, "promo.csv", PROMOTION.as_bytes());
    let (code, _, err) = casting(&dir, &[&good, "--groups", "20"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("20 groupes demandés pour 12 personnes : il faut au moins une personne par groupe."),
        "{err}"
    );

    let (code, _, err) = casting(&dir, &[&good, "--groups", "1"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Avec 1 groupe, Dominique Petit (id 2) serait dans le groupe de sa ou son responsable (id 1)"),
        "{err}"
    );

    let (code, _, err) = casting(&dir, &[&good, "--groups", "3", "--taille-max", "3"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("3 groupes d'au plus 3 personnes ne peuvent accueillir que 9 personnes"),
        "{err}"
    );

    let (code, _, err) = casting(
        &dir,
        &[&dir.0.join("absent.csv").display().to_string(), "--groups", "2"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("Fichier introuvable"), "{err}");
}
