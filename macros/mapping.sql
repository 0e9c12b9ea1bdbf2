{#- The mapping (roles, aliases) as SQL. Values come from vars, which the driver fills from
    mapping.yaml; see dbt_project.yml for the defaults. -#}

{% macro roles_staff() -%}
  {{- return(normalized_role_list('roles_staff')) -}}
{%- endmacro %}

{% macro roles_patients() -%}
  {{- return(normalized_role_list('roles_patients')) -}}
{%- endmacro %}

{#- A role in both lists is refused by the driver before it connects (driver/mapping.py); with
    plain dbt and such vars, int_users_classified gives staff the precedence. -#}
{% macro normalized_role_list(var_name) -%}
  {%- set roles = [] -%}
  {%- for r in var(var_name, []) -%}{%- do roles.append(r | string | trim | upper) -%}{%- endfor -%}
  {{- return(roles) -}}
{%- endmacro %}

{#- v1 users.type, trimmed, upper-cased, then through role_aliases (keys compared the same way). -#}
{% macro normalized_role(column) -%}
  {%- set aliases = var('role_aliases', {}) -%}
  {%- if aliases -%}
  case upper(trim({{ column }}))
    {%- for alias, role in aliases.items() %}
    when {{ sql_literal(alias | string | trim | upper) }} then {{ sql_literal(role | string | trim | upper) }}
    {%- endfor %}
    else upper(trim({{ column }}))
  end
  {%- else -%}
  upper(trim({{ column }}))
  {%- endif -%}
{%- endmacro %}

{#- An RFC 4122 version 5 UUID from a 40-digit SHA-1 hex digest: version nibble 5, variant 10xx.
    The digest is sha1(namespace bytes || name), exactly as Python's uuid.uuid5 computes it. -#}
{% macro uuid_v5_from_sha1(sha1_hex) -%}
  {{- adapter.dispatch('uuid_v5_from_sha1', 'moh_migrate')(sha1_hex) -}}
{%- endmacro %}

{#- sha1(namespace bytes || name), as 40 hex digits (MySQL) or as the UUID itself (PostgreSQL,
    where uuid-ossp's uuid_generate_v5 computes the same digest and sets the same bits). -#}
{% macro uuid_v5_digest(namespace_hex, name) -%}
  {{- adapter.dispatch('uuid_v5_digest', 'moh_migrate')(namespace_hex, name) -}}
{%- endmacro %}

{% macro default__uuid_v5_digest(namespace_hex, name) -%}
  sha1(concat(unhex({{ namespace_hex }}), {{ name }}))
{%- endmacro %}

{#- A NULL of a type (MySQL takes a bare NULL in a UNION; PostgreSQL needs to know its type). -#}
{% macro typed_null(type) -%}
  {{- adapter.dispatch('typed_null', 'moh_migrate')(type) -}}
{%- endmacro %}

{% macro default__typed_null(type) -%}
  null
{%- endmacro %}

{#- An integer id as MySQL's unsigned (the crosswalk's v1_patient_id). -#}
{% macro cast_to_id(expression) -%}
  {{- adapter.dispatch('cast_to_id', 'moh_migrate')(expression) -}}
{%- endmacro %}

{% macro default__cast_to_id(expression) -%}
  cast({{ expression }} as unsigned)
{%- endmacro %}

{% macro default__uuid_v5_from_sha1(sha1_hex) -%}
  cast(concat(
    substr({{ sha1_hex }}, 1, 8), '-',
    substr({{ sha1_hex }}, 9, 4), '-',
    '5', substr({{ sha1_hex }}, 14, 3), '-',
    lower(hex((conv(substr({{ sha1_hex }}, 17, 1), 16, 10) & 3) | 8)), substr({{ sha1_hex }}, 18, 3), '-',
    substr({{ sha1_hex }}, 21, 12)
  ) as char(36) character set utf8mb4) collate utf8mb4_unicode_ci
{%- endmacro %}

{#- users.type as a reason shows it: NULL, '' (what a lax sql_mode stored), or the value. -#}
{% macro shown_type(column) -%}
  case when {{ column }} is null then 'NULL' when {{ column }} = '' then {{ sql_literal("''") }} else {{ column }} end
{%- endmacro %}
