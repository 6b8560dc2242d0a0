"""The window's state: small evented models of what the user set, and the session
tying them to the model."""
