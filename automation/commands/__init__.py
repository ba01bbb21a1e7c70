"""What the CLI's commands do, apart from translating arguments: run the jobs, plan, check, set up.

    outcomes = run_jobs(context, due_jobs(config, today, ledger))     # automation.commands.runner
"""
