"""OAuth2 for services (client credentials) and the JWKS that publishes auth's public keys."""
