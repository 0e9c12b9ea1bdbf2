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
    env = scratch_env("preflight_enum", patients=50)
    env.target.extra_vars = {"enum_remaps": {"icd_entities.class_kind": {"CHAPTER": "chapter", "BLOCK": "block",
                                                                         "CATEGORY": "category"}}}
    result = env.dbt("build")
    assert not result.ok
    assert "status value WAITING_LIST_TRANSFERRED has no v2 enum value" in result.output
    assert "injury_side value BOTH_SIDES has no v2 enum value" in result.output
    assert loaded_tables(env) == []
