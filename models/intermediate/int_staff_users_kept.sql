{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The staff crosswalk: staff keep their v1 ids in v2 users. -#}
select
    user_id as old_user_id,
    user_id as new_user_id
from {{ ref('int_users_classified') }}
where classification in ('staff', 'both')
