"""The operator's commands on the loyalty service's command line (award limits)."""
