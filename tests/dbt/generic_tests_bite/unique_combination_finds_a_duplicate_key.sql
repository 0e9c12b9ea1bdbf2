-- The unique_combination test reports a composite key that occurs twice.
{%- set rows = "(select 1 as role_id, 7 as model_id union all select 1, 7 union all select 1, 8)" %}

select 'unique_combination did not report the duplicate (1, 7)' as failure
from ({{ test_unique_combination(model=rows, columns=['role_id', 'model_id']) }}) as found
having count(*) <> 1
