{#- One row per v1 column whose data has no home in v2, with how many non-empty values it
    holds: what the migration leaves behind by design. Row by row, patients.address is in the
    exceptions as well; a patient user's password and (with patient_contact_info_from: none)
    e-mail go nowhere, because v2 patients do not log in with them. -#}
with patient_users as (

    select users.*
    from {{ ref('stg_v1__users') }} users
    join {{ ref('int_users_classified') }} classified on classified.user_id = users.id
    where classified.classification = 'patient'

)

select
    'patients' as table_name,
    'address' as column_name,
    'v2 patients has no address column' as why,
    count(*) as values_left_behind
from {{ ref('stg_v1__patients') }}
where address is not null and address <> ''

union all

select
    'users',
    'password',
    'patient users become v2 patients, which have no password',
    count(*)
from patient_users
where password is not null

union all

select
    'users',
    'email',
    'patient users become v2 patients, which have no e-mail column (kept in contact_info unless var patient_contact_info_from is none)',
    count(*)
from patient_users
where email is not null and email <> ''
  and {{ 'false' if var('patient_contact_info_from') == 'email' else 'true' }}
