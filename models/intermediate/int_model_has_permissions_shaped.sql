{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 model_has_permissions rows: permissions given to v2 staff (see staff_assignments). -#}
{{ staff_assignments('model_has_permissions', 'permission_id') }}
