"""HTTP plumbing every response passes through: security headers, framing, language, errors, JSON, CORS, probes."""
