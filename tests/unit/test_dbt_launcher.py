"""What driver/dbt_launcher.py changes in dbt, without a server: a logger writes what it wrote
before, and an event below every logger's level is never made into a line; a statement that
fetches nothing is answered with one shared empty table."""
import io

from dbt.events.base_types import EventLevel
from dbt.events.eventmgr import EventManager
from dbt.events.logger import LineFormat, LoggerConfig
from dbt.events.types import MainReportVersion, SQLQuery

from driver.dbt_launcher import fire_only_events_a_logger_keeps, share_one_empty_result


def manager(level: EventLevel) -> tuple[EventManager, io.StringIO]:
    fire_only_events_a_logger_keeps()
    events, out = EventManager(), io.StringIO()
    events.add_logger(LoggerConfig(name=f"test_{level.value}", level=level, line_format=LineFormat.Json,
                                   output_stream=out))
    return events, out


def test_a_debug_event_is_not_made_into_a_line_for_an_info_logger(monkeypatch):
    events, out = manager(EventLevel.INFO)
    made = []
    logger = events.loggers[0]
    create_line = logger.create_line
    monkeypatch.setattr(logger, "create_line", lambda msg: made.append(msg.info.name) or create_line(msg))
    events.fire_event(SQLQuery(conn_name="model.x", sql="select 1", node_info={}))
    events.fire_event(MainReportVersion(version="1.7", log_version=3))
    assert made == ["MainReportVersion"]
    assert '"MainReportVersion"' in out.getvalue() and "select 1" not in out.getvalue()


def test_a_debug_logger_still_writes_every_event():
    events, out = manager(EventLevel.DEBUG)
    events.fire_event(SQLQuery(conn_name="model.x", sql="select 1", node_info={}))
    events.fire_event(MainReportVersion(version="1.7", log_version=3))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "select 1" in lines[0]


def test_the_patch_wraps_dbt_once():
    fire_only_events_a_logger_keeps()
    wrapped = EventManager.fire_event
    fire_only_events_a_logger_keeps()
    assert EventManager.fire_event is wrapped


def test_a_statement_that_fetches_nothing_gets_the_one_shared_empty_table():
    from dbt.clients import agate_helper
    share_one_empty_result()
    share_one_empty_result()
    first, second = agate_helper.empty_table(), agate_helper.empty_table()
    assert first is second
    assert len(first.rows) == 0 and list(first.column_names) == []
