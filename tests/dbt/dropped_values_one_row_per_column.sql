-- migration_dropped_values holds one row per v1 column left behind, never one per v1 row.
select table_name, column_name, count(*) as copies
from {{ ref('migration_dropped_values') }}
group by table_name, column_name
having count(*) > 1
