"""The copy across servers, measured: the project's copy of v1 into a landing schema against
mydumper + myloader and against `mysqldump | mysql`, moving the same tables between the same
two servers.

`python -m moh_dev.bench_copy --patients 100000` starts a throwaway MariaDB (moh_dev.tempserver)
as the v1 server, fills it with the project's generator, and moves the v1 tables to the v2
server (MOH_DB_HOST/PORT/USER/PASSWORD, by default the local server; `--v2 temp` starts a second
throwaway server instead) with each method in turn, `--repeat` times. Per run: wall seconds,
rows per second, the peak resident memory of the process doing the copy (sampled from /proc;
for a pipeline or a dump and a load, of all its processes), and whether every table arrived
whole: row count and CHECKSUM TABLE equal on both sides. Prints a table, writes
bench/copy_results.json. No data value is printed.

Methods (`--methods`, comma separated): `copy` (the project's copy; options after a colon, e.g.
`copy:workers=1`, `copy:workers=1:method=insert`), `mydumper` (mydumper then
myloader, `--threads` each, through a dump directory), `mysqldump` (mysqldump | mysql).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from driver import schema_facts
from driver.db import Server, drop_database
from moh_dev.bench import descendants, rss_mb
from moh_dev.server import server_from_env
from moh_dev.synthetic import generate
from moh_dev.tempserver import TempServer

V1 = "bench_copy_v1"
TARGET = "bench_copy_{method}"


# --- measuring a process tree --------------------------------------------------------------------
class TreeMemory:
    """Peak of the summed resident memory of a process and its descendants, every 0.1 s."""

    def __init__(self, pid: int):
        self.pid, self.peak_mb = pid, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while True:
            total = sum(rss_mb(p) for p in [self.pid, *descendants(self.pid)])
            self.peak_mb = max(self.peak_mb, total)
            if self._stop.wait(0.1):
                return

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak_mb, 1)


def run_measured(command: list[str] | str, shell: bool = False) -> dict:
    started = time.monotonic()
    process = subprocess.Popen(command, shell=shell, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               executable="/bin/bash" if shell else None)
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    peak = memory.stop()
    seconds = time.monotonic() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command if shell else ' '.join(command)} exited {process.returncode}: "
                           f"{err.decode(errors='replace')[-2000:]}")
    return {"seconds": round(seconds, 2), "peak_rss_mb": peak, "stdout": out.decode(errors="replace")}


def client_args(server: Server) -> list[str]:
    args = ["-h", server.host, "-P", str(server.port), "-u", server.user]
    if server.password:
        args += [f"--password={server.password}"]
    return args


# --- the methods ---------------------------------------------------------------------------------
def method_copy(v1: Server, v2: Server, schema: str, target: str, tables: list[str], options: dict,
                workdir: Path) -> dict:
    job = {"v1": [v1.host, v1.port, v1.user], "v2": [v2.host, v2.port, v2.user], "schema": schema,
           "landing": target, "tables": tables, **options}
    result = run_measured([sys.executable, "-m", "moh_dev.bench_copy", "--copy-job", json.dumps(job)])
    inner = json.loads(result.pop("stdout").strip().splitlines()[-1])
    result.update(copy_seconds=inner["seconds"], method_used=inner["method"])
    return result


def method_mydumper(v1: Server, v2: Server, schema: str, target: str, tables: list[str], options: dict,
                    workdir: Path) -> dict:
    if not shutil.which("mydumper"):
        raise RuntimeError("mydumper is not installed (Debian package mydumper: make bench-copy installs it)")
    threads = str(options.get("threads", 2))
    dump = workdir / "mydumper"
    shutil.rmtree(dump, ignore_errors=True)
    first = run_measured(["mydumper", *client_args(v1), "-B", schema, "-T", ",".join(tables), "-o", str(dump),
                          "-t", threads, "-v", "1"])
    second = run_measured(["myloader", *client_args(v2), "-B", target, "-d", str(dump), "-t", threads, "-o",
                           "-v", "1"])
    dump_mb = round(sum(f.stat().st_size for f in dump.iterdir()) / 2**20, 1)
    shutil.rmtree(dump, ignore_errors=True)
    return {"seconds": round(first["seconds"] + second["seconds"], 2), "dump_seconds": first["seconds"],
            "load_seconds": second["seconds"], "dump_mb": dump_mb,
            "peak_rss_mb": max(first["peak_rss_mb"], second["peak_rss_mb"])}


def method_mysqldump(v1: Server, v2: Server, schema: str, target: str, tables: list[str], options: dict,
                     workdir: Path) -> dict:
    dump = shutil.which("mariadb-dump") or "mysqldump"
    client = shutil.which("mariadb") or "mysql"
    create = [client, *client_args(v2), "-e", f"create database `{target}`"]
    subprocess.run(create, check=True)
    quote = lambda args: " ".join(f"'{a}'" for a in args)  # noqa: E731 - names and numbers only
    pipeline = (f"set -o pipefail; {quote([dump, *client_args(v1), '--single-transaction', '--hex-blob', schema, *tables])}"
                f" | {quote([client, *client_args(v2), target])}")
    result = run_measured(pipeline, shell=True)
    result.pop("stdout")
    return result


METHODS = {"copy": method_copy, "mydumper": method_mydumper, "mysqldump": method_mysqldump}


def parse_method(spec: str) -> tuple[str, str, dict]:
    """'copy:workers=1:method=insert' -> ('copy', 'copy_workers1_methodinsert', {...})."""
    name, *pairs = spec.split(":")
    if name not in METHODS:
        raise SystemExit(f"unknown method {name!r}: use {', '.join(METHODS)}")
    options = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        options[key] = int(value) if value.isdigit() else value
    label = "_".join([name] + [f"{k}{v}" for k, v in options.items()])
    return name, label, options


# --- correctness ---------------------------------------------------------------------------------
def table_facts(server: Server, database: str, tables: list[str]) -> dict[str, tuple[int, int]]:
    """(rows, CHECKSUM TABLE) of each table."""
    conn = server.connect()
    try:
        cur = conn.cursor()
        facts = {}
        for table in tables:
            cur.execute(f"select count(*) from `{database}`.`{table}`")
            rows = cur.fetchone()[0]
            cur.execute(f"checksum table `{database}`.`{table}`")
            facts[table] = (rows, cur.fetchone()[1])
        return facts
    finally:
        conn.close()


# --- the run -------------------------------------------------------------------------------------
def copy_job(spec: str) -> int:
    """The project's copy in a process of its own (so its memory is measured alone)."""
    from driver.copy import copy_to_landing
    job = json.loads(spec)
    v1, v2 = (Server(host=h, port=p, user=u, password=os.environ.get("MOH_DB_PASSWORD", "") if i else "")
              for i, (h, p, u) in enumerate((job["v1"], job["v2"])))
    reader, writer = v1.connect(), v2.connect()
    started = time.monotonic()
    copied = copy_to_landing(reader, writer, job["schema"], job["landing"], job["tables"], int(job.get("batch", 5000)),
                             int(job.get("bulk", 1000)), servers=(v1, v2), max_workers=int(job.get("workers", 2)),
                             method=job.get("method", "auto"),
                             chunk_rows=int(job.get("chunk_rows", 500_000)))
    seconds = time.monotonic() - started
    print(json.dumps({"seconds": round(seconds, 2), "rows": sum(copied.values()), "method": job.get("method", "auto")}))
    return 0


