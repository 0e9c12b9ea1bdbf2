{%- set spec = {
    'base': 'int_patients_shaped',
    'v1_table': 'patients',
    'unique_key': ['patient_id'],
    'self_references': ['relation_patient_id'],
    'carried': ['_v1_patient_id', '_v1_user_id'],
    'indexes': [['_v1_patient_id']],
    'references': {
        'country_id': 'countries',
        'governorate_id': 'governorates',
    },
    'dropped': {
        'id': 'replaced by patient_id (a UUID); the crosswalk keeps it',
        'user_id': 'the person moves into the patient row; the crosswalk keeps it',
        'national_number': 'renamed national_id',
        'address': 'no v2 column; each patient with an address is recorded as changed',
    },
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
