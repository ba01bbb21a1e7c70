from datetime import date

from tests.conftest import OPENS


def test_plan_shows_each_job_its_dates_and_what_is_done(workspace, cli):
    before = cli("plan", today=OPENS)
    assert "Mentorprogramm 2026/2027: 2026-10-01 .. 2027-06-30" in before.stdout
    assert "2026-10-05  teadaanne" in before.stdout and "aeg käes, tegemata" in before.stdout
    assert "2026-11-10  meeldetuletus liikmetele, kes pole registreerunud" in before.stdout and "tulemas" in before.stdout
    assert "käib: iga päev 2026-10-05 .. 2026-11-29" in before.stdout
    assert "teatab registreerimise avamisest" in before.stdout
    cli("run", today=OPENS)
    after = cli("plan", today=date(2026, 10, 6))
    assert "teadaanne                                     tehtud 2026-10-05" in after.stdout
    assert "käis 1 päeval; viimati 2026-10-05: korras" in after.stdout


def test_a_dry_run_is_not_recorded_as_done(workspace, cli):
    cli("run", "--dry-run", today=OPENS)
    assert "tehtud 2026-10-05" not in cli("plan", today=OPENS).stdout
