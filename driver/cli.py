"""moh-migrate: the command line. Parses flags, runs the task of the mode (driver.run), shows
what happens (driver.terminal) and exits with the code of the outcome."""
from __future__ import annotations

import shlex
import sys
import traceback
from pathlib import Path

import click

from driver import logs
from driver.config import ConfigError, load_config
from driver.mapping import load_mapping
from driver.connections import ConnectionProblem
from driver.errors import EXIT_CONNECTION, EXIT_INPUT, EXIT_INTERNAL, RunFailed
from driver.run import run
from driver.tasks import history as run_history
from driver.tasks.context import Options
from driver.terminal import Terminal

EXIT_CODES = """\b
Exit status:
  0  the migration (or dry run) completed and validated
  1  the migration failed: a dbt model or test, or a custom validation query
  2  bad input: config.yaml or mapping.yaml (the message names the file and key)
  3  a server cannot be used: unreachable, wrong password, missing privilege
  4  pre-flight refused: v2 or v1 tables missing or not what the migration expects
  5  internal error (run with --verbose for the traceback)
  6  another run is working on the same v2 database
"""


@click.command(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.option("--config", "config_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="config.yaml: database URLs and run settings.")
@click.option("--mapping", "mapping_path", type=click.Path(dir_okay=False, path_type=Path),
              help="mapping.yaml: roles, value remaps and cleaning (required except with --history).")
@click.option("--dry-run", is_flag=True, help="Plan only: schema diff, migration plan, checks; write nothing to any database.")
@click.option("--verbose", is_flag=True, help="Also SQL and phase timings (never data values), and tracebacks.")
@click.option("--batch-size", type=click.IntRange(min=1), help="Rows per batch when copying and writing reports.")
@click.option("--limit", type=click.IntRange(min=1), help="Migrate a sample of N patients and everything that is theirs.")
@click.option("--rollback", is_flag=True,
              help="Put v2 back as it was before the last run, from the backup that run took.")
@click.option("--replace-existing", is_flag=True,
              help="Replace v2 rows this tool did not write (the v2 application's seed rows); they are backed up first.")
@click.option("--incremental", is_flag=True,
              help="After a successful run into the same v2: apply only what changed in v1 since "
                   "(config key enable_incremental_migration: true does the same).")
@click.option("--history", is_flag=True,
              help="List every run recorded on the v2 database (kind, start, end, outcome, counts) and exit.")
@click.option("--output-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="Where reports, logs and checks are written.")
def main(config_path, mapping_path, dry_run, verbose, batch_size, limit, rollback, replace_existing, incremental,
         history, output_dir) -> None:
    """Migrate the medical-center platform from its v1 database to v2 (old_db_url -> new_db_url)."""
    if mapping_path is None and not history:
        raise click.UsageError("Missing option '--mapping'.")
    try:
        config = load_config(config_path, batch_size=batch_size)
    except ConfigError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_INPUT)
    if history:
        sys.exit(show_history(config))
    redact = logs.setup(output_dir / "migration.log", config.log_level, verbose, config.passwords(), config.log_pii,
                        command_line(click.get_current_context()))
    log = logs.logging.getLogger("driver.cli")
    code = 0
    terminal = Terminal(output_dir=output_dir)
    try:
        mapping = load_mapping(mapping_path, phone_normalization=config.phone_normalization,
                               email_validation=config.email_validation, data_cleaning=config.data_cleaning)
        for warning in config.warnings + mapping.warnings:
            log.warning("warning: %s", warning)
        if rollback and (dry_run or limit or replace_existing or incremental):
            raise ConfigError("--rollback restores the last run's backup: it takes no --dry-run, --limit, "
                              "--replace-existing or --incremental")
        incremental = incremental or (config.enable_incremental_migration and not dry_run and not rollback)
        if incremental and (dry_run or limit):
            raise ConfigError("--incremental brings the whole v2 up to date: it takes no --dry-run or --limit")
        options = Options(dry_run=dry_run, verbose=verbose, limit=limit, output_dir=output_dir,
                          rollback=rollback, replace_existing=replace_existing, incremental=incremental)
        terminal.finished(run(config, mapping, options, terminal))
    except ConfigError as e:
        log.error("error: %s", e)
        code = EXIT_INPUT
    except RunFailed as e:
        log.error("error: %s", e)
        code = e.code
    except KeyboardInterrupt:
        log.error("error: interrupted; run the same command again to resume, or --rollback to undo")
        code = 130
    except Exception as e:  # the last line of defence: one line, no secrets, traceback only if asked
        log.error("error: internal error: %s: %s%s", type(e).__name__, redact.clean(str(e)),
                  "" if verbose else " (run with --verbose for the traceback)")
        if verbose:
            log.error(redact.clean(traceback.format_exc()))
        code = EXIT_INTERNAL
    finally:
        terminal.close()
        logs.close()
    sys.exit(code)


def show_history(config) -> int:
    """--history: reads the run record only; writes no file (migration.log included)."""
    try:
        record, runs = run_history.runs(config)
    except ConnectionProblem as e:
        click.echo(f"error: {e}", err=True)
        return e.code if hasattr(e, "code") else EXIT_CONNECTION
    if not runs:
        click.echo(f"no moh-migrate run is recorded for {config.new.database} (in {record})")
        return 0
    click.echo(f"runs on {config.new.describe()} (from {record}), newest first:")
    for line in run_history.lines(runs):
        click.echo(line)
    return 0


def command_line(ctx: click.Context) -> str:
    """The invocation as the user would type it, from the parsed flags (none holds a password)."""
    parts = ["moh-migrate"]
    for option in ctx.command.params:
        value = ctx.params.get(option.name)
        if option.is_flag:
            parts += [option.opts[0]] if value else []
        elif value is not None and value != option.default:
            parts += [option.opts[0], shlex.quote(str(value))]
    return " ".join(parts)


if __name__ == "__main__":
    main()
