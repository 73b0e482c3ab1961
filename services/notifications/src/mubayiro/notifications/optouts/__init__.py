"""Opt-outs: the numbers that replied STOP, and the rule of what they still receive."""
