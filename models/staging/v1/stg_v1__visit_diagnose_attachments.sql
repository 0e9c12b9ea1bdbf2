{{ stage_v1_table('visit_diagnose_attachments') }}
