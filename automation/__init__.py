"""mentorlus: the mentoring programme of the Estonian Association of Career Counsellors, run from cron.

    from automation.cli import main
    main(["--config", "config/program.toml", "run"])
"""

__version__ = "0.1.0"
