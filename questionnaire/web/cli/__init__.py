"""`flask rules ...`, `flask clinics ...`: staff commands, each taking the one --content option."""
