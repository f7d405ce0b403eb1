"""`flask rules ...`, `flask clinics ...`, `flask fhir ...`: staff commands, content ones with the one --content option."""
