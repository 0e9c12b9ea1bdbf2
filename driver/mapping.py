"""mapping.yaml: who is staff, who is a patient, value remaps and cleaning. Validated before
anything connects, against the schemas the project knows (driver/schemas), then handed to dbt
as vars. One ConfigError per problem, naming the file, the key and the fix."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from driver import schema_facts
from driver.config import ConfigError, read_yaml
from driver.project import table_dispositions

NO_EFFECT = {
    "genders": "users.gender is enum('MALE','FEMALE') in v1 and v2: no other value can occur",
    "statuses": "every status column is an enum in v1 and v2; remap values with enum_remaps",
}
CLEANING_DEFAULTS = {
    "phone_normalization": {"enabled": False, "default_country_code": "+963", "remove_characters": " -()",
                            "add_country_code_if_missing": True, "validate": True},
    "email_normalization": {"enabled": False, "lowercase": True, "trim": True, "validate": True},
}
NAME_DEFAULTS = {"enabled": False, "trim": True, "collapse_spaces": True, "title_case": False}
DATE_DEFAULTS = {"enabled": False, "invalid_to_null": True}
STAFF_EVIDENCE = ("doctors", "nurses", "secretaries", "model_has_roles")
PATIENT_EVIDENCE = ("patients", "model_has_roles")
UNSTORABLE_POLICIES = ("refuse", "reject", "set_null")
FIELD_MAPPINGS = {("patients", "patient_id"): ("generated",), ("patients", "medical_number"): None}


@dataclass(frozen=True)
class Mapping:
    source: str
    dbt_vars: dict
    warnings: tuple[str, ...] = field(default=())


def _strings(source: str, key: str, value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConfigError(f"{source}: {key}: expected a list of names")
    return [v.strip() for v in value]


def _switches(source: str, key: str, value, defaults: dict) -> dict:
    if value is None:
        return dict(defaults)
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: {key}: expected settings ({', '.join(defaults)})")
    unknown = sorted(set(value) - set(defaults))
    if unknown:
        raise ConfigError(f"{source}: {key}.{unknown[0]}: unknown setting; known: {', '.join(defaults)}")
    merged = dict(defaults)
    for name, setting in value.items():
        if type(setting) is not type(defaults[name]):
            raise ConfigError(f"{source}: {key}.{name}: expected {type(defaults[name]).__name__}, got {setting!r}")
        merged[name] = setting
    return merged


def _choices(source: str, key: str, value, allowed: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{source}: {key}: expected a list, any of {', '.join(allowed)}")
    for v in value:
        if v not in allowed:
            raise ConfigError(f"{source}: {key}: {v!r} is not one of {', '.join(allowed)}")
    return list(value)


def _unstorable_values(source: str, value) -> dict:
    """What happens to a v1 value its v2 column cannot store: {default: policy, table.column: policy}."""
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: unstorable_values: expected default: refuse and table.column: policy")
    v2 = schema_facts.columns("v2")
    policies = {"default": "refuse"}
    for key, policy in value.items():
        if policy not in UNSTORABLE_POLICIES:
            raise ConfigError(f"{source}: unstorable_values: {key}: {policy!r} is not one of "
                              f"{', '.join(UNSTORABLE_POLICIES)}")
        if key != "default":
            table, _, column = str(key).partition(".")
            if table not in v2 or column not in v2[table]:
                raise ConfigError(f"{source}: unstorable_values: unknown v2 column {key!r} (table.column)")
            if policy == "set_null" and "NOT NULL" in schema_facts.column_definition("v2", table, column):
                raise ConfigError(f"{source}: unstorable_values: {key} is NOT NULL in v2, so its values cannot be "
                                  "set NULL; use reject, refuse, or an enum_remaps entry")
        policies[str(key)] = policy
    return policies


def _enum_remaps(source: str, value) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{source}: enum_remaps: expected table.column: {{v1 value: v2 value}}")
    v1, v2 = schema_facts.columns("v1"), schema_facts.columns("v2")
    remaps = {}
    for key, remap in value.items():
        table, _, column = str(key).partition(".")
        if table not in v2 or table not in v1:
            raise ConfigError(f"{source}: enum_remaps: unknown table {table!r} in {key!r}")
        if column not in v2[table] or column not in v1[table]:
            raise ConfigError(f"{source}: enum_remaps: unknown column {column!r} in table {table}")
        old_values = schema_facts.enum_values(v1[table][column])
        new_values = schema_facts.enum_values(v2[table][column])
        if not old_values or not new_values:
            raise ConfigError(f"{source}: enum_remaps: {key} is not an enum column")
        if not isinstance(remap, dict):
            raise ConfigError(f"{source}: enum_remaps: {key}: expected {{v1 value: v2 value}}")
        for old, new in remap.items():
            # '' is what a lax sql_mode stores for a value the enum lacks: it can be remapped too
            if old not in old_values and old != "":
                raise ConfigError(f"{source}: enum_remaps: {key}: {old!r} is not a v1 value ({', '.join(old_values)})")
            if new is not None and new not in new_values:
                raise ConfigError(f"{source}: enum_remaps: {key}: {old} -> {new!r}, but {new!r} is not a v2 value "
                                  f"({', '.join(new_values)}; or null)")
        remaps[key] = dict(remap)
    # every v1 enum value v2 lacks needs a remap, or its rows could not load
    for table, cols in v1.items():
        for column, kind in cols.items():
            new_kind = v2.get(table, {}).get(column)
            if new_kind is None or new_kind == kind or not schema_facts.enum_values(kind):
                continue
            remap = remaps.get(f"{table}.{column}", {})
            for old in schema_facts.enum_values(kind):
                target = remap.get(old, old)
                if old not in remap and target not in schema_facts.enum_values(new_kind):
                    raise ConfigError(f"{source}: enum_remaps: {table}.{column} value {old} has no v2 value; "
                                      f"map it under enum_remaps: {table}.{column}")
    return remaps


def load_mapping(path: str | Path, *, phone_normalization: bool | None = None, email_validation: bool | None = None,
                 data_cleaning: bool | None = None) -> Mapping:
    """Read and validate mapping.yaml. The three switches are config.yaml's seed keys; when set
    they turn the matching cleaning rule on or off."""
    source = str(path)
    raw = read_yaml(path, "mapping")
    known = {"roles_staff", "roles_patients", "role_aliases", "enum_remaps", "user_model_types",
             "patient_contact_info_from", "carry_transient_tables", "phone_normalization", "email_normalization",
             "data_cleaning", "field_mappings", "staff_evidence", "patient_evidence", "unstorable_values"} | set(NO_EFFECT)
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(f"{source}: unknown key {unknown[0]!r}; known keys: {', '.join(sorted(known))}")
    warnings = [f"{source}: {key} has no effect: {why}" for key, why in NO_EFFECT.items() if raw.get(key)]

    staff = [r.upper() for r in _strings(source, "roles_staff", raw.get("roles_staff", []))]
    patients = [r.upper() for r in _strings(source, "roles_patients", raw.get("roles_patients", []))]
    if not staff or not patients:
        raise ConfigError(f"{source}: roles_staff and roles_patients must each list at least one role")
    both = sorted(set(staff) & set(patients))
    if both:
        raise ConfigError(f"{source}: role {both[0]} is in both roles_staff and roles_patients; keep it in one")
    aliases = raw.get("role_aliases") or {}
    if not isinstance(aliases, dict):
        raise ConfigError(f"{source}: role_aliases: expected alias: role")
    for alias, role in aliases.items():
        if str(role).strip().upper() not in staff + patients:
            raise ConfigError(f"{source}: role_aliases: {alias} -> {role}, which is in neither roles_staff "
                              "nor roles_patients")

    contact = raw.get("patient_contact_info_from", "email")
    if contact not in ("email", "none"):
        raise ConfigError(f"{source}: patient_contact_info_from: expected email or none, got {contact!r}")
    carried = _strings(source, "carry_transient_tables", raw.get("carry_transient_tables") or [])
    transient = [t for t, d in table_dispositions().items() if d == "transient"]
    for table in carried:
        if table not in transient:
            raise ConfigError(f"{source}: carry_transient_tables: {table} is not a transient table "
                              f"({', '.join(transient)})")

    phones = _switches(source, "phone_normalization", raw.get("phone_normalization"),
                       CLEANING_DEFAULTS["phone_normalization"])
    emails = _switches(source, "email_normalization", raw.get("email_normalization"),
                       CLEANING_DEFAULTS["email_normalization"])
    cleaning = raw.get("data_cleaning") or {}
    if not isinstance(cleaning, dict) or set(cleaning) - {"names", "dates"}:
        raise ConfigError(f"{source}: data_cleaning: expected names: and dates: settings")
    names = _switches(source, "data_cleaning.names", cleaning.get("names"), NAME_DEFAULTS)
    dates = _switches(source, "data_cleaning.dates", cleaning.get("dates"), DATE_DEFAULTS)
    if phone_normalization is not None:
        phones["enabled"] = phone_normalization
    if email_validation is not None:
        emails["enabled"] = email_validation
    if data_cleaning is not None:
        names["enabled"] = dates["enabled"] = data_cleaning
    if names["title_case"]:
        warnings.append(f"{source}: data_cleaning.names.title_case has no effect: Arabic script has no letter case, "
                        "and Latin names are kept as written")

    medical_number_default = "0"
    field_mappings = raw.get("field_mappings") or {}
    if not isinstance(field_mappings, dict):
        raise ConfigError(f"{source}: field_mappings: expected table: {{column: value}}")
    v2 = schema_facts.columns("v2")
    for table, fields in field_mappings.items():
        if table not in v2:
            raise ConfigError(f"{source}: field_mappings: unknown table {table!r}")
        for column, value in (fields or {}).items():
            name = column[:-len("_default")] if column.endswith("_default") else column
            if name not in v2[table]:
                raise ConfigError(f"{source}: field_mappings: unknown column {table}.{name}")
            if (table, name) not in FIELD_MAPPINGS:
                raise ConfigError(f"{source}: field_mappings: {table}.{name} cannot be set "
                                  f"(supported: patients.patient_id: generated, patients.medical_number)")
            allowed = FIELD_MAPPINGS[(table, name)]
            if allowed and value not in allowed:
                raise ConfigError(f"{source}: field_mappings: {table}.{name}: only {', '.join(allowed)}")
            if name == "medical_number":
                medical_number_default = str(value)

    staff_evidence = _choices(source, "staff_evidence", raw.get("staff_evidence", list(STAFF_EVIDENCE)), STAFF_EVIDENCE)
    patient_evidence = _choices(source, "patient_evidence", raw.get("patient_evidence", list(PATIENT_EVIDENCE)),
                                PATIENT_EVIDENCE)
    unstorable = _unstorable_values(source, raw.get("unstorable_values") or {})

    dbt_vars = {
        "roles_staff": staff,
        "roles_patients": patients,
        "role_aliases": {str(a).strip().upper(): str(r).strip().upper() for a, r in aliases.items()},
        "enum_remaps": _enum_remaps(source, raw.get("enum_remaps") or {}),
        "user_model_types": _strings(source, "user_model_types",
                                     raw.get("user_model_types", ["App\\Models\\User"])),
        "patient_contact_info_from": contact,
        "carry_transient_tables": carried,
        "clean_phones": phones,
        "clean_emails": emails,
        "clean_names": names,
        "clean_dates": dates,
        "patient_medical_number_default": medical_number_default,
        "staff_evidence": staff_evidence,
        "patient_evidence": patient_evidence,
        "unstorable_values": unstorable,
    }
    return Mapping(source=source, dbt_vars=dbt_vars, warnings=tuple(warnings))
