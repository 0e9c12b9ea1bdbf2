"""The synthetic v1 generator: deterministic for a seed, realistic in shape, and it plants the
edge cases it promises (with FK checks off, as a damaged production database has them). It
replaces only a database it made, and says what each option does."""
import pytest

from tests.conftest import RUN_ID
from driver.db import create_database, drop_database
from moh_dev.synthetic import MARKER, ForeignDatabase, build_parser, foreign_tables, generate, main


@pytest.fixture
def databases(server):
    names = [f"t{RUN_ID}_gen_{i}" for i in range(3)]
    yield names
    for name in names:
        drop_database(server, name)


def checksums(server, database):
    conn = server.connect(database)
    try:
        cur = conn.cursor()
        cur.execute("select table_name from information_schema.tables where table_schema = database()")
        tables = sorted(t for (t,) in cur.fetchall())
        result = {}
        for t in tables:
            cur.execute(f"checksum table `{t}`")
            result[t] = cur.fetchone()[1]
        return result
    finally:
        conn.close()


def test_same_seed_same_data_other_seed_other_data(server, databases):
    a, b, c = databases
    generate(server, a, 300, seed=7)
    generate(server, b, 300, seed=7)
    generate(server, c, 300, seed=8)
    same, other = checksums(server, a), checksums(server, b)
    assert len(same) == 63 and same == other
    different = checksums(server, c)
    assert different["patients"] != same["patients"] and different["visits"] != same["visits"]


def test_shape_and_planted_edge_cases(server, databases):
    db = databases[0]
    result = generate(server, db, 1000, seed=1)
    e, rows = result.edge, result.rows
    conn = server.connect(db)
    cur = conn.cursor()

    def one(sql):
        cur.execute(sql)
        return cur.fetchone()[0]

    try:
        assert all(rows[t] > 0 for t in rows), [t for t in rows if not rows[t]]
        assert rows["patients"] == e.patient_rows
        assert rows["appointments"] == 2 * 1000 + 5 and rows["visits"] == 2 * 1000 + 3
        assert one("select count(*) from users where type in ('DOCTOR','NURSE','SECRETARY','SUPER_ADMIN')") == e.staff
        assert one("select count(*) from patients where id = user_id") == 0  # patients.id never equals users.id
        assert one("select count(*) from appointments a left join patients p on p.id = a.patient_id where p.id is null") == 1
        assert one("select count(*) from users where type is null") == len(e.unclassifiable_users) + 1
        assert one(f"select type from users where id = {e.doctor_patient_user}") == "DOCTOR"
        assert one(f"select count(*) from patients where user_id = {e.doctor_patient_user}") == 1
        assert one("select count(*) from users where deleted_at is not null") > 0
        assert one("select count(*) from visits where status = 'WAITING_LIST_TRANSFERRED'") > 0
        assert one("select count(*) from medical_case_diagnoses where injury_side = 'BOTH_SIDES'") > 0
        assert one("select count(*) from icd_entities where class_kind = binary upper(class_kind)") == rows["icd_entities"]
        assert one("select count(*) from users where first_name like '%ع%' or last_name like '%ال%'") > 0
        assert one("select count(*) from users where first_name regexp '^[A-Za-z]'") > 0
        assert one("select max(octet_length(last_name) - char_length(last_name) * 3) from users") > 0  # 4-byte letters
        assert one("select max(char_length(first_name)) from users") == 255
        assert one("select count(*) from allergies where id = 0") == 1
        a, b = e.mutual_relatives
        assert one(f"select relation_patient_id from patients where id = {a}") == b
        assert one(f"select relation_patient_id from patients where id = {b}") == a
        assert one("select count(*) from users where phone_number like '+9639%'") > 0
    finally:
        conn.close()


# --- a tool that cannot hurt -------------------------------------------------------------------

def tables_of(server, database):
    conn = server.connect()
    try:
        cur = conn.cursor()
        cur.execute("select table_name, table_comment from information_schema.tables where table_schema = %s",
                    (database,))
        return dict(cur.fetchall())
    finally:
        conn.close()


def test_it_replaces_only_what_it_made(server, databases):
    foreign, real_v1_copy = databases[0], databases[1]
    conn = server.connect()
    conn.cursor().execute(f"create database `{foreign}`")
    conn.cursor().execute(f"create table `{foreign}`.ledger (id int primary key)")
    conn.close()
    with pytest.raises(ForeignDatabase, match=rf"database {foreign} holds 1 table moh-generate-v1 did not make \(ledger\)"):
        generate(server, foreign, 10)
    assert set(tables_of(server, foreign)) == {"ledger"}
    # a copy of a real v1 has exactly the v1 table names: names prove nothing, the marker does
    create_database(server, real_v1_copy, "v1")
    with pytest.raises(ForeignDatabase, match="holds 63 tables"):
        generate(server, real_v1_copy, 10)
    assert len(tables_of(server, real_v1_copy)) == 63
    # --force replaces it; what the generator made, it may replace again without --force
    generate(server, foreign, 10, force=True)
    made = tables_of(server, foreign)
    assert len(made) == 63 and set(made.values()) == {MARKER}
    generate(server, foreign, 10)
    assert foreign_tables(server, foreign) == [] and foreign_tables(server, databases[2]) == []


def test_the_command_needs_a_database_and_refuses_a_foreign_one(server, databases, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--patients", "10"])
    assert exit_.value.code == 2 and "--database" in capsys.readouterr().err
    create_database(server, databases[0], "v1")
    address = ["--host", server.host, "--port", str(server.port), "--user", server.user]
    assert main(["--database", databases[0], "--patients", "10", *address]) == 4
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"moh-generate-v1: refused: database {databases[0]} holds 63 tables")
    assert "--force" in err[0]
    assert main(["--database", databases[0], "--patients", "10", "--force", *address]) == 0
    assert set(tables_of(server, databases[0]).values()) == {MARKER}


def test_help_describes_every_option():
    parser = build_parser()
    options = [a for a in parser._actions if a.option_strings]
    assert {o.option_strings[-1] for o in options} >= {"--database", "--patients", "--seed", "--force", "--host",
                                                       "--port", "--user", "--socket", "--help"}
    assert all(o.help and len(o.help) > 20 for o in options), [o.option_strings for o in options if not o.help]
    database = next(o for o in options if "--database" in o.option_strings)
    assert database.required and database.default is None
    assert "MOH_DB_PASSWORD" in parser.format_help() and "Exit status" in parser.format_help()
