{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 users rows: v1 users who are staff (or staff and a patient), with their v1 ids and
    columns. Person columns are cleaned only when the mapping turns a cleaning rule on. Patient
    users are not here: they become v2 patients (int_patients_shaped). Unclassifiable users are
    here, rejected, so that every row pointing at them names them as its root. -#}
with users as (

    select * from {{ ref('stg_v1__users') }}

),

classified as (

    select * from {{ ref('int_users_classified') }}

)

select
    -- ids
    users.id,

    -- person
    {{ clean_name('users.first_name') }} as first_name,
    {{ clean_name('users.last_name') }} as last_name,
    {{ clean_name('users.father_name') }} as father_name,
    {{ clean_name('users.mother_name') }} as mother_name,
    {{ clean_email('users.email') }} as email,
    users.password,
    {{ clean_phone('users.phone_number') }} as phone_number,
    users.gender,
    {{ clean_date('users.date_of_birth') }} as date_of_birth,
    users.avatar_file_url,
    users.type,

    -- timestamps
    users.created_at,
    users.updated_at,
    users.deleted_at,

    -- audit
    concat('id=', users.id) as _row_key,
    case when classified.classification = 'unclassifiable'
        then concat('unclassifiable user: ', classified.reason)
    end as _reject_reason,
    {{ null_text() }} as _change_reason,
    {{ null_text() }} as _root_table,
    {{ null_text() }} as _root_key,
    {{ null_text() }} as _root_reason

from users
inner join classified on classified.user_id = users.id
where classified.classification <> 'patient'
