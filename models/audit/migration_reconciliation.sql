{#- One row per v2 table (all 63): where every v1 row went. For a migrated table
        v1_rows + added_rows = v2_rows + rejected_rows + moved_rows
    (users: patient users move to v2 patients; patients: patient users without a patients row
    are added). Transient and v2-owned tables are not carried: their v1 rows are counted as such
    and v2 keeps what it had. -#}
{%- set log = ref('migration_exceptions') -%}

with counts as (
{%- for table in all_v2_tables() %}
{%- set disposition = table_disposition(table) %}
{%- set migrated = disposition == 'migrated' %}

    select
        {{ sql_literal(table) }} as table_name,
        {{ sql_literal(disposition) }} as disposition,
        (select count(*) from {{ ref('stg_v1__' ~ table) if migrated else v1_relation(table) }}) as v1_rows,
        (select count(*) from {{ ref(table) if migrated else api.Relation.create(schema=target.schema, identifier=table) }}) as v2_rows,
        (select count(*) from {{ log }} where table_name = {{ sql_literal(table) }} and action = 'rejected') as rejected_rows,
        (select count(*) from {{ log }} where table_name = {{ sql_literal(table) }} and action = 'changed') as changed_rows,
        {%- if table == 'users' %}
        (select count(*) from {{ ref('int_users_classified') }} where classification = 'patient') as moved_rows,
        {%- else %}
        0 as moved_rows,
        {%- endif %}
        {%- if table == 'patients' %}
        (select count(*) from {{ ref('int_patients_minted') }} where origin = 'patient_user') as added_rows
        {%- else %}
        0 as added_rows
        {%- endif %}
    {{ 'union all' if not loop.last }}
{%- endfor %}

)

select
    table_name,
    disposition,
    v1_rows,
    v2_rows,
    rejected_rows,
    changed_rows,
    moved_rows,
    added_rows,
    case when disposition = 'migrated' then 0 else v1_rows end as not_carried_rows,
    disposition <> 'migrated' or v1_rows + added_rows = v2_rows + rejected_rows + moved_rows as reconciles
from counts
