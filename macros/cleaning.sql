{#-
  The seed tool's optional cleaning of person columns (v2 users and patients), from mapping.yaml
  through vars clean_phones, clean_emails, clean_names and clean_dates. Each macro returns the
  cleaned SQL expression, or the column unchanged when its rule is off. `force` gives the
  cleaned form regardless, so the dry-run plan can count what a rule would change.
-#}

{#- Phone numbers to E.164: drop the listed characters; 00 -> +; a national number (leading 0,
    or no prefix at all) gets the default country code. A result that is not +<7-15 digits>
    is not a phone number we understand: the value is left as it was. -#}
{% macro clean_phone(column, force=false) -%}
  {%- set rule = var('clean_phones') -%}
  {%- if not (rule.enabled or force) -%}{{ return(column) }}{%- endif -%}
  {%- set stripped = namespace(sql=column) -%}
  {%- for character in rule.remove_characters -%}
    {%- set stripped.sql = "replace(" ~ stripped.sql ~ ", " ~ sql_literal(character) ~ ", '')" -%}
  {%- endfor -%}
  {%- set s = stripped.sql -%}
  {%- set code = sql_literal(rule.default_country_code) -%}
  {%- set normalized -%}
    case
      when {{ s }} like '+%' then {{ s }}
      when {{ s }} like '00%' then concat('+', substr({{ s }}, 3))
      {%- if rule.add_country_code_if_missing %}
      when {{ s }} like '0%' then concat({{ code }}, substr({{ s }}, 2))
      else concat({{ code }}, {{ s }})
      {%- else %}
      else {{ s }}
      {%- endif %}
    end
  {%- endset -%}
  {%- if rule.validate -%}
  case when {{ column }} is null or trim({{ column }}) = '' then {{ column }}
       when {{ regex_matches('(' ~ normalized ~ ')', "'^[+][1-9][0-9]{6,14}$'") }} then {{ normalized }}
       else {{ column }} end
  {%- else -%}
  case when {{ column }} is null or trim({{ column }}) = '' then {{ column }} else {{ normalized }} end
  {%- endif -%}
{%- endmacro %}

{#- E-mail: trimmed and lower-cased. With validate, a result that is not name@domain.tld is left
    as it was. -#}
{% macro clean_email(column, force=false) -%}
  {%- set rule = var('clean_emails') -%}
  {%- if not (rule.enabled or force) -%}{{ return(column) }}{%- endif -%}
  {%- set cleaned = column -%}
  {%- if rule.trim -%}{%- set cleaned = "trim(" ~ cleaned ~ ")" -%}{%- endif -%}
  {%- if rule.lowercase -%}{%- set cleaned = "lower(" ~ cleaned ~ ")" -%}{%- endif -%}
  {%- if rule.validate -%}
  case when {{ regex_matches(cleaned, "'^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+$'") }} then {{ cleaned }} else {{ column }} end
  {%- else -%}
  {{ cleaned }}
  {%- endif -%}
{%- endmacro %}

{#- Names: trimmed, runs of spaces collapsed to one. -#}
{% macro clean_name(column, force=false) -%}
  {%- set rule = var('clean_names') -%}
  {%- if not (rule.enabled or force) -%}{{ return(column) }}{%- endif -%}
  {%- set cleaned = column -%}
  {%- if rule.trim -%}{%- set cleaned = "trim(" ~ cleaned ~ ")" -%}{%- endif -%}
  {%- if rule.collapse_spaces -%}{%- set cleaned = regex_replace_all(cleaned, "' {2,}'", "' '") -%}{%- endif -%}
  {{ cleaned }}
{%- endmacro %}

{#- Dates: a zero or otherwise impossible date (before year 1000) becomes NULL. -#}
{% macro clean_date(column, force=false) -%}
  {%- set rule = var('clean_dates') -%}
  {%- if not ((rule.enabled and rule.invalid_to_null) or force) -%}{{ return(column) }}{%- endif -%}
  case when {{ column }} < '1000-01-01' then null else {{ column }} end
{%- endmacro %}

{#- The person columns the enabled cleaning rules change (v2 users and patients). -#}
{% macro cleaned_person_columns() -%}
  {%- set columns = [] -%}
  {%- if var('clean_names').enabled -%}{%- do columns.extend(['first_name', 'last_name', 'father_name', 'mother_name']) -%}{%- endif -%}
  {%- if var('clean_phones').enabled -%}{%- do columns.append('phone_number') -%}{%- endif -%}
  {%- if var('clean_emails').enabled -%}{%- do columns.append('email') -%}{%- endif -%}
  {%- if var('clean_dates').enabled -%}{%- do columns.append('date_of_birth') -%}{%- endif -%}
  {{- return(columns) -}}
{%- endmacro %}


{#- `expression` matches the regular expression `pattern` (an SQL string literal). -#}
{% macro regex_matches(expression, pattern) -%}
  {{- adapter.dispatch('regex_matches', 'moh_migrate')(expression, pattern) -}}
{%- endmacro %}

{% macro default__regex_matches(expression, pattern) -%}
  {{ expression }} regexp {{ pattern }}
{%- endmacro %}

{#- Every match of `pattern` in `expression` replaced (MySQL's regexp_replace replaces all). -#}
{% macro regex_replace_all(expression, pattern, replacement) -%}
  {{- return(adapter.dispatch('regex_replace_all', 'moh_migrate')(expression, pattern, replacement)) -}}
{%- endmacro %}

{% macro default__regex_replace_all(expression, pattern, replacement) -%}
  {{- return("regexp_replace(" ~ expression ~ ", " ~ pattern ~ ", " ~ replacement ~ ")") -}}
{%- endmacro %}
