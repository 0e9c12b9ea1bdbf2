{{ config(post_hook="alter table {{ this }} add primary key (user_id)") }}

{#- Every v1 user, classified by the mapping: staff go to v2 users, patients to v2 patients,
    "both" to each, and the rest to the exceptions. -#}
with users as (

    select * from {{ ref('stg_v1__users') }}

),

patient_rows as (

    select
        user_id,
        count(*) as patient_rows
    from {{ ref('stg_v1__patients') }}
    group by user_id

),

roles as (

    select
        users.id as user_id,
        users.type as v1_type,
        {{ normalized_role('users.type') }} as role,
        coalesce(patient_rows.patient_rows, 0) as patient_rows
    from users
    left join patient_rows on patient_rows.user_id = users.id

),

classified as (

    select
        user_id,
        v1_type,
        role,
        patient_rows,
        case
            when role in ({{ sql_list(roles_staff()) or 'null' }}) and patient_rows > 0 then 'both'
            when role in ({{ sql_list(roles_staff()) or 'null' }}) then 'staff'
            when role in ({{ sql_list(roles_patients()) or 'null' }}) or patient_rows > 0 then 'patient'
            else 'unclassifiable'
        end as classification
    from roles

)

select
    user_id,
    v1_type,
    role,
    patient_rows,
    classification,
    case when classification = 'unclassifiable' then
        concat('type ', coalesce(v1_type, 'NULL'), ' is in neither roles_staff nor roles_patients, and the user has no patients row')
    end as reason
from classified
