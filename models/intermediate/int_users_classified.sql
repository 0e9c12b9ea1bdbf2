{{ config(primary_key=['user_id']) }}

{#- Every v1 user, classified by the mapping: staff go to v2 users, patients to v2 patients,
    "both" to each, and the rest to the exceptions. users.type decides when it names a role of
    roles_staff or roles_patients. A legacy user whose type is NULL or unknown is classified by
    evidence instead (vars staff_evidence, patient_evidence): a doctors, nurses or secretaries
    row, a role assigned in model_has_roles, a patients row. classified_by says which. -#}
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

-- rows of the staff tables: a user who has one works here
staff_rows as (

    {%- set staff_tables = ['doctors', 'nurses', 'secretaries'] | select('in', var('staff_evidence')) | list %}
    {%- for table in staff_tables %}
    select user_id, '{{ table }}' as staff_table from {{ ref('stg_v1__' ~ table) }}
    union all
    {%- endfor %}
    -- (none of them, when staff_evidence lists no staff table)
    select user_id, 'none' as staff_table from {{ ref('stg_v1__doctors') }} where 1 = 0

),

-- roles assigned to users in model_has_roles, by name ("super-admin" -> SUPER_ADMIN), aliased
assigned_roles as (

    select
        assignments.model_id as user_id,
        {{ normalized_role("replace(replace(roles.name, '-', '_'), ' ', '_')") }} as role
    from {{ ref('stg_v1__model_has_roles') }} assignments
    inner join {{ ref('stg_v1__roles') }} roles on roles.id = assignments.role_id
    where assignments.model_type in ({{ sql_list(var('user_model_types')) }})

),

-- one row per piece of evidence: a staff table row, or a role of either list
evidence_rows as (

    select user_id, staff_table, {{ null_text() }} as staff_role, {{ null_text() }} as patient_role
    from staff_rows
    union all
    select
        user_id,
        {{ null_text() }},
        case when {{ 'model_has_roles' in var('staff_evidence') }} and role in ({{ sql_list(roles_staff()) or 'null' }}) then role end,
        case when {{ 'model_has_roles' in var('patient_evidence') }} and role in ({{ sql_list(roles_patients()) or 'null' }}) then role end
    from assigned_roles

),

evidence as (

    select
        user_id,
        max(case when staff_table = 'doctors' then 1 else 0 end) as doctors_row,
        max(case when staff_table = 'nurses' then 1 else 0 end) as nurses_row,
        max(case when staff_table = 'secretaries' then 1 else 0 end) as secretaries_row,
        max(staff_role) as staff_role,
        max(patient_role) as patient_role
    from evidence_rows
    group by user_id

),

roles as (

    select
        users.id as user_id,
        users.type as v1_type,
        {{ normalized_role('users.type') }} as role,
        coalesce(patient_rows.patient_rows, 0) as patient_rows,
        coalesce(evidence.doctors_row, 0) as doctors_row,
        coalesce(evidence.nurses_row, 0) as nurses_row,
        coalesce(evidence.secretaries_row, 0) as secretaries_row,
        evidence.staff_role,
        evidence.patient_role
    from users
    left join patient_rows on patient_rows.user_id = users.id
    left join evidence on evidence.user_id = users.id

),

typed as (

    select
        roles.*,
        coalesce(role in ({{ sql_list(roles_staff()) or 'null' }}), false) as staff_by_type,
        coalesce(role in ({{ sql_list(roles_patients()) or 'null' }}), false) as patient_by_type
    from roles

),

weighed as (

    select
        typed.*,
        not (staff_by_type or patient_by_type)
            and (doctors_row + nurses_row + secretaries_row > 0 or staff_role is not null) as staff_by_evidence,
        not (staff_by_type or patient_by_type)
            and (({{ 'patients' in var('patient_evidence') }} and patient_rows > 0) or patient_role is not null) as patient_by_evidence
    from typed

),

classified as (

    select
        weighed.*,
        case
            when (staff_by_type or staff_by_evidence) and patient_rows > 0 then 'both'
            when staff_by_type or staff_by_evidence then 'staff'
            when patient_by_type or patient_by_evidence then 'patient'
            else 'unclassifiable'
        end as classification
    from weighed

)

select
    user_id,
    v1_type,
    role,
    patient_rows,
    classification,
    case
        when staff_by_type or patient_by_type then concat('type ', role)
        when classification <> 'unclassifiable' then concat('type ', {{ shown_type('v1_type') }}, '; evidence: ', concat_ws(', ',
            case when doctors_row = 1 then 'doctors row' end,
            case when nurses_row = 1 then 'nurses row' end,
            case when secretaries_row = 1 then 'secretaries row' end,
            case when staff_role is not null then concat('role ', staff_role, ' in model_has_roles') end,
            case when patient_rows > 0 and ({{ 'patients' in var('patient_evidence') }} or classification = 'both') then 'patients row' end,
            case when patient_role is not null then concat('role ', patient_role, ' in model_has_roles') end))
    end as classified_by,
    case when classification = 'unclassifiable' then
        concat('type ', {{ shown_type('v1_type') }}, ' is in neither roles_staff nor roles_patients, and v1 holds no evidence of either')
    end as reason
from classified
