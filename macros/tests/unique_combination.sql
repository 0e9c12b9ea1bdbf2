{#- No two rows share the same values of these columns (a composite primary key). -#}
{% test unique_combination(model, columns) %}

select {% for c in columns %}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}, count(*) as copies
from {{ model }} as tested
group by {% for c in columns %}{{ adapter.quote(c) }}{{ ", " if not loop.last }}{% endfor %}
having count(*) > 1

{% endtest %}
