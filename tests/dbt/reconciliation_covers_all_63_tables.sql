-- The reconciliation accounts for every one of the 63 v2 tables, no more, no fewer.
select count(*) as tables_accounted
from {{ ref('migration_reconciliation') }}
having count(*) <> 63
