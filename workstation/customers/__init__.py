"""Customer search and the customer profile, with access rules and audit."""
