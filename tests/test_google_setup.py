"""`mentorlus setup` on a fresh (fake) Workspace: everything created once, ids in the config, a re-run finds it all."""

from automation.cli import ExitStatus


def test_setup_creates_forms_sheets_folder_and_template_and_writes_their_ids(google_programme):
    config = google_programme.config()
    fake = google_programme.fake
    assert config.google.folder in fake.files
    for key in ("mentor", "mentee", "meeting_log"):
        form = getattr(config.forms, key)
        created = fake.forms[form.id]
        assert created["publishSettings"]["publishState"]["isPublished"], f"{key} form must be published"
        assert [item["title"] for item in created["items"]] == list(form.questions)
        assert form.url == created["responderUri"]
        assert fake.files[form.id]["parents"] == [config.google.folder]
    sheets = config.google.spreadsheets
    assert set(sheets) == {"koordinaatorid", "juhatus", "liikmed"}
    assert fake.values(sheets["koordinaatorid"], "Paarid")[0][:2] == ["Mentee", "Mentee e-post"]
    board_readers = fake.files[sheets["juhatus"]]["_permissions"]
    assert board_readers == [{"id": board_readers[0]["id"], "type": "group", "role": "reader", "emailAddress": "juhatus@ekl.ee"}]
    template = fake.documents[config.google.agreement_template]
    assert "{{mentee_name}}" in template and "{{mentor_name}}" in template and "Koostööpõhimõtted" in template
    coordinators = {p["emailAddress"] for p in fake.files[config.google.folder]["_permissions"]}
    assert coordinators == {c.email for c in config.coordinators}


def test_setup_again_finds_everything_and_creates_nothing(google_programme):
    fake = google_programme.fake
    before = (len(fake.files), len(fake.forms), len(fake.spreadsheets), google_programme.config_path.read_text(encoding="utf-8"))
    status, out, _ = google_programme.run("setup")
    assert status == ExitStatus.OK
    assert "loodud" not in out and out.count("olemas") == 8
    assert "juba ajakohane" in out
    assert (len(fake.files), len(fake.forms), len(fake.spreadsheets), google_programme.config_path.read_text(encoding="utf-8")) == before


def test_setup_writes_a_lost_id_back_and_keeps_the_coordinators_comments(google_programme):
    path = google_programme.config_path
    template = google_programme.config().google.agreement_template
    text = path.read_text(encoding="utf-8").replace(f'agreement_template = "{template}"', 'agreement_template = ""')
    path.write_text("# Koordinaatorite märkus: ära muuda kuupäevi ilma kolleegiumita\n" + text, encoding="utf-8")
    status, out, _ = google_programme.run("setup")
    assert status == ExitStatus.OK
    assert "kirjutatud google.agreement_template" in out
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# Koordinaatorite märkus: ära muuda kuupäevi ilma kolleegiumita\n")
    assert google_programme.config().google.agreement_template == template
    assert len([f for f in google_programme.fake.files.values() if f["appProperties"].get("mentorlus") == "agreement-template"]) == 1


def test_setup_on_the_local_backend_says_what_to_change(workspace):
    import io

    from automation.cli import main
    from automation.environment import Environment

    out, err = io.StringIO(), io.StringIO()
    status = main(["--config", str(workspace.config_path), "setup"], Environment(stdout=out, stderr=err, environ={}))
    assert status == ExitStatus.USAGE_OR_CONFIG_ERROR
    assert 'backend.kind = "google"' in err.getvalue()


def test_a_connection_dropped_after_each_file_is_made_never_leaves_a_second_file(tmp_path, fake_google):
    """Each file is tagged in the request that makes it, so the next `setup` finds it instead of making another."""
    from automation.demo import demo_config_text
    from tests.conftest import GOOGLE_SECTION, GoogleProgramme

    root = tmp_path / "programme"
    root.mkdir()
    (root / "program.toml").write_text(demo_config_text(2026).replace('kind = "local"', 'kind = "google"') + GOOGLE_SECTION, encoding="utf-8")
    programme = GoogleProgramme(root, fake_google)
    made: list[str] = []

    def first_time(body: dict) -> bool:
        if body["name"] in made:
            return False
        made.append(body["name"])
        return True

    for _ in range(20):
        fake_google.drop_after_write("drive.files.create", when=first_time)
        status, out, err = programme.run("setup")
        fake_google.faults.clear()
        if status == ExitStatus.OK:
            break
        assert "may or may not have happened" in err
    assert status == ExitStatus.OK, out + err
    assert len(made) >= 8  # the folder, three forms, three sheets, the template: each cut off once
    kinds = [f["appProperties"].get("mentorlus") for f in fake_google.files.values()]
    assert None not in kinds and len(kinds) == len(set(kinds)), kinds
    status, out, _ = programme.run("setup")
    assert "created" not in out
