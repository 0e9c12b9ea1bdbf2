-- The primary_key test reports a key that occurs twice and a NULL key, and nothing else.
{%- set rows = "(select 1 as id union all select 1 union all select 2 union all select null)" %}

select 'primary_key did not report the repeated 1 and the NULL key alone' as failure
from ({{ test_primary_key(model=rows, column_name='id') }}) as found
having count(*) <> 2
