{#- Row counts of this v2 table reconcile with v1: every v1 row is loaded, rejected (with a
    reason in the exceptions) or moved, and nothing else is there. -#}
{% test reconciles(model) %}

select *
from {{ ref('migration_reconciliation') }}
where table_name = {{ sql_literal(model.identifier) }}
  and not reconciles

{% endtest %}
