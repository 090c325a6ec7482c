"""Demo data for trying the workstation out."""
