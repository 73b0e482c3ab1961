"""Mubayiro referrals service: referrals tracked and completed by businesses, invitations
sent by customers (see ``main``)."""
