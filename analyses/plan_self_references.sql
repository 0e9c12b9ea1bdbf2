{#- For a dry run with session tables (driver/plan.py): the statements that a real run's
    post-hook runs on a candidate table pointing into itself (patients' relatives), one per
    line, for the temporary table of that name. -#}
{%- for table, spec in v2_specs().items() if spec.get('self_references') %}
-- {{ table }}
{{ unload_rejected_relatives(work_relation('int_' ~ table ~ '_checked'), spec) }};
{%- endfor %}
