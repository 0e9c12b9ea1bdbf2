-- The uuid_format test accepts a canonical RFC 4122 UUID and reports upper case, a wrong
-- variant, a missing dash and a v1 id.
{%- set rows -%}
(select {{ uuid_text("'0f8fad5b-d9cb-469f-a165-70867728950e'") }} as id
 union all select '0F8FAD5B-D9CB-469F-A165-70867728950E'
 union all select '0f8fad5b-d9cb-469f-c165-70867728950e'
 union all select '0f8fad5bd9cb-469f-a165-70867728950e'
 union all select '12345')
{%- endset %}

select 'uuid_format did not report exactly the four malformed values' as failure
from ({{ test_uuid_format(model=rows, column_name='id') }}) as found
having count(*) <> 4
