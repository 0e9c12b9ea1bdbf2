"""The one dbt process a run's calls share (driver/dbt_runner.DbtProcess): each call runs with
its own environment (its password), the process stays up between calls, also after a call
that failed, and one that was killed is replaced at the next call."""
import os
import signal
from dataclasses import replace

from driver.db import drop_database
from driver.dbt_runner import DbtProcess, DbtTarget, run_dbt
from tests.conftest import RUN_ID
from tests.runs import wait_for


def dead(pid: int) -> bool:
    """The child has exited and can be waited for (WNOWAIT leaves that to DbtProcess). Its
    /proc state says Z earlier, while its other threads are still exiting."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def test_one_process_serves_each_call_with_its_own_password_and_a_killed_one_is_replaced(server, tmp_path):
    v2, work, user = f"t{RUN_ID}_proc_v2", f"t{RUN_ID}_proc_work", f"moh_proc_{RUN_ID}"
    admin = server.connect()
    cur = admin.cursor()
    cur.execute(f"create database `{v2}`")
    cur.execute(f"create user '{user}'@'%' identified by 'right-password'")
    cur.execute(f"create user '{user}'@'localhost' identified by 'right-password'")
    for host in ("%", "localhost"):
        cur.execute(f"grant all on `{v2}`.* to '{user}'@'{host}'")
        cur.execute(f"grant all on `{work}`.* to '{user}'@'{host}'")
    process = DbtProcess()
    try:
        def call(password: str):
            account = replace(server, user=user, password=password)
            target = DbtTarget(server=account, v2_database=v2, v1_database=v2, work_dir=tmp_path,
                               extra_vars={"work_schema": work})
            return run_dbt(target, "run-operation", "prepare_work_schema", process=process)

        assert call("right-password").ok
        first = process.pid
        refused = call("wrong-password")
        assert not refused.ok and "denied" in refused.output.lower(), refused.output[-1000:]
        assert process.pid == first  # a failed call leaves the process up
        assert call("right-password").ok, "the wrong password of the call before stayed behind"
        assert process.pid == first

        os.kill(first, signal.SIGKILL)
        wait_for(lambda: dead(first), 10, "the dbt process to die")
        assert call("right-password").ok
        assert process.pid not in (None, first)
    finally:
        process.close()
        for host in ("%", "localhost"):
            cur.execute(f"drop user if exists '{user}'@'{host}'")
        admin.close()
        drop_database(server, work)
        drop_database(server, v2)
