{#- For the dry-run plan: how many v1 values each cleaning rule and each enum remap would
    change. Cleaning is counted over every v1 user (the person columns of staff and patients),
    whether the rule is on or not; `enabled` says whether this run applies it. -#}
{%- set rules = [
    ['phone_normalization', 'phone_number', var('clean_phones').enabled, clean_phone('phone_number', force=true)],
    ['email_normalization', 'email', var('clean_emails').enabled, clean_email('email', force=true)],
    ['names', 'first_name', var('clean_names').enabled, clean_name('first_name', force=true)],
    ['names', 'last_name', var('clean_names').enabled, clean_name('last_name', force=true)],
    ['names', 'father_name', var('clean_names').enabled, clean_name('father_name', force=true)],
    ['names', 'mother_name', var('clean_names').enabled, clean_name('mother_name', force=true)],
    ['dates', 'date_of_birth', var('clean_dates').enabled, clean_date('date_of_birth', force=true)],
] -%}

{%- for rule, column, enabled, cleaned in rules %}
select
    '{{ rule }}' as rule,
    'users' as table_name,
    '{{ column }}' as column_name,
    {{ null_text() }} as v1_value,
    {{ null_text() }} as v2_value,
    {{ 'true' if enabled else 'false' }} as enabled,
    coalesce(sum(not (cast({{ column }} as binary) <=> cast({{ cleaned }} as binary))), 0) as values_changed
from {{ ref('stg_v1__users') }}
union all
{%- endfor %}
{%- for key, remap in var('enum_remaps', {}).items() %}
{%- set table, column = key.split('.') %}
{%- for old, new in remap.items() %}
select
    'enum_remap', '{{ table }}', '{{ column }}', {{ sql_literal(old) }}, {{ sql_literal(new) }}, true, count(*)
from {{ ref('stg_v1__' ~ table) }}
where `{{ column }}` = {{ sql_literal(old) }}
union all
{%- endfor %}
{%- endfor %}
select null, null, null, null, null, null, null from (select 1) nothing where false
