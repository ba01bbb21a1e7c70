"""`mentorlus scheduler`: daily at the configured time; a failing day is logged and the loop goes on."""

import io
from datetime import time

from automation.clock import FixedClock
from automation.environment import Environment
from automation.scheduler import POLL_SECONDS, build_scheduler, daily_run, run_scheduler
from tests.conftest import OPENS


def environment():
    return Environment(stdout=io.StringIO(), stderr=io.StringIO(), environ={}, clock=FixedClock.on(OPENS))


def test_the_scheduler_runs_daily_at_the_configured_time_in_tallinn(workspace):
    scheduler = build_scheduler(environment(), workspace.config_path)
    [job] = scheduler.jobs
    assert job.unit == "days" and job.interval == 1
    assert job.at_time == time(7, 0) and str(job.at_time_zone) == "Europe/Tallinn"


def test_a_daily_run_does_what_run_does(workspace):
    daily_run(environment(), workspace.config_path)
    assert len(workspace.messages_to("liikmed@example.ee")) == 1


def test_a_failing_day_is_logged_and_the_loop_goes_on(workspace, caplog):
    workspace.config_path.write_text("broken = [", encoding="utf-8")
    daily_run(environment(), workspace.config_path)  # does not raise
    assert "the daily run failed" in caplog.text


def test_the_loop_polls_and_sleeps(workspace):
    naps = []
    env = environment()
    env.sleep = naps.append
    run_scheduler(env, workspace.config_path, max_polls=3)
    assert naps == [POLL_SECONDS] * 3
