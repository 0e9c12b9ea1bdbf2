{{ config(primary_key=['patient_uuid'], key_indexes=[['v1_patient_id'], ['v1_user_id', 'is_primary_for_user']],
          post_hook=["{{ remember_patient_uuids(this, 'forget') }}", "{{ remember_patient_uuids(this, 'keep') }}"]) }}

{#- The patient crosswalk: one row per v2 patient, with its UUID. A v2 patient comes from each
    v1 patients row, and from each patient user who has no patients row. The UUID is a
    version 5 UUID of "patients:<id>" or "users:<id>" under a secret namespace (see
    prepare_work_schema): the same on every run, and not computable without the secret.
    An incremental run (var keep_patient_uuids) keeps the UUID a patient already had, from the
    last run's crosswalk (patient_uuid_memory): also the UUID of a patient made from a user
    alone who has since gained a patients row. -#}
with patient_rows as (

    select
        id as v1_patient_id,
        user_id as v1_user_id,
        'patients_row' as origin,
        concat('patients:', id) as uuid_name,
        relation_patient_id is not null as is_relative
    from {{ ref('stg_v1__patients') }}

),

patient_users as (

    select
        {{ typed_null('bigint') }} as v1_patient_id,
        user_id as v1_user_id,
        'patient_user' as origin,
        concat('users:', user_id) as uuid_name,
        false as is_relative
    from {{ ref('int_users_classified') }}
    where classification = 'patient' and patient_rows = 0

),

all_patients as (

    select * from patient_rows
    union all
    select * from patient_users

),

hashed as (

    select
        all_patients.*,
        {{ uuid_v5_digest('namespace.namespace_hex', 'all_patients.uuid_name') }} as digest
    from all_patients
    -- the namespace is a table of the work schema, not a model: it must survive rebuilds.
    -- A dry run (plan_only) writes nothing, so it counts with a stand-in namespace.
    cross join {{ "(select repeat('0', 32) as namespace_hex)" if var('plan_only') else work_relation('patient_uuid_namespace') }} namespace

),

ranked as (

    select
        hashed.*,
        -- the patient that stands for its user where v2 needs one patient per user
        -- (verification codes, OAuth): the account holder, i.e. the lowest id that is not a relative
        row_number() over (partition by v1_user_id order by is_relative, v1_patient_id) = 1 as is_primary_for_user
    from hashed

)

{% if var('keep_patient_uuids') and not var('plan_only') %}
select
    coalesce(by_row.patient_uuid, by_user.patient_uuid, {{ uuid_v5_from_sha1('ranked.digest') }}) as patient_uuid,
    {{ cast_to_id('ranked.v1_patient_id') }} as v1_patient_id,
    ranked.v1_user_id,
    ranked.origin,
    ranked.is_primary_for_user
from ranked
left join {{ work_relation('patient_uuid_memory') }} as by_row
    on by_row.v1_patient_id = ranked.v1_patient_id
left join {{ work_relation('patient_uuid_memory') }} as by_user
    on by_user.origin = 'patient_user'
    and by_user.v1_user_id = ranked.v1_user_id
    and ranked.origin = 'patients_row'
    and ranked.is_primary_for_user
{% else %}
select
    {{ uuid_v5_from_sha1('digest') }} as patient_uuid,
    {{ cast_to_id('v1_patient_id') }} as v1_patient_id,
    v1_user_id,
    origin,
    is_primary_for_user
from ranked
{% endif %}
