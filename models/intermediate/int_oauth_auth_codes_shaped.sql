{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 oauth_auth_codes rows, each with its v2 owner (see oauth_rows_with_owner). -#}
{{ oauth_rows_with_owner('oauth_auth_codes', ['client_id', 'scopes', 'revoked', 'expires_at']) }}
