"""Inbound SMS: the commands customers text in, answered whatever the channel.

Twilio cannot receive SMS in Zimbabwe, so inbound messages are not tied to Twilio:
``commands`` holds the one channel-independent handler (text in, reply text out),
``service`` records each message once per provider message id, and each channel is a
thin adapter in front of them — today the Twilio webhook (``endpoints`` + ``twilio``).
``endpoints`` says how a local aggregator or a USSD gateway plugs in.
"""
