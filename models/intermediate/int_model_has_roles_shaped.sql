{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 model_has_roles rows: role assignments of v2 staff (see staff_assignments). -#}
{{ staff_assignments('model_has_roles', 'role_id') }}
