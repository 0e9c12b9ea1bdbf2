"""One task per mode of moh-migrate, each over the same immutable RunContext (context.py):

  dry_run    plan with SELECTs only; writes nothing to either database
  migrate    the real run: run record, backup, dbt, validation, reports
  rollback   v2 back to its content before the last run

preflight.py holds the steps the first two share, lifecycle.py a real run's life in the run
record (start, resume, refuse; success; failure), build.py dbt's part of it (and the resume).
"""
