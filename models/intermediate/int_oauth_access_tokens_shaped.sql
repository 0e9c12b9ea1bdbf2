{{ config(materialized='ephemeral' if var('plan_only') else 'view') }}

{#- The v2 oauth_access_tokens rows, each with its v2 owner (see oauth_rows_with_owner). -#}
{{ oauth_rows_with_owner('oauth_access_tokens', ['client_id', 'name', 'scopes', 'revoked', 'created_at', 'updated_at', 'expires_at']) }}
