"""Mechanics shared by every Mubayiro service.

Nothing here knows about loyalty, businesses or SMS: it holds settings, database
plumbing, the error shape, token checks, phone numbers, money, the HTTP client for
peers, the transactional outbox and the event consumer, logging and health routes.
Domain models and rules live in the services (see docs/conventions.md).
"""
