from datetime import date

from tests.conftest import OPENS


def test_plan_shows_each_job_its_dates_and_what_is_done(workspace, cli):
    before = cli("plan", today=OPENS)
    assert "Mentorprogramm 2026/2027: 2026-10-01 .. 2027-06-30" in before.stdout
    assert "2026-10-05  announcement" in before.stdout and "due, not done" in before.stdout
    assert "2026-11-10  reminder to members not yet registered" in before.stdout and "to come" in before.stdout
    assert "runs: daily 2026-10-05 .. 2026-11-29" in before.stdout
    cli("run", today=OPENS)
    after = cli("plan", today=date(2026, 10, 6))
    assert "announcement                                  done 2026-10-05" in after.stdout
    assert "ran on 1 day(s); last 2026-10-05: ok" in after.stdout


def test_a_dry_run_is_not_recorded_as_done(workspace, cli):
    cli("run", "--dry-run", today=OPENS)
    assert "done 2026-10-05" not in cli("plan", today=OPENS).stdout
