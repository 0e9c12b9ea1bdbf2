{#- One row per v2 table (all 63): where every v1 row went. For every table
        v1_rows + added_rows = loaded_rows + rejected_rows + moved_rows + not_carried_rows
    (users: patient users move to v2 patients; patients: patient users without a patients row
    are added). Transient and v2-owned tables are not carried: their v1 rows are counted as
    such, nothing is loaded, and v2 keeps what it had (v2_rows). -#}
{%- set exceptions = ref('migration_exceptions') -%}

with counts as (
{%- for table in all_v2_tables() %}
{%- set disposition = table_disposition(table) %}
{%- set migrated = disposition == 'migrated' %}

    select
        {{ sql_literal(table) }} as table_name,
        {{ sql_literal(disposition) }} as disposition,
        (select count(*) from {{ ref('stg_v1__' ~ table) if migrated else v1_relation(table) }}) as v1_rows,
        (select count(*) from {{ ref(table) if migrated else api.Relation.create(schema=target.schema, identifier=table) }}) as v2_rows,
        (select count(*) from {{ exceptions }} where table_name = {{ sql_literal(table) }} and action = 'rejected') as rejected_rows,
        (select count(*) from {{ exceptions }} where table_name = {{ sql_literal(table) }} and action = 'changed') as changed_rows,
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

),

carried as (

    select
        counts.*,
        case when disposition = 'migrated' then v2_rows else 0 end as loaded_rows,
        case when disposition = 'migrated' then 0 else v1_rows end as not_carried_rows
    from counts

)

select
    table_name,
    disposition,
    v1_rows,
    v2_rows,
    loaded_rows,
    rejected_rows,
    changed_rows,
    moved_rows,
    added_rows,
    not_carried_rows,
    v1_rows + added_rows = loaded_rows + rejected_rows + moved_rows + not_carried_rows as reconciles
from carried
