"""Staff sign-in: password, TOTP second factor, lockout and role guards."""
