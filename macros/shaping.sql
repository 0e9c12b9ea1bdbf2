{#- Shaping shared by v2 tables that differ only in their names (see models/intermediate). -#}

{#- OAuth tokens and codes (oauth_access_tokens, oauth_auth_codes): v2 keeps the owner as
    char(36) NOT NULL. A staff user keeps the v1 user id, as text; a patient user becomes the
    UUID of their primary patient. A row with no migrated owner is rejected. `columns`: the
    table's other columns, copied as they are. -#}
{% macro oauth_rows_with_owner(table, columns) %}
with grants as (

    select * from {{ ref('stg_v1__' ~ table) }}

),

owners as (

    select * from {{ ref('int_users_classified') }}

),

staff as (

    select id, _row_key, _reject_reason, _root_table, _root_key, _root_reason
    from {{ ref('int_users_checked') }}

),

owner_patients as (

    select v1_user_id, patient_uuid
    from {{ ref('int_patients_minted') }}
    where is_primary_for_user

)

select
    grants.id,
    case
        when owners.classification in ('staff', 'both') then {{ cast_to_text('grants.user_id') }}
        when owners.classification = 'patient' then owner_patients.patient_uuid
    end as user_id,
    {%- for c in columns %}
    grants.{{ adapter.quote(c) }},
    {%- endfor %}

    -- audit
    concat('id=', grants.id) as _row_key,
    case
        when grants.user_id is not null and owners.user_id is null
            then concat('user_id=', grants.user_id, ' not in users')
        when owners.classification = 'unclassifiable'
            then concat('user_id=', grants.user_id, ': users ', staff._row_key, ' was rejected (root: ',
                {{ root_of('staff', 'users') }}, ')')
    end as _reject_reason,
    {{ null_text() }} as _change_reason,
    {{ root_columns_of('staff', 'users', "owners.classification = 'unclassifiable'") }}

from grants
left join owners on owners.user_id = grants.user_id
left join staff on staff.id = grants.user_id
left join owner_patients on owner_patients.v1_user_id = grants.user_id
{% endmacro %}


{#- Laravel role and permission assignments (model_has_roles, model_has_permissions). A row for
    a user who is not v2 staff (a patient user, a user that is rejected or missing) has no v2
    user to belong to and is rejected; rows of other model types are kept as they are.
    `id_column`: role_id or permission_id. -#}
{% macro staff_assignments(table, id_column) %}
with assignments as (

    select
        *,
        model_type in ({{ sql_list(var('user_model_types')) }}) as is_user_row
    from {{ ref('stg_v1__' ~ table) }}

),

staff as (

    select id, _row_key, _reject_reason, _root_table, _root_key, _root_reason
    from {{ ref('int_users_checked') }}

),

classified as (

    select user_id, classification from {{ ref('int_users_classified') }}

)

select
    assignments.{{ adapter.quote(id_column) }},
    assignments.model_type,
    assignments.model_id,

    -- audit
    concat('{{ id_column }}=', assignments.{{ adapter.quote(id_column) }}, ',model_id=', assignments.model_id,
           ',model_type=', assignments.model_type) as _row_key,
    case when assignments.is_user_row and not (staff.id is not null and staff._reject_reason is null) then
        concat('model_id=', assignments.model_id, case
            when classified.classification = 'patient' then ' is a patient user: v2 roles belong to staff'
            when staff.id is not null then concat(': users ', staff._row_key, ' was rejected (root: ',
                {{ root_of('staff', 'users') }}, ')')
            else ' not in users'
        end)
    end as _reject_reason,
    {{ null_text() }} as _change_reason,
    {{ root_columns_of('staff', 'users', 'assignments.is_user_row and staff._reject_reason is not null') }}

from assignments
left join staff on assignments.is_user_row and staff.id = assignments.model_id
left join classified on classified.user_id = assignments.model_id
{% endmacro %}


{#- "table key: reason" of the root of a rejected row under `alias` of checked model `table`. -#}
{% macro root_of(alias, table) -%}
  coalesce({{ alias }}._root_table, '{{ table }}'), ' ', coalesce({{ alias }}._root_key, {{ alias }}._row_key), ': ',
  coalesce({{ alias }}._root_reason, {{ alias }}._reject_reason)
{%- endmacro %}

{#- The three root columns of a shaped row that is rejected because of the rejected row under
    `alias` (when `condition` holds); NULL otherwise (the row is its own root, or not rejected). -#}
{% macro root_columns_of(alias, table, condition) -%}
    case when {{ condition }} then coalesce({{ alias }}._root_table, '{{ table }}') end as _root_table,
    case when {{ condition }} then coalesce({{ alias }}._root_key, {{ alias }}._row_key) end as _root_key,
    case when {{ condition }} then coalesce({{ alias }}._root_reason, {{ alias }}._reject_reason) end as _root_reason
{%- endmacro %}

{#- A number as text (MySQL: cast as char; PostgreSQL's char is one character). -#}
{% macro cast_to_text(expression) -%}
  {{ return(adapter.dispatch('cast_to_text', 'moh_migrate')(expression)) }}
{%- endmacro %}

{% macro default__cast_to_text(expression) -%}
  cast({{ expression }} as char)
{%- endmacro %}
