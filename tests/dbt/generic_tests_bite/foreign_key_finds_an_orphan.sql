-- The foreign_key test reports a child value its parent lacks, and only that one.
{%- set children = "(select 1 as parent_id union all select 2 union all select null)" %}
{%- set parents = "(select 1 as id)" %}

select 'foreign_key did not report exactly the orphan 2' as failure
from ({{ test_foreign_key(model=children, column_name='parent_id', to=parents, field='id') }}) as found
having count(*) <> 1 or max(found.orphaned_value) <> 2
