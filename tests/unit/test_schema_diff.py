"""schema_diff.md from two schema snapshots, without a server: every difference is listed with
what the migration does about it."""
from driver.schema import Table, columns_for_dbt, diff_markdown


def table(columns: dict, indexes=None, foreign_keys=None) -> Table:
    return Table(columns=columns, indexes=indexes or {}, foreign_keys=foreign_keys or {})


V1 = {
    "patients": table({"id": ("bigint unsigned", False, None, True), "address": ("varchar(255)", True, None, False),
                       "status": ("enum('A','OLD')", False, None, False)},
                      indexes={"PRIMARY": (True, "BTREE", ("id",))}),
    "visits": table({"id": ("bigint unsigned", False, None, True), "patient_id": ("bigint unsigned", False, None, False)},
                    foreign_keys={("patient_id",): ("patients", ("id",))}),
    "gone": table({"id": ("int", False, None, True)}),
    "sessions": table({"id": ("varchar(255)", False, None, True)}),
}
V2 = {
    "patients": table({"id": ("bigint unsigned", False, None, True), "patient_id": ("char(36)", False, None, False),
                       "status": ("enum('A')", True, None, False)},
                      indexes={"PRIMARY": (True, "BTREE", ("id",)), "by_uuid": (True, "BTREE", ("patient_id",))}),
    "visits": table({"id": ("bigint unsigned", False, None, True), "patient_id": ("char(36)", False, None, False)},
                    foreign_keys={("patient_id",): ("patients", ("patient_id",))}),
    "sessions": table({"id": ("varchar(255)", False, None, True)}),
    "migrations": table({"id": ("int", False, None, True)}),
}
SPECS = {"patients": {"dropped": {"address": "no v2 column"}, "base": "int_patients_shaped"},
         "visits": {"patient_refs": ["patient_id"]}}
DISPOSITIONS = {"patients": "migrated", "visits": "migrated", "sessions": "transient", "migrations": "v2_owned"}


def test_every_difference_is_listed_with_what_happens():
    md = diff_markdown(V1, V2, SPECS, {"patients.status": {"OLD": None}}, DISPOSITIONS, "old_moh", "new_moh")
    assert md.startswith("# Schema differences: old_moh (v1) -> new_moh (v2)")
    assert "4 tables in v1, 4 in v2" in md
    assert "- removed `gone`: its rows are not carried (no v2 table)" in md
    assert "- added `migrations`: left as v2 has it (no v1 source)" in md
    assert "- `migrations`: the v2 application's own history, never written" in md
    assert "- `sessions`: transient runtime state, not carried" in md
    assert "- removed `address` varchar(255): not carried: no v2 column" in md
    assert "- added `patient_id` char(36) NOT NULL: shaped by models/intermediate/int_patients_shaped.sql" in md
    assert ("- changed `status`: enum('A','OLD') NOT NULL -> enum('A'): values remapped by enum_remaps "
            "(OLD -> NULL)") in md
    assert "- changed `patient_id`: bigint unsigned NOT NULL -> char(36) NOT NULL: rewired" in md
    assert "- removed visits.patient_id -> patients.id" in md
    assert "- added visits.patient_id -> patients.patient_id: tested after the load" in md
    assert "- added patients.by_uuid (patient_id): the v2 DDL keeps it up as rows load" in md


def test_identical_schemas_say_so_and_list_nothing():
    same = {"t": table({"id": ("int", False, None, True)})}
    md = diff_markdown(same, same, {}, {}, {"t": "migrated"}, "a", "b")
    assert "The same tables on both sides." in md and "###" not in md and "- " not in md


def test_the_snapshot_as_dbt_reads_it():
    assert columns_for_dbt({"t": table({"id": ("int", False, "0", True)})}) == {"t": [["id", "int", False, True]]}