def bench(args) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="moh-bench-copy-", dir=args.workdir))
    servers: list[TempServer] = []
    try:
        if args.v1_port:
            v1 = Server(host="127.0.0.1", port=args.v1_port, user="root")
        else:
            v1_temp = TempServer(workdir / "v1")
            v1_temp.install()
            v1_temp.start(f"--innodb-buffer-pool-size={args.buffer_pool_mb}M")
            servers.append(v1_temp)
            v1 = v1_temp.server
        if args.v2 == "temp":
            v2_temp = TempServer(workdir / "v2")
            v2_temp.install()
            v2_temp.start(f"--innodb-buffer-pool-size={args.buffer_pool_mb}M")
            servers.append(v2_temp)
            v2 = v2_temp.server
        else:
            v2 = server_from_env()
        tables = args.tables.split(",") if args.tables else sorted(schema_facts.columns("v1"))
        if args.v1_port and args.skip_generate:
            generate_seconds = None
        else:
            print(f"v1: MariaDB on port {v1.port}; v2: {v2.host}:{v2.port}; generating {args.patients:,} patients ...",
                  file=sys.stderr, flush=True)
            generate_seconds = round(generate(v1, args.v1_database, args.patients, seed=1).seconds, 1)
        source = table_facts(v1, args.v1_database, tables)
        rows = sum(n for n, _ in source.values())
        results = {"patients": args.patients, "tables": len(tables), "rows": rows,
                   "generate_seconds": generate_seconds, "v2": args.v2,
                   "servers": {"v1": server_facts(v1), "v2": server_facts(v2)}, "methods": {}}
        for run in range(1, args.repeat + 1):
            for spec in args.methods.split(","):
                name, label, options = parse_method(spec)
                if name == "mydumper":
                    options.setdefault("threads", args.threads)
                target = TARGET.format(method=label)
                drop_database(v2, target)
                print(f"run {run}/{args.repeat}: {label} ...", file=sys.stderr, flush=True)
                load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was
                measured = METHODS[name](v1, v2, args.v1_database, target, tables, options, workdir)
                measured["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
                arrived = table_facts(v2, target, tables)
                wrong = sorted(t for t in tables if arrived[t] != source[t])
                measured.update(rows_per_second=round(rows / measured["seconds"]), correct=not wrong,
                                tables_different=wrong)
                results["methods"].setdefault(label, {"options": options, "runs": []})["runs"].append(measured)
                print(f"   {measured['seconds']:.1f} s, {measured['rows_per_second']:,} rows/s, "
                      f"{measured['peak_rss_mb']:.0f} MB, {'correct' if not wrong else 'DIFFERENT: ' + ', '.join(wrong)}",
                      file=sys.stderr, flush=True)
                if not args.keep:
                    drop_database(v2, target)
        for entry in results["methods"].values():
            seconds = [r["seconds"] for r in entry["runs"]]
            entry["median_seconds"] = round(statistics.median(seconds), 2)
            entry["best_seconds"] = min(seconds)
            entry["median_rows_per_second"] = round(rows / entry["median_seconds"])
            entry["best_rows_per_second"] = round(rows / entry["best_seconds"])
            entry["peak_rss_mb"] = max(r["peak_rss_mb"] for r in entry["runs"])
            entry["correct"] = all(r["correct"] for r in entry["runs"])
        return results
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def table(results: dict) -> str:
    anchor = results["methods"].get("mydumper")
    lines = [f"{results['patients']:,} patients, {results['tables']} tables, {results['rows']:,} rows",
             "| method | median s | rows/s (median) | best s | rows/s (best) | x mydumper (median) | runs (s) "
             "| peak RSS | every table equal |", "|---|---|---|---|---|---|---|---|---|"]
    for label, entry in results["methods"].items():
        runs = ", ".join(f"{r['seconds']:.1f}" for r in entry["runs"])
        ratio = f"{anchor['median_seconds'] / entry['median_seconds']:.2f}" if anchor else "-"
        lines.append(f"| {label} | {entry['median_seconds']:.1f} | {entry['median_rows_per_second']:,} "
                     f"| {entry['best_seconds']:.1f} | {entry['best_rows_per_second']:,} | {ratio} | {runs} "
                     f"| {entry['peak_rss_mb']:.0f} MB | {'yes' if entry['correct'] else 'NO'} |")
    return "\n".join(lines)


def server_facts(server: Server) -> dict:
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute("select version(), @@innodb_buffer_pool_size div 1048576, @@max_allowed_packet div 1048576, "
                    "@@local_infile, @@innodb_flush_log_at_trx_commit")
        version, pool, packet, local_infile, flush = cur.fetchone()
        return {"version": version, "buffer_pool_mb": int(pool), "max_allowed_packet_mb": int(packet),
                "local_infile": bool(local_infile), "flush_log_at_trx_commit": int(flush),
                "where": f"{server.host}:{server.port}"}
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m moh_dev.bench_copy", description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--tables", default="", help="comma separated v1 tables (default: all 63)")
    parser.add_argument("--methods", default="copy,mydumper,mysqldump")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="mydumper/myloader threads")
    parser.add_argument("--v2", choices=["env", "temp"], default="env",
                        help="env: the server of MOH_DB_* (default); temp: a second throwaway server")
    parser.add_argument("--buffer-pool-mb", type=int, default=512, help="of the throwaway servers")
    parser.add_argument("--v1-port", type=int, default=0,
                        help="use the MariaDB already running on this port (root, no password) as v1")
    parser.add_argument("--v1-database", default=V1, help=f"the v1 database on the v1 server (default {V1})")
    parser.add_argument("--skip-generate", action="store_true",
                        help="with --v1-port: the v1 database is already there from an earlier run")
    parser.add_argument("--workdir", default=None, help="where the throwaway servers and dumps go (default: TMPDIR)")
    parser.add_argument("--output", default="bench/copy_results.json")
    parser.add_argument("--keep", action="store_true", help="keep the copies on the v2 server")
    parser.add_argument("--copy-job", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.copy_job:
        return copy_job(args.copy_job)
    started = time.monotonic()
    results = bench(args)
    results.update(command="python -m moh_dev.bench_copy " + " ".join(sys.argv[1:] if argv is None else argv),
                   machine={"cpus": os.cpu_count(), "platform": platform.platform(),
                            "python": platform.python_version()},
                   seconds=round(time.monotonic() - started, 1))
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"{output} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
