"""What the cloud keeps and decides, independent of HTTP: account state, envelopes, faults, stats."""
