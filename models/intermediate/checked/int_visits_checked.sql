{%- set spec = {
    'unique_key': ['id'],
    'references': {
        'clinic_id': 'clinics',
        'doctor_id': 'doctors',
        'medical_case_id': 'medical_cases',
        'medical_center_id': 'medical_centers',
    },
    'patient_refs': ['patient_id', 'relation_patient_id'],
} -%}
{{ config(spec=spec) }}
{{ v2_checked(spec) }}
