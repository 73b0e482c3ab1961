"""Events this service consumes (``POST /internal/events``) and what each one sends."""
