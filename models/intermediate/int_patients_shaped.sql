{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 patients rows: one per row of the patient crosswalk. A v1 patients row brings its
    medical columns, and its user (the person) brings names, phone, gender, birth date and
    avatar; a patient user without a patients row is a patient made from the user alone. -#}
with minted as (

    select * from {{ ref('int_patients_minted') }}

),

patient_rows as (

    select * from {{ ref('stg_v1__patients') }}

),

people as (

    select * from {{ ref('stg_v1__users') }}

),

-- a relative is named by its v1 patients.id; it gets the relative's UUID
relatives as (

    select v1_patient_id, patient_uuid from minted

)

select
    -- ids
    minted.patient_uuid as patient_id,

    -- the person, from the user
    {{ clean_name('people.first_name') }} as first_name,
    {{ clean_name('people.last_name') }} as last_name,
    {{ clean_name('people.father_name') }} as father_name,
    {{ clean_name('people.mother_name') }} as mother_name,
    {{ clean_phone('people.phone_number') }} as phone_number,
    people.gender,
    {{ clean_date('people.date_of_birth') }} as date_of_birth,
    people.avatar_file_url,
    {{ clean_email('people.email') if var('patient_contact_info_from') == 'email' else null_text() }} as contact_info,
    people.deleted_at,

    -- medical, from the patients row (the v2 default for a patient made from a user alone)
    case when minted.v1_patient_id is null
        then {{ sql_literal(var('patient_medical_number_default')) }}
        else patient_rows.medical_number
    end as medical_number,
    patient_rows.marital_status,
    patient_rows.nationality,
    patient_rows.blood_type,
    patient_rows.tobacco_use,
    patient_rows.illicit_drug_use,
    patient_rows.alcohol_use,
    patient_rows.living_situation,
    patient_rows.national_number as national_id,
    patient_rows.country_id,
    patient_rows.governorate_id,
    patient_rows.easy_appointment_customer_id,
    patient_rows.years_of_smoking,
    patient_rows.smoking_start_year,
    patient_rows.cigarettes_per_day,
    patient_rows.average_packs_per_day,
    patient_rows.occupation,
    patient_rows.qr_code,
    relatives.patient_uuid as relation_patient_id,
    patient_rows.relation_ship_type,

    -- timestamps: the patients row's, or the user's for a patient made from the user alone
    case when minted.v1_patient_id is null then people.created_at else patient_rows.created_at end as created_at,
    case when minted.v1_patient_id is null then people.updated_at else patient_rows.updated_at end as updated_at,

    -- the crosswalk, carried so that rows pointing at a v1 patients.id find their patient
    minted.v1_patient_id as _v1_patient_id,
    minted.v1_user_id as _v1_user_id,

    -- audit
    case when minted.v1_patient_id is null
        then concat('user_id=', minted.v1_user_id)
        else concat('id=', minted.v1_patient_id)
    end as _row_key,
    {{ null_text() }} as _reject_reason,
    nullif(concat_ws('; ',
        case when patient_rows.address is not null and patient_rows.address <> ''
            then 'address dropped: v2 patients has no address column' end,
        case when minted.v1_patient_id is not null and people.id is null
            then concat('user_id=', minted.v1_user_id, ' not in users: no name, phone, gender or birth date') end,
        case when patient_rows.relation_patient_id is not null and relatives.patient_uuid is null
            then concat('set NULL: relation_patient_id=', patient_rows.relation_patient_id, ' has no v1 patients row') end
    ), '') as _change_reason,
    {{ null_text() }} as _root_table,
    {{ null_text() }} as _root_key,
    {{ null_text() }} as _root_reason

from minted
left join patient_rows on patient_rows.id = minted.v1_patient_id
left join people on people.id = minted.v1_user_id
left join relatives on relatives.v1_patient_id = patient_rows.relation_patient_id
