"""A v2 schema that is not what the migration expects stops the run before any v2 write."""


def v2_rows(env) -> int:
    return env.scalar("select sum(table_rows) from information_schema.tables "
                      "where table_schema = %s and table_name <> 'migrations'", (env.v2,)) or 0


def loaded_tables(env) -> list[str]:
    tables = [t for (t,) in env.rows("select table_name from information_schema.tables "
                                     "where table_schema = %s and table_name <> 'migrations'", (env.v2,))]
    return [t for t in tables if env.scalar(f"select count(*) from `{env.v2}`.`{t}`")]


def test_a_column_the_migration_does_not_produce_stops_the_run_naming_it(scratch_env):
    env = scratch_env("preflight_col", patients=50)
    env.execute(f"alter table `{env.v2}`.visits add column triage_note varchar(50) null")
    result = env.dbt("build")
    assert not result.ok
    assert f"v2 table {env.v2}.visits does not match" in result.output
    assert "triage_note" in result.output
    assert loaded_tables(env) == []


def test_a_missing_v2_table_stops_the_run_naming_it(scratch_env):
    env = scratch_env("preflight_tab", patients=50)
    env.execute("set foreign_key_checks = 0", f"drop table `{env.v2}`.vaccines")
    result = env.dbt("build")
    assert not result.ok
    assert f"v2 table {env.v2}.vaccines does not exist" in result.output
    assert loaded_tables(env) == []


def test_an_enum_value_without_remap_stops_the_run(scratch_env):
    """v1 rows holding enum values v2 lacks, with no remap: the value scan finds them and, by the
    default policy (refuse), stops the run before any v2 table is written, naming each."""
    env = scratch_env("preflight_enum", patients=50)
    env.target.extra_vars = {"enum_remaps": {"icd_entities.class_kind": {"CHAPTER": "chapter", "BLOCK": "block",
                                                                         "CATEGORY": "category"}}}
    result = env.dbt("build")
    assert not result.ok
    refusal = next(line for line in result.output.splitlines() if "MOH-REFUSED" in line)
    with_status = env.scalar(f"select count(*) from `{env.v1}`.visits where status = 'WAITING_LIST_TRANSFERRED'")
    with_side = env.scalar(f"select count(*) from `{env.v1}`.medical_case_diagnoses where injury_side = 'BOTH_SIDES'")
    assert f"visits.status 'WAITING_LIST_TRANSFERRED' (enum) in {with_status} rows" in refusal
    assert f"medical_case_diagnoses.injury_side 'BOTH_SIDES' (enum) in {with_side} rows" in refusal
    assert loaded_tables(env) == []
