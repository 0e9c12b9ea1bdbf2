{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 verification_codes rows. A v1 code points at a user; a v2 code points at a patient:
    the user's primary patient. A code of a user who is not a patient keeps no owner (listed). -#}
with codes as (

    select * from {{ ref('stg_v1__verification_codes') }}

),

owners as (

    select v1_user_id, patient_uuid
    from {{ ref('int_patients_minted') }}
    where is_primary_for_user

)

select
    -- ids
    codes.id,
    owners.patient_uuid as patient_id,

    -- the code
    codes.phone_number,
    codes.email,
    codes.otp_code,
    codes.expire_at,

    -- timestamps
    codes.created_at,
    codes.updated_at,

    -- audit
    concat('id=', codes.id) as _row_key,
    {{ null_text() }} as _reject_reason,
    case when codes.user_id is not null and owners.patient_uuid is null
        then concat('set NULL: user_id=', codes.user_id, ' is not a patient')
    end as _change_reason,
    {{ null_text() }} as _root_table,
    {{ null_text() }} as _root_key,
    {{ null_text() }} as _root_reason

from codes
left join owners on owners.v1_user_id = codes.user_id
