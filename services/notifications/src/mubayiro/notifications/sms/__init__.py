"""SMS: the outbox of messages, the providers that send them and the sender thread."""
