"""Invitations: a customer invites a friend by SMS (a pending referral without a business)."""
